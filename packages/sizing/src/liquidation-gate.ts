/**
 * Liquidation-distance gate: liquidation must be far beyond the stop.
 * @module
 */
import { fail, InvalidInputError, ok, type PositionSide, roundQty } from '@perpkit/core'
import { liquidationDistance } from './liquidation.js'
import type { SizingDecision } from './reasons.js'
import { assertFinite, assertNonNegative, assertPositive, checkFraction, checkSide } from './validate.js'

/**
 * Conservative proxy used when no liquidation estimate exists.
 *
 * @example
 * ```ts
 * import { type LiquidationProxy } from '@perpkit/sizing'
 * const strict: LiquidationProxy = { maxLeverage: 2, maxStopDistance: 0.04, sizeHaircut: 0.3 }
 * ```
 */
export interface LiquidationProxy {
  /** Highest leverage allowed without an estimate. Default 3. */
  readonly maxLeverage: number
  /** Widest stop allowed without an estimate. Default 0.05. */
  readonly maxStopDistance: number
  /** Size cut applied without an estimate. Default 0.2 (20 %). */
  readonly sizeHaircut: number
}

/**
 * Default {@link LiquidationProxy}: leverage ≤ 3, stop ≤ 5 %, size cut by 20 %.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIQUIDATION_PROXY } from '@perpkit/sizing'
 * DEFAULT_LIQUIDATION_PROXY.sizeHaircut // 0.2
 * ```
 */
export const DEFAULT_LIQUIDATION_PROXY: LiquidationProxy = { maxLeverage: 3, maxStopDistance: 0.05, sizeHaircut: 0.2 }

/**
 * Outcome of {@link checkLiquidationDistance}.
 *
 * @example
 * ```ts
 * import { checkLiquidationDistance } from '@perpkit/sizing'
 * const r = checkLiquidationDistance({ side: 'long', entryPrice: 50_000, liquidationPrice: undefined, stopDistance: 0.03, minDistance: 0.3, leverage: 3, qty: 1_000, lotStep: 1, minQty: 1 })
 * if (r.ok) r.value.method // 'proxy'
 * ```
 */
export interface LiquidationGateResult {
  /** `price` when a liquidation price was given (prefer the exchange's), `proxy` otherwise. */
  readonly method: 'price' | 'proxy'
  /** Distance from entry to liquidation as a fraction (`null` for the proxy). */
  readonly distance: number | null
  /** Required distance: `max(stopDistance × stopMultiple, minDistance)` (`null` for the proxy). */
  readonly required: number | null
  /** Size to use: unchanged with a price, cut by the haircut and floored to the lot step with the proxy. */
  readonly qty: number
}

/**
 * Gate on the distance from entry to liquidation. With a liquidation price (prefer the exchange-reported one,
 * else `liquidationPrice(...)`), require `distance ≥ max(stopDistance × stopMultiple, minDistance)`
 * (001: min 30 % stages 1–2, 20 % stage 3 at 2x). Without one, apply the conservative proxy: leverage ≤ 3 and
 * stop ≤ 5 %, and cut the size by 20 % (floored to `lotStep`; re-checked against `minQty`).
 *
 * @param args.liquidationPrice - liquidation price, or `undefined` when no estimate is available
 * @param args.stopMultiple - required multiple of the stop distance (default 2)
 * @returns `ok(LiquidationGateResult)` or `fail` with `liquidation-too-close`, `proxy-leverage-too-high`,
 *   `proxy-stop-too-wide` or `below-min-qty` (after the haircut)
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { checkLiquidationDistance } from '@perpkit/sizing'
 * checkLiquidationDistance({ side: 'long', entryPrice: 50_000, liquidationPrice: 33_500, stopDistance: 0.03, minDistance: 0.3,
 *   leverage: 3, qty: 1_000, lotStep: 1, minQty: 1 }) // ok: distance 0.33 ≥ 0.30
 * checkLiquidationDistance({ side: 'long', entryPrice: 50_000, liquidationPrice: undefined, stopDistance: 0.03, minDistance: 0.3,
 *   leverage: 3, qty: 1_000, lotStep: 1, minQty: 1 }) // ok via proxy: qty 800
 * ```
 */
export function checkLiquidationDistance(args: {
  readonly side: PositionSide
  readonly entryPrice: number
  readonly liquidationPrice: number | undefined
  readonly stopDistance: number
  readonly minDistance: number
  readonly stopMultiple?: number
  readonly leverage: number
  readonly qty: number
  readonly lotStep: number
  readonly minQty: number
  readonly proxy?: LiquidationProxy
}): SizingDecision<LiquidationGateResult, 'liquidation-too-close' | 'proxy-leverage-too-high' | 'proxy-stop-too-wide' | 'below-min-qty'> {
  const side = checkSide(args.side)
  const entryPrice = assertPositive(args.entryPrice, 'entryPrice')
  const stop = checkFraction(args.stopDistance, 'stopDistance', { allowZero: false })
  const minDistance = checkFraction(args.minDistance, 'minDistance')
  const multiple = assertPositive(args.stopMultiple ?? 2, 'stopMultiple')
  const leverage = assertPositive(args.leverage, 'leverage')
  const qty = assertNonNegative(args.qty, 'qty')
  const lotStep = assertPositive(args.lotStep, 'lotStep')
  const minQty = assertPositive(args.minQty, 'minQty')

  if (args.liquidationPrice !== undefined) {
    const liq = args.liquidationPrice
    if (liq !== Number.POSITIVE_INFINITY) assertFinite(liq, 'liquidationPrice')
    const distance = liquidationDistance({ side, referencePrice: entryPrice, liquidationPrice: liq })
    const required = Math.max(stop * multiple, minDistance)
    const value: LiquidationGateResult = { method: 'price', distance, required, qty }
    return distance >= required ? ok(value) : fail('liquidation-too-close', { ...value, liquidationPrice: liq })
  }

  const proxy = args.proxy ?? DEFAULT_LIQUIDATION_PROXY
  const maxLeverage = assertPositive(proxy.maxLeverage, 'proxy.maxLeverage')
  const maxStop = checkFraction(proxy.maxStopDistance, 'proxy.maxStopDistance', { allowZero: false })
  const haircut = checkFraction(proxy.sizeHaircut, 'proxy.sizeHaircut')
  if (leverage > maxLeverage) return fail('proxy-leverage-too-high', { leverage, maxLeverage })
  if (stop > maxStop) return fail('proxy-stop-too-wide', { stopDistance: stop, maxStopDistance: maxStop })
  const cut = roundQty({ qty: qty * (1 - haircut), lotStep })
  if (cut < minQty || cut <= 0) return fail('below-min-qty', { qty: cut, minQty, beforeHaircut: qty })
  if (cut > qty) throw new InvalidInputError('haircut increased the size', { path: 'proxy.sizeHaircut' })
  return ok({ method: 'proxy', distance: null, required: null, qty: cut })
}
