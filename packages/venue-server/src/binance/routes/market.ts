/**
 * Binance USDⓈ-M market data endpoints over the server's price path: `klines` (recorded or applied candles,
 * aggregated to coarser intervals), `premiumIndex` (mark price, funding rate, next funding time) and
 * `fundingRate` (settled funding history).
 * @module
 */
import type { Candle, Instrument } from '@perpkit/core'
import { binanceError, binanceOk } from '../errors.js'
import { money, px, qty } from '../format.js'
import type { BinanceRouteSpec } from '../guard.js'
import { numberParam, symbolParam } from '../params.js'
import type { BinanceSession } from '../session.js'


/** Kline intervals in ms (`1M` is not served: the server's price path is bar-based, not calendar-based). */
export const KLINE_INTERVAL_MS: Readonly<Record<string, number>> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
  '3d': 259_200_000,
  '1w': 604_800_000,
}

/**
 * Aggregate base candles into bars of `intervalMs` aligned to epoch multiples (open = first, high = max,
 * low = min, close = last, volume = sum). Finer intervals than the base give no bars.
 * @param args.candles - base candles, oldest first
 * @param args.baseMs - base bar length
 * @param args.intervalMs - requested bar length
 * @returns aggregated candles
 * @throws never
 * @example
 * ```ts
 * aggregateCandles({ candles, baseMs: 300_000, intervalMs: 900_000 })
 * ```
 */
export function aggregateCandles(args: { readonly candles: readonly Candle[]; readonly baseMs: number; readonly intervalMs: number }): Candle[] {
  const { candles, baseMs, intervalMs } = args
  if (intervalMs === baseMs) return [...candles]
  if (intervalMs < baseMs || intervalMs % baseMs !== 0) return []
  const out: Candle[] = []
  for (const c of candles) {
    const open = Math.floor(c.openTimeMs / intervalMs) * intervalMs
    const last = out.at(-1)
    if (last !== undefined && last.openTimeMs === open) {
      out[out.length - 1] = { ...last, high: Math.max(last.high, c.high), low: Math.min(last.low, c.low), close: c.close, volume: last.volume + c.volume }
    } else {
      out.push({ ...c, openTimeMs: open })
    }
  }
  return out
}

const klineWeight = (limit: number): number => (limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10)

function klineRow(ins: Instrument, c: Candle, intervalMs: number): unknown[] {
  const quote = c.volume * ((c.open + c.high + c.low + c.close) / 4)
  return [c.openTimeMs, px(ins, c.open), px(ins, c.high), px(ins, c.low), px(ins, c.close), qty(ins, c.volume), c.openTimeMs + intervalMs - 1, money(quote), 0, qty(ins, 0), money(0), '0']
}

/**
 * Route specs of the market data endpoints.
 * @param session - dialect session
 * @returns the specs (weights as documented: klines 1–10 by limit, premiumIndex 1/10, fundingRate 1)
 * @throws never
 * @example
 * ```ts
 * marketRoutes(session).map((r) => r.path)
 * ```
 */
export function marketRoutes(session: BinanceSession): readonly BinanceRouteSpec[] {
  const { venue, clock } = session.ctx
  return [
    {
      method: 'GET',
      path: '/fapi/v1/klines',
      name: 'klines',
      weight: (req) => klineWeight(Number(req.params.get('limit') ?? 500)),
      security: 'NONE',
      handle(req) {
        const sym = symbolParam(req, venue, true)
        if (!sym.ok) return sym.response
        const interval = req.params.get('interval')
        if (interval === null) return binanceError(-1102, 'interval')
        const intervalMs = KLINE_INTERVAL_MS[interval]
        if (intervalMs === undefined) return binanceError(-1120)
        const limitP = numberParam(req, 'limit')
        if (!limitP.ok) return limitP.response
        const limit = Math.min(1500, Math.max(1, limitP.value ?? 500))
        const start = Number(req.params.get('startTime') ?? Number.NEGATIVE_INFINITY)
        const end = Number(req.params.get('endTime') ?? Number.POSITIVE_INFINITY)
        const bars = aggregateCandles({ candles: venue.candles(sym.value.symbol), baseMs: venue.timeframeMs, intervalMs }).filter((c) => c.openTimeMs >= start && c.openTimeMs <= end)
        const chosen = Number.isFinite(start) ? bars.slice(0, limit) : bars.slice(-limit)
        return binanceOk(chosen.map((c) => klineRow(sym.value, c, intervalMs)))
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/premiumIndex',
      name: 'premiumIndex',
      weight: (req) => (req.params.get('symbol') === null ? 10 : 1),
      security: 'NONE',
      handle(req) {
        const sym = symbolParam(req, venue, false)
        if (!sym.ok) return sym.response
        const list = venue.instruments.filter((i) => i.venue === 'binance-usdm' && (sym.value === undefined || i.symbol === sym.value.symbol))
        const rows = list.map((ins) => {
          const mark = venue.markPrice(ins.symbol) ?? venue.lastPrice(ins.symbol) ?? 0
          return {
            symbol: ins.venueSymbol,
            markPrice: money(mark),
            indexPrice: money(mark),
            estimatedSettlePrice: money(mark),
            lastFundingRate: venue.nextFundingRate(ins.symbol).toFixed(8),
            interestRate: '0.00010000',
            nextFundingTime: venue.nextFundingTimeMs(ins.symbol),
            time: clock.now(),
          }
        })
        return binanceOk(sym.value === undefined ? rows : rows[0])
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/fundingRate',
      name: 'fundingRate',
      weight: 1,
      security: 'NONE',
      handle(req) {
        const sym = symbolParam(req, venue, false)
        if (!sym.ok) return sym.response
        const limitP = numberParam(req, 'limit')
        if (!limitP.ok) return limitP.response
        const start = Number(req.params.get('startTime') ?? Number.NEGATIVE_INFINITY)
        const end = Number(req.params.get('endTime') ?? Number.POSITIVE_INFINITY)
        const list = venue.instruments.filter((i) => i.venue === 'binance-usdm' && (sym.value === undefined || i.symbol === sym.value.symbol))
        const rows = list.flatMap((ins) =>
          venue
            .fundingHistory(ins.symbol)
            .filter((f) => f.fundingTimeMs >= start && f.fundingTimeMs <= end)
            .map((f) => ({ symbol: ins.venueSymbol, fundingTime: f.fundingTimeMs, fundingRate: f.rate.toFixed(8), markPrice: money(venue.markPrice(ins.symbol) ?? 0) })),
        )
        const limit = Math.min(1000, limitP.value ?? 100)
        return binanceOk(Number.isFinite(start) ? rows.slice(0, limit) : rows.slice(-limit))
      },
    },
  ]
}
