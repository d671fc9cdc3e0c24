/**
 * Trading-fee estimates for linear and inverse perpetuals.
 * @module
 */
import type { Liquidity } from '@perpkit/core'
import { positionValue } from './contracts.js'
import type { ContractSpec } from './types.js'
import { InvalidInputError } from '@perpkit/core'
import { assertPositive, checkContract, checkRate } from './validate.js'

/**
 * Arguments of {@link fee}.
 *
 * @example
 * ```ts
 * import { fee, type FeeArgs } from '@perpkit/sizing'
 * const args: FeeArgs = { contract: { kind: 'linear', contractSize: 1 }, qty: 0.5, price: 95_900.1, feeRate: 0.00055 }
 * fee(args) // 26.3725275
 * ```
 */
export interface FeeArgs {
  readonly contract: ContractSpec
  /** Number of contracts traded (≥ 0). */
  readonly qty: number
  /** Fill price (> 0). */
  readonly price: number
  /** Fee rate as a fraction (0.00055 = 0.055 %); negative = maker rebate. */
  readonly feeRate: number
}

/**
 * Fee of one fill in the settle currency: `position value × feeRate`
 * (linear: `qty × contractSize × price × rate` USDT; inverse: `qty × contractSize / price × rate` coin).
 * A negative result is a rebate received.
 *
 * @param args - contract, qty, price, feeRate
 * @returns the fee in the settle currency (positive = paid)
 * @throws InvalidInputError on bad input (|feeRate| ≥ 1, NaN, non-positive price)
 * @example
 * ```ts
 * import { fee } from '@perpkit/sizing'
 * // Bybit: 10,000 BTCUSD contracts at 8,000, taker 0.075 % → 0.0009375 BTC
 * fee({ contract: { kind: 'inverse', contractSize: 1 }, qty: 10_000, price: 8_000, feeRate: 0.00075 })
 * // Bybit: 0.5 BTC of BTCUSDT at 95,900.1, 0.055 % → 26.3725275 USDT
 * fee({ contract: { kind: 'linear', contractSize: 1 }, qty: 0.5, price: 95_900.1, feeRate: 0.00055 })
 * ```
 */
export function fee(args: FeeArgs): number {
  const rate = checkRate(args.feeRate, 'feeRate')
  const v = positionValue(args) * rate
  return v === 0 ? 0 : v
}

/**
 * Result of {@link estimateFee}.
 *
 * @example
 * ```ts
 * import { estimateFee, type FeeEstimate } from '@perpkit/sizing'
 * const e: FeeEstimate = estimateFee({ contract: { kind: 'inverse', contractSize: 1, makerFeeRate: 0.0001, takerFeeRate: 0.0006 }, qty: 1_000, price: 50_000, liquidity: 'taker' })
 * e.feeUsd // 0.6
 * ```
 */
export interface FeeEstimate {
  /** Rate applied (maker or taker). */
  readonly feeRate: number
  /** Fee in the settle currency (USDT linear, coin inverse). */
  readonly feeSettle: number
  /** Fee in USD: linear = `feeSettle`; inverse = `contracts × contractSize × rate` (price cancels out). */
  readonly feeUsd: number
}

/**
 * Estimate the fee of a fill as maker or taker from the instrument's rates, in the settle currency and in USD.
 *
 * @param args.contract - contract spec with `makerFeeRate` and `takerFeeRate` (a core `Instrument` fits)
 * @param args.liquidity - `'maker'` or `'taker'`
 * @returns {@link FeeEstimate}
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { estimateFee } from '@perpkit/sizing'
 * const btcusd = { kind: 'inverse', contractSize: 1, makerFeeRate: -0.00025, takerFeeRate: 0.00075 } as const
 * estimateFee({ contract: btcusd, qty: 10_000, price: 8_000, liquidity: 'maker' })
 * // { feeRate: -0.00025, feeSettle: -0.0003125, feeUsd: -2.5 }
 * ```
 */
export function estimateFee(args: {
  readonly contract: ContractSpec & { readonly makerFeeRate: number; readonly takerFeeRate: number }
  readonly qty: number
  readonly price: number
  readonly liquidity: Liquidity
}): FeeEstimate {
  const { contract, qty, price, liquidity } = args
  checkContract(contract)
  if (liquidity !== 'maker' && liquidity !== 'taker') {
    throw new InvalidInputError(`expected 'maker' or 'taker', got ${String(liquidity)}`, { path: 'liquidity' })
  }
  const feeRate = checkRate(liquidity === 'maker' ? contract.makerFeeRate : contract.takerFeeRate, `contract.${liquidity}FeeRate`)
  const feeSettle = fee({ contract, qty, price, feeRate })
  const feeUsd = contract.kind === 'linear' ? feeSettle : feeSettle * assertPositive(price, 'price')
  return { feeRate, feeSettle, feeUsd: feeUsd === 0 ? 0 : feeUsd }
}

/**
 * Round-trip (entry + exit) fee buffer in the settle currency at one price: `2 × value × feeRate`
 * (the margin check's `fee_buffer = contracts_to_btc × maker_fee_rate × 2`). A rebate rate gives 0 (a buffer is never negative).
 *
 * @returns fee buffer ≥ 0 in the settle currency
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { roundTripFee } from '@perpkit/sizing'
 * roundTripFee({ contract: { kind: 'inverse', contractSize: 1 }, qty: 1_000, price: 50_000, feeRate: 0.0001 }) // 0.000004
 * ```
 */
export function roundTripFee(args: FeeArgs): number {
  return Math.max(0, 2 * fee(args))
}

