/**
 * Liquidation-price estimates for isolated and cross margin, linear (with maintenance brackets) and inverse.
 *
 * The position is liquidated when its margin balance falls to its maintenance margin:
 * `collateral + unrealisedPnL(P) = MM(P)`, solved exactly for the price `P`.
 *
 * - `collateral` is the isolated position margin (plus any margin added), or for cross margin
 *   `walletBalance − otherMaintenanceMargin + otherUnrealizedPnl` (Binance's `WB − TMM1 + UPNL1`).
 * - `maintenanceBasis: 'liquidation-price'` (default, Binance): the maintenance margin is valued at the
 *   liquidation price, and the bracket is re-chosen if the position value at that price falls in another tier.
 *   Linear: `P = (C + cum − s·Q·EP) / (Q·MMR − s·Q)`; inverse: `P = Q·(MMR + s) / (C + cum + s·Q/EP)`
 *   (Q in contracts × contractSize, s = +1 long / −1 short).
 * - `maintenanceBasis: 'entry-price'` (Bybit): the maintenance margin is valued at entry:
 *   linear `P = EP − s·(C − MM)/Q`; inverse `1/P = 1/EP + s·(C − MM)/Q`.
 *
 * An estimated fee to close can be passed as `feeToClose` (it is subtracted from the collateral); funding is not included.
 * @module
 */
import { InvalidInputError, type PositionSide } from '@perpkit/core'
import { bracketsOf } from './brackets.js'
import { maintenanceMargin } from './margin.js'
import type { ContractSpec, MaintenanceSpec, MarginBracket } from './types.js'
import { assertFinite, assertNonNegative, assertPositive, checkContract, checkSide, direction } from './validate.js'

/**
 * Where the maintenance margin is valued: at the liquidation price (Binance) or at entry (Bybit).
 *
 * @example
 * ```ts
 * import { type MaintenanceBasis } from '@perpkit/sizing'
 * const basis: MaintenanceBasis = 'entry-price' // Bybit's convention
 * ```
 */
export type MaintenanceBasis = 'liquidation-price' | 'entry-price'

/**
 * The margin backing the position.
 *
 * @example
 * ```ts
 * import { type LiquidationMargin } from '@perpkit/sizing'
 * const isolated: LiquidationMargin = { mode: 'isolated', positionMargin: 400 }
 * const cross: LiquidationMargin = { mode: 'cross', walletBalance: 1_000, otherMaintenanceMargin: 150, otherUnrealizedPnl: -450 }
 * ```
 */
export type LiquidationMargin =
  | {
      readonly mode: 'isolated'
      /** Isolated position margin in the settle currency (initial margin + margin added). */
      readonly positionMargin: number
    }
  | {
      readonly mode: 'cross'
      /** Cross wallet balance in the settle currency (Binance `WB`). */
      readonly walletBalance: number
      /** Maintenance margin of all other positions sharing the wallet (Binance `TMM1`), default 0. */
      readonly otherMaintenanceMargin?: number
      /** Unrealised PnL of all other positions sharing the wallet (Binance `UPNL1`), default 0. */
      readonly otherUnrealizedPnl?: number
    }

/**
 * Arguments of {@link liquidationPrice} / {@link liquidationEstimate}.
 *
 * @example
 * ```ts
 * import { type LiquidationArgs, liquidationPrice } from '@perpkit/sizing'
 * const args: LiquidationArgs = { contract: { kind: 'linear', contractSize: 1 }, side: 'long', qty: 1, entryPrice: 20_000,
 *   margin: { mode: 'isolated', positionMargin: 400 }, maintenance: { maintenanceMarginRate: 0.005 }, maintenanceBasis: 'entry-price' }
 * liquidationPrice(args) // 19700
 * ```
 */
export interface LiquidationArgs {
  readonly contract: ContractSpec
  readonly side: PositionSide
  /** Number of contracts (> 0). */
  readonly qty: number
  readonly entryPrice: number
  readonly margin: LiquidationMargin
  readonly maintenance: MaintenanceSpec
  readonly maintenanceBasis?: MaintenanceBasis
  /**
   * Estimated fee to close the position, in the settle currency, counted as part of the maintenance
   * requirement (Bybit adds `qty × takerFee / bankruptcyPrice` for inverse). Default 0.
   */
  readonly feeToClose?: number
}

/**
 * Result of {@link liquidationEstimate}.
 *
 * @example
 * ```ts
 * import { liquidationEstimate, type LiquidationEstimate } from '@perpkit/sizing'
 * const est: LiquidationEstimate = liquidationEstimate({ contract: { kind: 'linear', contractSize: 1 }, side: 'short', qty: 1, entryPrice: 20_000,
 *   margin: { mode: 'isolated', positionMargin: 400 }, maintenance: { maintenanceMarginRate: 0.005 } })
 * est.bracketIndex // 0
 * ```
 */
export interface LiquidationEstimate {
  /**
   * Estimated liquidation price. `0` for a long that cannot be liquidated (collateral covers a fall to zero),
   * or for a short whose collateral is already below its requirement (liquidated at any price);
   * `Infinity` for a short that cannot be liquidated (inverse shorts with enough collateral), or for a long
   * whose collateral is already below its maintenance margin (liquidated at any price).
   */
  readonly price: number
  /** Collateral used (after subtracting `feeToClose`), in the settle currency. */
  readonly collateral: number
  /** Index of the maintenance bracket applied. */
  readonly bracketIndex: number
  readonly bracket: MarginBracket
  readonly maintenanceBasis: MaintenanceBasis
}

/**
 * Estimate the liquidation price with details (collateral and bracket used). See the module notes for formulas.
 *
 * @returns {@link LiquidationEstimate}
 * @throws InvalidInputError on bad input (qty ≤ 0, non-positive price, NaN, negative margin)
 * @example
 * ```ts
 * import { liquidationEstimate } from '@perpkit/sizing'
 * liquidationEstimate({
 *   contract: { kind: 'linear', contractSize: 1 }, side: 'long', qty: 1, entryPrice: 20_000,
 *   margin: { mode: 'isolated', positionMargin: 400 }, maintenance: { maintenanceMarginRate: 0.005 },
 *   maintenanceBasis: 'entry-price',
 * }).price // 19700 (Bybit's example)
 * ```
 */
export function liquidationEstimate(args: LiquidationArgs): LiquidationEstimate {
  const contract = checkContract(args.contract)
  const s = direction(checkSide(args.side))
  const qty = assertPositive(args.qty, 'qty')
  const entry = assertPositive(args.entryPrice, 'entryPrice')
  const basis = args.maintenanceBasis ?? 'liquidation-price'
  if (basis !== 'liquidation-price' && basis !== 'entry-price') {
    throw new InvalidInputError(`unknown maintenanceBasis ${String(basis)}`, { path: 'maintenanceBasis' })
  }
  const collateral = collateralOf(args.margin) - assertNonNegative(args.feeToClose ?? 0, 'feeToClose')
  const brackets = bracketsOf(args.maintenance)
  const q = qty * contract.contractSize
  const inverse = contract.kind === 'inverse'

  if (basis === 'entry-price') {
    const mm = maintenanceMargin({ contract, qty, price: entry, maintenance: { brackets } })
    const excess = collateral - mm.amount
    const price = inverse ? invertPrice(1 / entry + (s * excess) / q, s) : clampLong(entry - (s * excess) / q, s)
    return { price, collateral, bracketIndex: mm.bracketIndex, bracket: mm.bracket, maintenanceBasis: basis }
  }

  const candidates = brackets.map((b, index) => {
    const price = inverse ? inverseAtMark(q, s, entry, collateral, b) : linearAtMark(q, s, entry, collateral, b)
    const value = inverse ? (Number.isFinite(price) && price > 0 ? q / price : 0) : q * price
    const last = index === brackets.length - 1
    const consistent = value >= b.notionalFloor && (value < b.notionalCap || last)
    return { price, index, bracket: b, consistent }
  })
  const pool = candidates.some((c) => c.consistent) ? candidates.filter((c) => c.consistent) : candidates
  // Several (or no) self-consistent tiers can only arise from a discontinuous table: take the most conservative.
  const pick = pool.reduce((best, c) => ((s === 1 ? c.price > best.price : c.price < best.price) ? c : best))
  return { price: pick.price, collateral, bracketIndex: pick.index, bracket: pick.bracket, maintenanceBasis: basis }
}

/**
 * Estimated liquidation price (see {@link liquidationEstimate}); `0` = a long that cannot be liquidated (or a
 * short already past liquidation), `Infinity` = a short that cannot be liquidated (or a long already past it).
 *
 * @returns the liquidation price
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { liquidationPrice } from '@perpkit/sizing'
 * // Bybit inverse: long 1,000 BTCUSD at 50,000 with 0.01 BTC isolated margin, MMR 0.5 %
 * liquidationPrice({
 *   contract: { kind: 'inverse', contractSize: 1 }, side: 'long', qty: 1_000, entryPrice: 50_000,
 *   margin: { mode: 'isolated', positionMargin: 0.01 }, maintenance: { maintenanceMarginRate: 0.005 },
 *   maintenanceBasis: 'entry-price',
 * })
 * ```
 */
export function liquidationPrice(args: LiquidationArgs): number {
  return liquidationEstimate(args).price
}

/**
 * Bankruptcy price: where the position's collateral is exhausted (liquidation with zero maintenance margin),
 * e.g. Bybit USDT isolated long `EP × (1 − 1/leverage)`. Same conventions for `0`/`Infinity` as
 * {@link liquidationPrice}.
 *
 * @returns the bankruptcy price
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { bankruptcyPrice } from '@perpkit/sizing'
 * // Bybit: 1 BTC long at 10,000 USDT, 50x → 10,000 × (1 − 2 %) = 9,800
 * bankruptcyPrice({ contract: { kind: 'linear', contractSize: 1 }, side: 'long', qty: 1, entryPrice: 10_000,
 *   margin: { mode: 'isolated', positionMargin: 200 } })
 * ```
 */
export function bankruptcyPrice(args: Omit<LiquidationArgs, 'maintenance' | 'maintenanceBasis'>): number {
  return liquidationEstimate({ ...args, maintenance: { maintenanceMarginRate: 0 }, maintenanceBasis: 'entry-price' }).price
}

/**
 * Distance from a reference price to the liquidation price as a fraction of the reference:
 * `(ref − liq)/ref` for a long, `(liq − ref)/ref` for a short. `1` for a long with liq 0, `Infinity` for a
 * short with liq `Infinity`; negative when already past liquidation.
 *
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { liquidationDistance } from '@perpkit/sizing'
 * liquidationDistance({ side: 'long', referencePrice: 20_000, liquidationPrice: 19_700 }) // 0.015
 * ```
 */
export function liquidationDistance(args: {
  readonly side: PositionSide
  readonly referencePrice: number
  readonly liquidationPrice: number
}): number {
  const s = direction(checkSide(args.side))
  const ref = assertPositive(args.referencePrice, 'referencePrice')
  const liq = args.liquidationPrice === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : assertNonNegative(args.liquidationPrice, 'liquidationPrice')
  if (liq === Number.POSITIVE_INFINITY) return s === 1 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY
  return (s * (ref - liq)) / ref
}

function collateralOf(margin: LiquidationMargin): number {
  if (margin === null || typeof margin !== 'object') throw new InvalidInputError('expected a margin spec', { path: 'margin' })
  if (margin.mode === 'isolated') return assertNonNegative(margin.positionMargin, 'margin.positionMargin')
  if (margin.mode === 'cross') {
    const wb = assertNonNegative(margin.walletBalance, 'margin.walletBalance')
    const otherMm = assertNonNegative(margin.otherMaintenanceMargin ?? 0, 'margin.otherMaintenanceMargin')
    const otherUpnl = assertFinite(margin.otherUnrealizedPnl ?? 0, 'margin.otherUnrealizedPnl')
    return wb - otherMm + otherUpnl
  }
  throw new InvalidInputError(`unknown margin mode ${String((margin as { mode?: unknown }).mode)}`, { path: 'margin.mode' })
}

function linearAtMark(q: number, s: 1 | -1, entry: number, c: number, b: MarginBracket): number {
  const p = (c + b.maintenanceAmount - s * q * entry) / (q * b.maintenanceMarginRate - s * q)
  return clampLong(p, s)
}

function inverseAtMark(q: number, s: 1 | -1, entry: number, c: number, b: MarginBracket): number {
  const denominator = c + b.maintenanceAmount + (s * q) / entry
  const numerator = q * (b.maintenanceMarginRate + s)
  // long: denominator ≤ 0 means the collateral is already gone (liquidated at any price);
  // short: denominator ≥ 0 means the collateral covers any rise (never liquidated). Both → Infinity.
  if (s === 1 ? denominator <= 0 : denominator >= 0) return Number.POSITIVE_INFINITY
  return clampLong(numerator / denominator, s)
}

/** From `1/P`: a non-positive reciprocal means a short is never liquidated / a long is liquidated at any price. */
function invertPrice(reciprocal: number, s: 1 | -1): number {
  if (reciprocal <= 0) return Number.POSITIVE_INFINITY
  return clampLong(1 / reciprocal, s)
}

/**
 * A non-positive solution means: a long can never be liquidated (0), or a short's collateral is already below
 * its requirement so any price liquidates it (also 0: every positive price is ≥ it).
 */
function clampLong(p: number, _s: 1 | -1): number {
  return p > 0 ? p : 0
}
