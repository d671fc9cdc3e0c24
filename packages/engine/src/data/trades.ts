/**
 * Trade ticks (Binance trade CSV layout) and funding-rate series loaders.
 * @module
 */
import { type FundingRate, InvalidInputError, PerpkitError, type TradeTick } from '@perpkit/core'
import { allocateCandleColumns, type CandleColumns } from './candles.js'
import { scanDateTime, type ScanCursor, scanNumber } from './scan.js'
import { assertTextData, printable } from './text.js'

/** Trades as columns. `side[i]` is 1 for an aggressive buy, -1 for an aggressive sell. */
export interface TradeColumns {
  readonly length: number
  readonly timestampMs: Float64Array
  readonly price: Float64Array
  readonly qty: Float64Array
  readonly side: Int8Array
  readonly tradeId: Float64Array
  readonly source: string
}

function corrupt(source: string, line: number, message: string): PerpkitError {
  return new PerpkitError('corrupt-data', `${source}:${line}: ${printable(message)}`, { details: { file: source, line } })
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n/)
}

/**
 * Parse a trade CSV. Columns are found by header name: time from `trade_time_ms` | `timestamp` | `time`
 * (epoch ms), `price`, `qty` | `quantity` | `amount`, aggressor side from `is_buyer_maker` (`true` → sell,
 * Binance semantics) or `side` (`buy`/`sell`), id from `trade_id` | `id` (row number when absent).
 *
 * @param options - `{ text, source }`.
 * @returns the trades as columns.
 * @throws PerpkitError `corrupt-data` naming `file:line` for a malformed row or an unknown header.
 * @example
 * ```ts
 * import { parseTradeCsv } from '@perpkit/engine'
 * const t = parseTradeCsv({ text: 'trade_time_ms,trade_id,price,qty,is_buyer_maker\n1723161256322,1,61800.3,0.006,false\n', source: 't.csv' })
 * t.side[0] // 1 (aggressive buy)
 * ```
 */
export function parseTradeCsv(options: { readonly text: string; readonly source: string }): TradeColumns {
  const { source } = options
  assertTextData({ text: options.text, source })
  const lines = splitLines(options.text)
  const header = (lines[0] ?? '').trim().toLowerCase().split(',')
  const find = (...names: string[]): number => {
    for (const n of names) {
      const i = header.indexOf(n)
      if (i >= 0) return i
    }
    return -1
  }
  const iT = find('trade_time_ms', 'timestamp', 'time', 'timestamp_ms', 'ts')
  const iP = find('price', 'p')
  const iQ = find('qty', 'quantity', 'amount', 'size', 'q')
  const iM = find('is_buyer_maker', 'm')
  const iS = find('side')
  const iId = find('trade_id', 'id', 't')
  if (iT < 0 || iP < 0 || iQ < 0) throw corrupt(source, 1, `unrecognised trade header "${(lines[0] ?? '').slice(0, 80)}" (need a time, price and qty column)`)
  const n = lines.length
  const out: TradeColumns = {
    length: 0,
    timestampMs: new Float64Array(n),
    price: new Float64Array(n),
    qty: new Float64Array(n),
    side: new Int8Array(n),
    tradeId: new Float64Array(n),
    source,
  }
  const cur: ScanCursor = { value: 0, end: 0 }
  let count = 0
  for (let li = 1; li < n; li++) {
    const line = lines[li] as string
    if (line.length === 0) continue
    const f = line.split(',')
    if (f.length !== header.length) throw corrupt(source, li + 1, `expected ${header.length} fields, found ${f.length}`)
    const num = (i: number, what: string): number => {
      const s = f[i] as string
      scanNumber(s, 0, cur)
      if (!Number.isFinite(cur.value)) {
        scanDateTime(s, 0, cur)
        if (what !== 'time' || !Number.isFinite(cur.value)) throw corrupt(source, li + 1, `${what} "${s}" is not a number`)
      }
      return cur.value
    }
    const t = num(iT, 'time')
    const p = num(iP, 'price')
    const q = num(iQ, 'qty')
    if (!(p > 0) || !(q > 0)) throw corrupt(source, li + 1, `price and qty must be > 0 (price=${p}, qty=${q})`)
    let side: 1 | -1
    if (iM >= 0) {
      const m = (f[iM] as string).trim().toLowerCase()
      if (m !== 'true' && m !== 'false') throw corrupt(source, li + 1, `is_buyer_maker "${m}" is not true/false`)
      side = m === 'true' ? -1 : 1
    } else if (iS >= 0) {
      const s = (f[iS] as string).trim().toLowerCase()
      if (s !== 'buy' && s !== 'sell') throw corrupt(source, li + 1, `side "${s}" is not buy/sell`)
      side = s === 'buy' ? 1 : -1
    } else side = 1
    out.timestampMs[count] = t
    out.price[count] = p
    out.qty[count] = q
    out.side[count] = side
    out.tradeId[count] = iId >= 0 ? num(iId, 'trade id') : count
    count++
  }
  return {
    ...out,
    length: count,
    timestampMs: out.timestampMs.slice(0, count),
    price: out.price.slice(0, count),
    qty: out.qty.slice(0, count),
    side: out.side.slice(0, count),
    tradeId: out.tradeId.slice(0, count),
  }
}

/**
 * Materialise trade `i` as a core {@link TradeTick}.
 *
 * @param trades - trade columns.
 * @param i - row index.
 * @returns the tick.
 * @example
 * ```ts
 * import { tradeAt, type TradeColumns } from '@perpkit/engine'
 * declare const trades: TradeColumns // from parseTradeCsv()
 * const tick = tradeAt(trades, 0)
 * ```
 */
export function tradeAt(trades: TradeColumns, i: number): TradeTick {
  return {
    tradeId: String(trades.tradeId[i]),
    timestampMs: trades.timestampMs[i] as number,
    price: trades.price[i] as number,
    qty: trades.qty[i] as number,
    side: (trades.side[i] as number) > 0 ? 'buy' : 'sell',
  }
}

/**
 * Parse a funding-rate series: CSV `funding_time_ms,funding_rate` (header optional), Lean `YYYYMMDD HH:MM:SS,rate`,
 * or freqtrade JSON `[[fundingTime_ms, rate, …], …]`.
 *
 * @param options - `{ text, source, symbol }`.
 * @returns funding rates sorted by time.
 * @throws PerpkitError `corrupt-data` naming `file:line` for a malformed row.
 * @example
 * ```ts
 * import { parseFunding } from '@perpkit/engine'
 * parseFunding({ text: 'funding_time_ms,funding_rate\n1758240000000,-2.31e-06\n', source: 'f.csv', symbol: 'BTC/USDT:USDT' })
 * ```
 */
export function parseFunding(options: { readonly text: string; readonly source: string; readonly symbol: string }): FundingRate[] {
  const { text, source, symbol } = options
  const out: FundingRate[] = []
  const trimmed = text.trimStart()
  if (trimmed.startsWith('[')) {
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch (cause) {
      throw new PerpkitError('corrupt-data', `${source}: not valid JSON`, { cause, details: { file: source } })
    }
    if (!Array.isArray(data)) throw new PerpkitError('corrupt-data', `${source}: expected a JSON array`, { details: { file: source } })
    data.forEach((r: unknown, i) => {
      if (!Array.isArray(r) || typeof r[0] !== 'number' || typeof r[1] !== 'number') {
        throw new PerpkitError('corrupt-data', `${source}: row [${i}] is not [fundingTime_ms, rate, …]`, { details: { file: source, row: i } })
      }
      out.push({ symbol, fundingTimeMs: r[0], rate: r[1] })
    })
    return out
  }
  const cur: ScanCursor = { value: 0, end: 0 }
  splitLines(text).forEach((line, li) => {
    if (line.trim().length === 0) return
    const f = line.split(',')
    const a = (f[0] ?? '').trim()
    if (li === 0 && !/^\d/.test(a)) return
    if (f.length < 2) throw corrupt(source, li + 1, 'expected time,rate')
    scanDateTime(a, 0, cur)
    let t = cur.value
    if (!Number.isFinite(t) || !/[- ]/.test(a)) {
      scanNumber(a, 0, cur)
      t = cur.value
    }
    scanNumber((f[1] as string).trim(), 0, cur)
    const rate = cur.value
    if (!Number.isFinite(t) || !Number.isFinite(rate) || rate <= -1 || rate >= 1) throw corrupt(source, li + 1, `bad funding row "${line}"`)
    out.push({ symbol, fundingTimeMs: t, rate })
  })
  return out.sort((x, y) => x.fundingTimeMs - y.fundingTimeMs)
}

/**
 * Aggregate trades into OHLCV candles of `timeframeMs` (bar open = floor(time / timeframe) × timeframe; open = first
 * trade, high = max, low = min, close = last, volume = Σ qty). Bars without trades are skipped (gaps stay gaps).
 *
 * @param args - `{ trades, timeframeMs }` with trades in time order.
 * @returns candle columns (source = the trades' source).
 * @throws InvalidInputError when trades are out of time order or the timeframe is not positive.
 * @example
 * ```ts
 * import { type TradeColumns, tradesToCandles } from '@perpkit/engine'
 * declare const trades: TradeColumns // from parseTradeCsv()
 * const bars = tradesToCandles({ trades, timeframeMs: 60_000 })
 * ```
 */
export function tradesToCandles(args: { readonly trades: TradeColumns; readonly timeframeMs: number }): CandleColumns {
  const { trades: tr, timeframeMs: tf } = args
  if (!(tf > 0)) throw new InvalidInputError(`timeframeMs must be > 0, got ${tf}`, { path: 'timeframeMs' })
  const out = { t: [] as number[], o: [] as number[], h: [] as number[], l: [] as number[], c: [] as number[], v: [] as number[] }
  let cur = Number.NaN
  let prevT = Number.NEGATIVE_INFINITY
  for (let i = 0; i < tr.length; i++) {
    const t = tr.timestampMs[i] as number
    if (t < prevT) throw new InvalidInputError(`trade ${i} at ${t} is before the previous trade at ${prevT}`, { path: `trades[${i}]` })
    prevT = t
    const p = tr.price[i] as number
    const q = tr.qty[i] as number
    const b = Math.floor(t / tf) * tf
    if (b !== cur) {
      cur = b
      out.t.push(b)
      out.o.push(p)
      out.h.push(p)
      out.l.push(p)
      out.c.push(p)
      out.v.push(q)
    } else {
      const k = out.t.length - 1
      if (p > (out.h[k] as number)) out.h[k] = p
      if (p < (out.l[k] as number)) out.l[k] = p
      out.c[k] = p
      out.v[k] = (out.v[k] as number) + q
    }
  }
  const cols = allocateCandleColumns({ length: out.t.length, source: tr.source })
  cols.openTimeMs.set(out.t)
  cols.open.set(out.o)
  cols.high.set(out.h)
  cols.low.set(out.l)
  cols.close.set(out.c)
  cols.volume.set(out.v)
  return cols
}
