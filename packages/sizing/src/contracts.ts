/**
 * Conversions between contracts, coin and USD notional for linear and inverse perpetuals.
 * @module
 */
import type { ContractSpec } from './types.js'
import { assertFinite, assertNonNegative, assertPositive, checkContract } from './validate.js'

/**
 * Arguments shared by the contract conversions.
 *
 * @example
 * ```ts
 * import { type ContractAmountArgs, contractsToUsd } from '@perpkit/sizing'
 * const args: ContractAmountArgs = { contract: { kind: 'inverse', contractSize: 100 }, qty: 3, price: 60_000 }
 * contractsToUsd(args) // 300
 * ```
 */
export interface ContractAmountArgs {
  readonly contract: ContractSpec
  /** Number of contracts (≥ 0). */
  readonly qty: number
  /** Price in USD/quote per coin (> 0). */
  readonly price: number
}

/**
 * Coin (base asset) amount of `qty` contracts at `price`.
 * Linear: `qty × contractSize` (price unused but validated). Inverse: `qty × contractSize / price`.
 *
 * @param args - contract spec, `qty` contracts, `price`
 * @returns the amount in the base coin (BTC)
 * @throws InvalidInputError on a bad contract spec, negative/NaN qty or non-positive price
 * @example
 * ```ts
 * import { contractsToCoin } from '@perpkit/sizing'
 * contractsToCoin({ contract: { kind: 'inverse', contractSize: 1 }, qty: 10_000, price: 8_000 }) // 1.25
 * contractsToCoin({ contract: { kind: 'linear', contractSize: 1 }, qty: 0.5, price: 95_900.1 }) // 0.5
 * ```
 */
export function contractsToCoin(args: ContractAmountArgs): number {
  const { kind, contractSize } = checkContract(args.contract)
  const qty = assertNonNegative(args.qty, 'qty')
  const price = assertPositive(args.price, 'price')
  return kind === 'linear' ? qty * contractSize : (qty * contractSize) / price
}

/**
 * USD (quote) notional of `qty` contracts at `price`.
 * Linear: `qty × contractSize × price`. Inverse: `qty × contractSize` (price cancels out).
 *
 * @param args - contract spec, `qty` contracts, `price`
 * @returns the notional in USD (USDT for linear)
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { contractsToUsd } from '@perpkit/sizing'
 * contractsToUsd({ contract: { kind: 'linear', contractSize: 1 }, qty: 0.5, price: 95_900.1 }) // 47950.05
 * contractsToUsd({ contract: { kind: 'inverse', contractSize: 100 }, qty: 3, price: 60_000 }) // 300
 * ```
 */
export function contractsToUsd(args: ContractAmountArgs): number {
  const { kind, contractSize } = checkContract(args.contract)
  const qty = assertNonNegative(args.qty, 'qty')
  const price = assertPositive(args.price, 'price')
  return kind === 'linear' ? qty * contractSize * price : qty * contractSize
}

/**
 * Value of `qty` contracts at `price` in the settle currency: USDT for linear (`= contractsToUsd`), the coin
 * for inverse (`= contractsToCoin`). Margin, fees and funding are fractions of this value.
 *
 * @param args - contract spec, `qty` contracts, `price`
 * @returns the position value in the settle currency
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { positionValue } from '@perpkit/sizing'
 * positionValue({ contract: { kind: 'inverse', contractSize: 1 }, qty: 10_000, price: 8_000 }) // 1.25 (BTC)
 * ```
 */
export function positionValue(args: ContractAmountArgs): number {
  return args.contract?.kind === 'inverse' ? contractsToCoin(args) : contractsToUsd(args)
}

/**
 * Number of contracts (unrounded) holding `coin` of the base asset at `price`. Inverse of {@link contractsToCoin}.
 *
 * @param args.coin - amount of base coin (≥ 0)
 * @returns contracts, not rounded to the lot step (use core's `roundQty`)
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { coinToContracts } from '@perpkit/sizing'
 * coinToContracts({ contract: { kind: 'inverse', contractSize: 1 }, coin: 1.25, price: 8_000 }) // 10000
 * ```
 */
export function coinToContracts(args: { readonly contract: ContractSpec; readonly coin: number; readonly price: number }): number {
  const { kind, contractSize } = checkContract(args.contract)
  const coin = assertNonNegative(args.coin, 'coin')
  const price = assertPositive(args.price, 'price')
  return kind === 'linear' ? coin / contractSize : (coin * price) / contractSize
}

/**
 * Number of contracts (unrounded) worth `usd` of notional at `price`. Inverse of {@link contractsToUsd}.
 *
 * @param args.usd - notional in USD/quote (≥ 0)
 * @returns contracts, not rounded to the lot step
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { usdToContracts } from '@perpkit/sizing'
 * usdToContracts({ contract: { kind: 'linear', contractSize: 1 }, usd: 1_000, price: 50_000 }) // 0.02
 * usdToContracts({ contract: { kind: 'inverse', contractSize: 100 }, usd: 1_000, price: 50_000 }) // 10
 * ```
 */
export function usdToContracts(args: { readonly contract: ContractSpec; readonly usd: number; readonly price: number }): number {
  const { kind, contractSize } = checkContract(args.contract)
  const usd = assertNonNegative(args.usd, 'usd')
  const price = assertPositive(args.price, 'price')
  return kind === 'linear' ? usd / (contractSize * price) : usd / contractSize
}

/**
 * Convert an amount in the settle currency to USD at `price` (linear: unchanged; inverse: `× price`).
 *
 * @param args.amount - amount in the settle currency (any sign)
 * @returns the amount in USD
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { settleToUsd } from '@perpkit/sizing'
 * settleToUsd({ contract: { kind: 'inverse', contractSize: 1 }, amount: 0.45, price: 12_500 }) // 5625
 * ```
 */
export function settleToUsd(args: { readonly contract: ContractSpec; readonly amount: number; readonly price: number }): number {
  const { kind } = checkContract(args.contract)
  const price = assertPositive(args.price, 'price')
  const amount = assertFinite(args.amount, 'amount')
  return kind === 'linear' ? amount : amount * price
}

/**
 * Convert a USD amount to the settle currency at `price` (linear: unchanged; inverse: `/ price`).
 *
 * @param args.usd - amount in USD (any sign)
 * @returns the amount in the settle currency
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { usdToSettle } from '@perpkit/sizing'
 * usdToSettle({ contract: { kind: 'inverse', contractSize: 1 }, usd: 10, price: 50_000 }) // 0.0002
 * ```
 */
export function usdToSettle(args: { readonly contract: ContractSpec; readonly usd: number; readonly price: number }): number {
  const { kind } = checkContract(args.contract)
  const price = assertPositive(args.price, 'price')
  const usd = assertFinite(args.usd, 'usd')
  return kind === 'linear' ? usd : usd / price
}
