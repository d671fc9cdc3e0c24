/**
 * Shared input types of `@perpkit/sizing`.
 * @module
 */
import type { ContractKind } from '@perpkit/core'

/**
 * The two facts about a contract that every formula needs. A core `Instrument` satisfies it.
 *
 * - `linear` (USDⓈ-M, Bybit USDT perpetuals): `qty` is a number of contracts of `contractSize` base units
 *   (1 on Binance/Bybit, so `qty` is in BTC); PnL, margin, fees and funding are in the quote currency (USDT).
 * - `inverse` (Bybit BTCUSD, Binance COIN-M): `qty` is a number of contracts worth `contractSize` USD each
 *   (1 on Bybit, 100 on Binance BTCUSD_PERP); PnL, margin, fees and funding are in the base coin (BTC).
 *
 * "Settle currency" below means USDT for linear and the coin for inverse.
 *
 * @example
 * ```ts
 * import { type ContractSpec } from '@perpkit/sizing'
 * const btcusd: ContractSpec = { kind: 'inverse', contractSize: 1 }
 * ```
 */
export interface ContractSpec {
  readonly kind: ContractKind
  readonly contractSize: number
}

/**
 * One maintenance-margin tier (Binance "leverage bracket", Bybit "risk limit").
 *
 * A position whose value in the settle currency is in `[notionalFloor, notionalCap)` uses this tier:
 * `maintenance margin = value × maintenanceMarginRate − maintenanceAmount`.
 * `maintenanceAmount` is Binance's `cum` ("maintenance amount") / Bybit's "MM deduction".
 *
 * @example
 * ```ts
 * import { type MarginBracket } from '@perpkit/sizing'
 * const tier: MarginBracket = { notionalFloor: 50_000, notionalCap: 250_000, maintenanceMarginRate: 0.005, maintenanceAmount: 50 }
 * ```
 */
export interface MarginBracket {
  readonly notionalFloor: number
  readonly notionalCap: number
  readonly maintenanceMarginRate: number
  readonly maintenanceAmount: number
  readonly maxLeverage?: number
}

/**
 * How the maintenance margin is specified: either one flat rate (with an optional deduction) or a
 * bracket table.
 *
 * @example
 * ```ts
 * import { type MaintenanceSpec } from '@perpkit/sizing'
 * const flat: MaintenanceSpec = { maintenanceMarginRate: 0.005 }
 * const tiered: MaintenanceSpec = { brackets: [{ notionalFloor: 0, notionalCap: 50_000, maintenanceMarginRate: 0.004, maintenanceAmount: 0 }] }
 * ```
 */
export type MaintenanceSpec =
  | { readonly maintenanceMarginRate: number; readonly maintenanceAmount?: number }
  | { readonly brackets: readonly MarginBracket[] }

/**
 * The instrument facts sizing needs: contract spec plus lot step and minimums. A core `Instrument` satisfies it.
 * `minNotional` is in USD (USDT) of notional; use 0 when the venue has none (Bybit inverse).
 *
 * @example
 * ```ts
 * import { type SizingInstrument } from '@perpkit/sizing'
 * const btcusdt: SizingInstrument = { kind: 'linear', contractSize: 1, lotStep: 0.001, minQty: 0.001, minNotional: 100 }
 * ```
 */
export interface SizingInstrument extends ContractSpec {
  readonly lotStep: number
  readonly minQty: number
  readonly minNotional: number
  readonly maxQty?: number | undefined
}
