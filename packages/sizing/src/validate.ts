/**
 * Internal input guards (not exported from the package). Every guard throws core's `InvalidInputError`
 * with the offending `path`.
 * @module
 */
import { assertFinite, assertNonNegative, assertPositive, InvalidInputError, type PositionSide } from '@perpkit/core'
import type { ContractSpec } from './types.js'

/** Validate a {@link ContractSpec}. */
export function checkContract(contract: ContractSpec, path = 'contract'): ContractSpec {
  if (contract === null || typeof contract !== 'object') {
    throw new InvalidInputError('expected a contract spec { kind, contractSize }', { path })
  }
  if (contract.kind !== 'linear' && contract.kind !== 'inverse') {
    throw new InvalidInputError(`expected 'linear' or 'inverse', got ${String(contract.kind)}`, { path: `${path}.kind` })
  }
  assertPositive(contract.contractSize, `${path}.contractSize`)
  return contract
}

/** Validate a position side. */
export function checkSide(side: PositionSide, path = 'side'): PositionSide {
  if (side !== 'long' && side !== 'short') {
    throw new InvalidInputError(`expected 'long' or 'short', got ${String(side)}`, { path })
  }
  return side
}

/** +1 for long, −1 for short. */
export function direction(side: PositionSide): 1 | -1 {
  return side === 'long' ? 1 : -1
}

/** A fraction in `[0, 1)` (stop distance, MMR, risk fraction...). */
export function checkFraction(value: number, path: string, opts: { readonly allowZero?: boolean; readonly max?: number } = {}): number {
  const n = opts.allowZero === false ? assertPositive(value, path) : assertNonNegative(value, path)
  const max = opts.max ?? 1
  if (n >= max) throw new InvalidInputError(`expected a fraction < ${max}, got ${n}`, { path })
  return n
}

/** A fee or funding rate: finite, |rate| < 1 (a negative maker rate is a rebate). */
export function checkRate(value: number, path: string): number {
  const n = assertFinite(value, path)
  if (Math.abs(n) >= 1) throw new InvalidInputError(`expected |rate| < 1, got ${n}`, { path })
  return n
}

export { assertFinite, assertNonNegative, assertPositive }
