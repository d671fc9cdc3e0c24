/**
 * The trade ledger: turns venue fills and funding payments into round-trip {@link TradeRecord}s.
 * @module
 */
import { type Fill, InvalidInputError, nextAveragePrice } from '@perpkit/core'
import type { TradeDecisionRef, TradeRecord } from '../results/types.js'

interface OpenTrade {
  side: 'long' | 'short'
  qty: number
  maxQty: number
  /** Average price of the entry fills (core's `nextAveragePrice`: arithmetic linear, harmonic inverse). */
  entryAvg: number
  entryQty: number
  entryTimeMs: number
  /** Average price of the exit fills, like {@link OpenTrade.entryAvg}. */
  exitAvg: number
  exitQty: number
  exitTimeMs: number
  grossPnl: number
  fees: number
  funding: number
  slippage: number
  entryDecision?: TradeDecisionRef
  exitDecision?: TradeDecisionRef
  exitReason: TradeRecord['exitReason']
  /** Opened by a previous process (see {@link TradeLedger.restoreOpen}). */
  recovered?: boolean
}

/** A position opened before the ledger existed, as {@link TradeLedger.restoreOpen} takes it. */
export interface RestoredPosition {
  readonly side: 'long' | 'short'
  /** Open quantity (> 0). */
  readonly qty: number
  /** Average entry price. */
  readonly entryPrice: number
  readonly entryTimeMs: number
}

/** What {@link createTradeLedger} returns. */
export interface TradeLedger {
  /**
   * Apply one fill. `referencePrice` is the price the order expected (bar open for market orders, the
   * trigger for stops): slippage = adverse distance × qty (× contract multiplier for linear).
   */
  applyFill(args: { readonly fill: Fill; readonly referencePrice?: number; readonly decision?: TradeDecisionRef; readonly reason?: TradeRecord['exitReason'] }): TradeRecord | null
  /** A funding payment: `amount` < 0 means the account paid. */
  applyFunding(args: { readonly symbol: string; readonly amount: number }): void
  /**
   * Start `symbol` from a position opened before this ledger existed (a previous process's, recovered at start-up),
   * replacing whatever trade of the symbol is open; `null` leaves the symbol flat. The trade it opens is closed by
   * later fills like any other and its record is marked `recovered`; the fees, slippage and funding before now are
   * not known to this ledger and start at 0.
   */
  restoreOpen(args: { readonly symbol: string; readonly position: RestoredPosition | null }): void
  /** Close every open trade at `price` (valuation at the end of data) without touching the venue. */
  markOpenAtEnd(args: { readonly symbol: string; readonly price: number; readonly timestampMs: number }): TradeRecord | null
  /** Signed open quantity (long > 0). */
  openQty(symbol: string): number
  /** Completed trades so far. */
  trades(): readonly TradeRecord[]
}

/**
 * Create a trade ledger. Linear: PnL = Δprice × qty × contractSize (quote); inverse: PnL = qty × contractSize ×
 * (1/entry − 1/exit) for a long (coin). Entry prices are volume-weighted averages.
 *
 * @param args - `{ contractSize?, kind? }` (defaults 1, linear).
 * @returns the ledger.
 * @example
 * ```ts
 * import { createTradeLedger } from '@perpkit/engine'
 * import type { Fill } from '@perpkit/core'
 * declare const fill: Fill // from the venue's user stream
 * const ledger = createTradeLedger({})
 * ledger.applyFill({ fill })
 * ```
 */
export function createTradeLedger(args: { readonly contractSize?: number; readonly kind?: 'linear' | 'inverse' } = {}): TradeLedger {
  const mult = args.contractSize ?? 1
  const inverse = args.kind === 'inverse'
  /** PnL of closing `qty` of a `side` position opened at `entry` at `exit`, in the settle asset. */
  const pnlOf = (side: 'long' | 'short', entry: number, exit: number, qty: number): number => {
    const dir = side === 'long' ? 1 : -1
    return inverse ? dir * qty * mult * (1 / entry - 1 / exit) : dir * (exit - entry) * qty * mult
  }
  const kind = inverse ? 'inverse' : 'linear'
  /**
   * Average after one more fill (core's `nextAveragePrice`: linear Σq·p/Σq, inverse Σq/Σ(q/p), the venues'
   * average entry for coin-margined contracts). Equal-price fills keep that price exactly, so a split fill never
   * shows float noise such as 112572.89999999998.
   */
  const addFill = (qty: number, avg: number, fillQty: number, fillPrice: number): number =>
    fillQty > 0 ? nextAveragePrice({ kind, qty, averagePrice: avg, fillQty, fillPrice }) : avg
  const open = new Map<string, OpenTrade>()
  const done: TradeRecord[] = []
  let nextId = 1
  const finish = (symbol: string, t: OpenTrade, openAtEnd: boolean): TradeRecord => {
    const record: TradeRecord = {
      id: nextId++,
      symbol,
      side: t.side,
      qty: t.maxQty,
      entryTimeMs: t.entryTimeMs,
      entryPrice: t.entryQty > 0 ? t.entryAvg : 0,
      exitTimeMs: t.exitTimeMs,
      exitPrice: t.exitQty > 0 ? t.exitAvg : 0,
      grossPnl: t.grossPnl,
      fees: t.fees,
      funding: t.funding,
      slippage: t.slippage,
      netPnl: t.grossPnl - t.fees - t.funding,
      exitReason: openAtEnd ? 'end-of-data' : t.exitReason,
      openAtEnd,
      ...(t.entryDecision !== undefined ? { entryDecision: t.entryDecision } : {}),
      ...(t.exitDecision !== undefined ? { exitDecision: t.exitDecision } : {}),
      ...(t.recovered === true ? { recovered: true } : {}),
    }
    done.push(record)
    open.delete(symbol)
    return record
  }
  return {
    applyFill({ fill, referencePrice, decision, reason }) {
      const dir = fill.side === 'buy' ? 1 : -1
      let qty = fill.qty
      const slip = referencePrice === undefined ? 0 : inverse ? Math.max(0, dir * (1 / referencePrice - 1 / fill.price)) * fill.qty * mult : Math.max(0, dir * (fill.price - referencePrice)) * fill.qty * mult
      let t = open.get(fill.symbol)
      let completed: TradeRecord | null = null
      if (t !== undefined && (t.side === 'long' ? -1 : 1) === dir) {
        // reducing
        const closeQty = Math.min(qty, t.qty)
        const share = closeQty / qty
        t.grossPnl += pnlOf(t.side, t.entryAvg, fill.price, closeQty)
        t.exitAvg = addFill(t.exitQty, t.exitAvg, closeQty, fill.price)
        t.exitQty += closeQty
        t.exitTimeMs = fill.timestampMs
        t.fees += fill.feeAmount * share
        t.slippage += slip * share
        if (decision !== undefined) t.exitDecision = decision
        if (reason !== undefined) t.exitReason = reason
        t.qty -= closeQty
        qty -= closeQty
        if (t.qty <= 1e-12 * Math.max(1, t.maxQty)) completed = finish(fill.symbol, t, false)
        if (qty <= 1e-12) return completed
        // flip: the rest opens a new trade
        t = undefined
      }
      const feeShare = fill.feeAmount * (qty / fill.qty)
      const slipShare = slip * (qty / fill.qty)
      if (t === undefined) {
        t = {
          side: dir > 0 ? 'long' : 'short',
          qty: 0,
          maxQty: 0,
          entryAvg: 0,
          entryQty: 0,
          entryTimeMs: fill.timestampMs,
          exitAvg: 0,
          exitQty: 0,
          exitTimeMs: fill.timestampMs,
          grossPnl: 0,
          fees: 0,
          funding: 0,
          slippage: 0,
          exitReason: 'signal',
          ...(decision !== undefined ? { entryDecision: decision } : {}),
        }
        open.set(fill.symbol, t)
      }
      t.qty += qty
      t.maxQty = Math.max(t.maxQty, t.qty)
      t.entryAvg = addFill(t.entryQty, t.entryAvg, qty, fill.price)
      t.entryQty += qty
      t.fees += feeShare
      t.slippage += slipShare
      return completed
    },
    applyFunding({ symbol, amount }) {
      const t = open.get(symbol)
      if (t !== undefined) t.funding += -amount
    },
    restoreOpen({ symbol, position: p }) {
      if (p === null) {
        open.delete(symbol)
        return
      }
      if (!(p.qty > 0 && Number.isFinite(p.qty))) throw new InvalidInputError(`a restored position needs a quantity > 0 (got ${p.qty})`, { path: 'position.qty' })
      if (!(p.entryPrice > 0 && Number.isFinite(p.entryPrice))) throw new InvalidInputError(`a restored position needs an entry price > 0 (got ${p.entryPrice})`, { path: 'position.entryPrice' })
      open.set(symbol, {
        side: p.side,
        qty: p.qty,
        maxQty: p.qty,
        entryAvg: p.entryPrice,
        entryQty: p.qty,
        entryTimeMs: p.entryTimeMs,
        exitAvg: 0,
        exitQty: 0,
        exitTimeMs: p.entryTimeMs,
        grossPnl: 0,
        fees: 0,
        funding: 0,
        slippage: 0,
        exitReason: 'signal',
        recovered: true,
      })
    },
    markOpenAtEnd({ symbol, price, timestampMs }) {
      const t = open.get(symbol)
      if (t === undefined) return null
      t.grossPnl += pnlOf(t.side, t.entryAvg, price, t.qty)
      t.exitAvg = addFill(t.exitQty, t.exitAvg, t.qty, price)
      t.exitQty += t.qty
      t.exitTimeMs = timestampMs
      return finish(symbol, t, true)
    },
    openQty(symbol) {
      const t = open.get(symbol)
      return t === undefined ? 0 : t.side === 'long' ? t.qty : -t.qty
    },
    trades: () => done,
  }
}
