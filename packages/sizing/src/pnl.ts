/**
 * Exact profit and loss for linear and inverse perpetuals.
 * @module
 */
import type { PositionSide } from '@perpkit/core'
import type { ContractSpec } from './types.js'
import { assertNonNegative, assertPositive, checkContract, checkSide, direction } from './validate.js'

/**
 * Arguments of {@link pnl}.
 *
 * @example
 * ```ts
 * import { pnl, type PnlArgs } from '@perpkit/sizing'
 * const args: PnlArgs = { contract: { kind: 'inverse', contractSize: 1 }, side: 'long', qty: 10_000, entryPrice: 8_000, exitPrice: 12_500 }
 * pnl(args) // 0.45
 * ```
 */
export interface PnlArgs {
  readonly contract: ContractSpec
  readonly side: PositionSide
  /** Number of contracts (≥ 0). */
  readonly qty: number
  readonly entryPrice: number
  readonly exitPrice: number
}

/**
 * Realised PnL of closing `qty` contracts opened at `entryPrice` at `exitPrice`, in the settle currency,
 * before fees and funding.
 *
 * - linear: `± qty × contractSize × (exit − entry)` (USDT)
 * - inverse: `± qty × contractSize × (1/entry − 1/exit)` (coin), exact, not a linear approximation.
 *
 * Long and short are exact mirror images: `pnl(short) = −pnl(long)`.
 *
 * @param args - contract, side, qty, entry and exit prices (> 0)
 * @returns PnL in the settle currency (positive = profit)
 * @throws InvalidInputError on a bad contract, side, negative qty or a non-positive price
 * @example
 * ```ts
 * import { pnl } from '@perpkit/sizing'
 * // Bybit inverse example: long 10,000 BTCUSD contracts from 8,000 to 12,500 → +0.45 BTC
 * pnl({ contract: { kind: 'inverse', contractSize: 1 }, side: 'long', qty: 10_000, entryPrice: 8_000, exitPrice: 12_500 })
 * // linear: short 0.1 BTC from 60,000 to 59,000 → +100 USDT
 * pnl({ contract: { kind: 'linear', contractSize: 1 }, side: 'short', qty: 0.1, entryPrice: 60_000, exitPrice: 59_000 })
 * ```
 */
export function pnl(args: PnlArgs): number {
  const { kind, contractSize } = checkContract(args.contract)
  const dir = direction(checkSide(args.side))
  const qty = assertNonNegative(args.qty, 'qty')
  const entry = assertPositive(args.entryPrice, 'entryPrice')
  const exit = assertPositive(args.exitPrice, 'exitPrice')
  const raw = kind === 'linear' ? qty * contractSize * (exit - entry) : qty * contractSize * (1 / entry - 1 / exit)
  const v = dir * raw
  return v === 0 ? 0 : v
}

/**
 * PnL as a fraction of the entry value (return on notional, unlevered): linear `±(exit/entry − 1)`,
 * inverse `±(1 − entry/exit)`.
 *
 * @returns the return as a fraction of the position value at entry (settle currency)
 * @throws InvalidInputError on bad input
 * @example
 * ```ts
 * import { pnlFraction } from '@perpkit/sizing'
 * pnlFraction({ contract: { kind: 'inverse', contractSize: 1 }, side: 'long', entryPrice: 8_000, exitPrice: 12_500 }) // 0.36
 * ```
 */
export function pnlFraction(args: Omit<PnlArgs, 'qty'>): number {
  const { kind } = checkContract(args.contract)
  const dir = direction(checkSide(args.side))
  const entry = assertPositive(args.entryPrice, 'entryPrice')
  const exit = assertPositive(args.exitPrice, 'exitPrice')
  const v = dir * (kind === 'linear' ? exit / entry - 1 : 1 - entry / exit)
  return v === 0 ? 0 : v
}
