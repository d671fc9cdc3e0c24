/**
 * Decimal strings as Bybit sends them: prices on the tick, quantities on the step, money to 8 places.
 * @module
 */
import { formatDecimal, formatToStep } from '@perpkit/core'

/**
 * Format a price or quantity on its step (`"16578.50"`).
 * @example
 * ```ts
 * onStep(16578.5, 0.01) // '16578.50'
 * ```
 */
export function onStep(value: number, step: number): string {
  return formatToStep({ value, step, mode: 'nearest' })
}

/**
 * Format an amount of money (fees, PnL, balances) with 8 decimals, as Bybit does for coin amounts.
 * @example
 * ```ts
 * money(0.0009375) // '0.00093750'
 * ```
 */
export function money(value: number): string {
  return formatDecimal({ value, decimals: 8 })
}

/**
 * Parse a decimal request parameter (string or number) or answer 10001.
 * @returns the number, or `undefined` when the parameter is absent or empty
 * @example
 * ```ts
 * decimalParam('0.5') // 0.5
 * ```
 */
export function decimalParam(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value)
  return Number.NaN
}

/**
 * Format a rate (funding rate, fee rate, percentage change) with up to 8 decimals, trailing zeros dropped.
 * @example
 * ```ts
 * rate(0.0001) // '0.0001'
 * rate(-2.109e-5) // '-0.00002109'
 * ```
 */
export function rate(value: number): string {
  const text = formatDecimal({ value, decimals: 8 })
  const trimmed = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text
  return trimmed === '-0' ? '0' : trimmed
}
