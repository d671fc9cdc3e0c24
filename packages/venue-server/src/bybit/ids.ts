/**
 * Bybit-shaped identifiers for the simulated venue's orders and executions. Bybit order and execution ids are
 * UUID strings; the simulator numbers its orders per venue, so the category goes into the id to keep linear
 * and inverse ids apart. Deterministic: the same run gives the same ids.
 * @module
 */
import type { BybitDerivativeCategory } from './books.js'

const CATEGORY_DIGIT: Readonly<Record<BybitDerivativeCategory, string>> = { linear: '1', inverse: '2' }

function uuidShaped(kind: '8' | '9', category: BybitDerivativeCategory, id: string): string {
  const digits = id.replace(/[^0-9a-f]/gi, '').toLowerCase().padStart(12, '0').slice(-12)
  return `00000000-0000-4000-${kind}00${CATEGORY_DIGIT[category]}-${digits}`
}

/**
 * The Bybit `orderId` of a simulated order.
 * @example
 * ```ts
 * bybitOrderId('inverse', '1000001') // '00000000-0000-4000-8002-000001000001'
 * ```
 */
export function bybitOrderId(category: BybitDerivativeCategory, venueOrderId: string): string {
  return uuidShaped('8', category, venueOrderId)
}

/**
 * The Bybit `execId` of a simulated fill.
 * @example
 * ```ts
 * bybitExecId('linear', '7') // '00000000-0000-4000-9001-000000000007'
 * ```
 */
export function bybitExecId(category: BybitDerivativeCategory, tradeId: string): string {
  return uuidShaped('9', category, tradeId)
}
