/**
 * Initial and maintenance margin for linear and inverse perpetuals.
 * @module
 */
import { bracketsOf, findBracket } from './brackets.js'
import { positionValue } from './contracts.js'
import type { ContractSpec, MaintenanceSpec, MarginBracket } from './types.js'
import { assertPositive } from './validate.js'

/**
 * Initial margin of `qty` contracts at `price` and `leverage`: `position value / leverage` in the settle currency.
 *
 * @param args.leverage - leverage (> 0)
 * @returns initial margin in the settle currency (USDT linear, coin inverse)
 * @throws InvalidInputError on bad input (leverage ≤ 0, NaN, non-positive price)
 * @example
 * ```ts
 * import { initialMargin } from '@perpkit/sizing'
 * initialMargin({ contract: { kind: 'linear', contractSize: 1 }, qty: 1, price: 20_000, leverage: 50 }) // 400
 * initialMargin({ contract: { kind: 'inverse', contractSize: 1 }, qty: 1_000, price: 50_000, leverage: 3 }) // 0.00666…
 * ```
 */
export function initialMargin(args: {
  readonly contract: ContractSpec
  readonly qty: number
  readonly price: number
  readonly leverage: number
}): number {
  const leverage = assertPositive(args.leverage, 'leverage')
  return positionValue(args) / leverage
}

/**
 * Result of {@link maintenanceMargin}.
 *
 * @example
 * ```ts
 * import { maintenanceMargin, type MaintenanceMargin } from '@perpkit/sizing'
 * const mm: MaintenanceMargin = maintenanceMargin({ contract: { kind: 'linear', contractSize: 1 }, qty: 1, price: 20_000, maintenance: { maintenanceMarginRate: 0.005 } })
 * mm.amount // 100
 * ```
 */
export interface MaintenanceMargin {
  /** Maintenance margin in the settle currency (never negative). */
  readonly amount: number
  /** Position value the tier was chosen by (settle currency). */
  readonly notional: number
  /** The tier applied. */
  readonly bracket: MarginBracket
  readonly bracketIndex: number
}

/**
 * Maintenance margin of `qty` contracts valued at `price`:
 * `value × maintenanceMarginRate − maintenanceAmount` of the tier that contains the value.
 *
 * @param args.maintenance - `{ maintenanceMarginRate, maintenanceAmount? }` or `{ brackets }`
 * @returns {@link MaintenanceMargin}
 * @throws InvalidInputError on bad input or an invalid bracket table
 * @example
 * ```ts
 * import { maintenanceMargin } from '@perpkit/sizing'
 * maintenanceMargin({ contract: { kind: 'linear', contractSize: 1 }, qty: 1, price: 20_000, maintenance: { maintenanceMarginRate: 0.005 } }).amount // 100
 * ```
 */
export function maintenanceMargin(args: {
  readonly contract: ContractSpec
  readonly qty: number
  readonly price: number
  readonly maintenance: MaintenanceSpec
}): MaintenanceMargin {
  const notional = positionValue(args)
  const { bracket, index } = findBracket({ brackets: bracketsOf(args.maintenance), notional })
  const amount = Math.max(0, notional * bracket.maintenanceMarginRate - bracket.maintenanceAmount)
  return { amount, notional, bracket, bracketIndex: index }
}
