/**
 * One-way position bookkeeping of a fill (open, increase, reduce, close, flip). All money math
 * (PnL, position value, initial margin) comes from `@perpkit/sizing`.
 * @module
 */
import { type MarginMode, nextAveragePrice, type PositionSide, type Side } from '@perpkit/core'
import { type ContractSpec, initialMargin, pnl } from '@perpkit/sizing'

/**
 * A one-way position as the simulator keeps it.
 * @example
 * ```ts
 * import { type SimPosition } from '@perpkit/sim'
 * const p: SimPosition = { side: 'long', qty: 10_000, entryPrice: 8_000, isolatedMargin: 0 }
 * ```
 */
export interface SimPosition {
  readonly side: PositionSide
  /** Contracts (> 0). */
  readonly qty: number
  readonly entryPrice: number
  /** Isolated margin in the settle asset (0 in cross mode). */
  readonly isolatedMargin: number
}

/**
 * Result of {@link applyFill}.
 * @example
 * ```ts
 * import { applyFill, type FillOutcome } from '@perpkit/sim'
 * const contract = { kind: 'linear', contractSize: 1 } as const
 * const out: FillOutcome = applyFill({ contract, position: null, side: 'buy', qty: 1, price: 100_000, leverage: 10, marginMode: 'isolated' })
 * ```
 */
export interface FillOutcome {
  /** The position after the fill, `null` when flat. */
  readonly position: SimPosition | null
  /** Realized PnL of the reduced part, in the settle asset (fees not included). */
  readonly realizedPnl: number
  /** Contracts that reduced the previous position. */
  readonly closedQty: number
  /** Contracts that opened or increased a position. */
  readonly openedQty: number
}

/**
 * Apply one fill to a one-way position.
 *
 * Entry price of an increase follows core's `nextAveragePrice`: the qty-weighted arithmetic mean for linear
 * contracts, the harmonic mean for inverse ones, which is how both venues average entries. Isolated margin grows by sizing's
 * `initialMargin` of the opened part and shrinks pro rata on reductions.
 *
 * @param args.contract - kind and contract size
 * @param args.position - position before the fill (`null` = flat)
 * @param args.side - side of the fill
 * @param args.qty - contracts filled (> 0)
 * @param args.price - fill price (> 0)
 * @param args.leverage - leverage for the isolated margin of an opened part
 * @param args.marginMode - isolated or cross
 * @returns the new position, realized PnL and the closed/opened split
 * @throws InvalidInputError (from sizing) for non-positive price or negative qty
 * @example
 * ```ts
 * import { applyFill } from '@perpkit/sim'
 * const open = applyFill({ contract: { kind: 'inverse', contractSize: 1 }, position: null, side: 'buy', qty: 10_000, price: 8_000, leverage: 10, marginMode: 'cross' })
 * const close = applyFill({ contract: { kind: 'inverse', contractSize: 1 }, position: open.position, side: 'sell', qty: 10_000, price: 12_500, leverage: 10, marginMode: 'cross' })
 * close.realizedPnl // 0.45 (BTC)
 * ```
 */
export function applyFill(args: {
  readonly contract: ContractSpec
  readonly position: SimPosition | null
  readonly side: Side
  readonly qty: number
  readonly price: number
  readonly leverage: number
  readonly marginMode: MarginMode
}): FillOutcome {
  const { contract, position, side, qty, price } = args
  const fillSide: PositionSide = side === 'buy' ? 'long' : 'short'
  const im = (q: number): number => (args.marginMode === 'isolated' ? initialMargin({ contract, qty: q, price, leverage: args.leverage }) : 0)
  if (position === null) {
    return { position: { side: fillSide, qty, entryPrice: price, isolatedMargin: im(qty) }, realizedPnl: 0, closedQty: 0, openedQty: qty }
  }
  if (position.side === fillSide) {
    const total = position.qty + qty
    const entryPrice = nextAveragePrice({ kind: contract.kind, qty: position.qty, averagePrice: position.entryPrice, fillQty: qty, fillPrice: price })
    return {
      position: { side: fillSide, qty: total, entryPrice, isolatedMargin: position.isolatedMargin + im(qty) },
      realizedPnl: 0,
      closedQty: 0,
      openedQty: qty,
    }
  }
  const closedQty = Math.min(position.qty, qty)
  const realizedPnl = pnl({ contract, side: position.side, qty: closedQty, entryPrice: position.entryPrice, exitPrice: price })
  const rest = position.qty - closedQty
  const remainder = qty - closedQty
  // Quantities are lot-step multiples; treat float dust as zero.
  const eps = 1e-9 * Math.max(1, position.qty, qty)
  if (rest > eps) {
    return {
      position: { ...position, qty: rest, isolatedMargin: (position.isolatedMargin * rest) / position.qty },
      realizedPnl,
      closedQty,
      openedQty: 0,
    }
  }
  if (remainder > eps) {
    return { position: { side: fillSide, qty: remainder, entryPrice: price, isolatedMargin: im(remainder) }, realizedPnl, closedQty, openedQty: remainder }
  }
  return { position: null, realizedPnl, closedQty, openedQty: 0 }
}
