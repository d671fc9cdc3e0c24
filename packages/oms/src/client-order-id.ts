/**
 * Deterministic client order ids: the idempotency key of every order the OMS sends.
 * @module
 */
import * as crypto from 'node:crypto'

type OneShotHash = (algorithm: string, data: string, outputEncoding: 'hex') => string
/** Node's one-shot `crypto.hash` (Node ≥ 20.12) when present: the same digest without a Hash object per call. */
const oneShot: OneShotHash | undefined = typeof (crypto as { hash?: unknown }).hash === 'function' ? (crypto as unknown as { hash: OneShotHash }).hash : undefined
const sha256Hex = (text: string): string => (oneShot === undefined ? crypto.createHash('sha256').update(text).digest('hex') : oneShot('sha256', text, 'hex'))
import { InvalidInputError } from '@perpkit/core'

/** Role of an order in a trade; encoded in its client id so a restart can tell them apart. */
export type OrderRole = 'entry' | 'stop' | 'take-profit' | 'exit' | 'flatten' | 'reduce'

/** Direction of a trade. */
export type TradeDirection = 'long' | 'short'

const ROLE_CODE: Readonly<Record<OrderRole, string>> = { entry: 'en', stop: 'sl', 'take-profit': 'tp', exit: 'ex', flatten: 'fl', reduce: 'rd' }
const CODE_ROLE: Readonly<Record<string, OrderRole>> = { en: 'entry', sl: 'stop', tp: 'take-profit', ex: 'exit', fl: 'flatten', rd: 'reduce' }

/**
 * Prefix of every client id perpkit derives; ids without it are not ours.
 * @example
 * ```ts
 * import { CLIENT_ORDER_ID_PREFIX } from '@perpkit/oms'
 * CLIENT_ORDER_ID_PREFIX // 'pk'
 * ```
 */
export const CLIENT_ORDER_ID_PREFIX = 'pk'

const VALID = /^[A-Za-z0-9_-]{1,36}$/
const OURS = /^pk_([0-9a-f]{24})_(en|sl|tp|ex|fl|rd)([0-9]{1,6})$/
const MAX_GENERATION = 999_999

/**
 * True when `id` is a client order id valid on both Binance (`newClientOrderId`, ≤ 36 of `[.A-Z:/a-z0-9_-]`)
 * and Bybit (`orderLinkId`, ≤ 36 of letters, digits, `-`, `_`): 1–36 characters of `[A-Za-z0-9_-]`.
 *
 * @param id - candidate id
 * @returns whether it is valid
 * @example
 * ```ts
 * import { isValidClientOrderId } from '@perpkit/oms'
 * isValidClientOrderId('pk_0a1b_en0') // true
 * isValidClientOrderId('has space') // false
 * ```
 */
export function isValidClientOrderId(id: string): boolean {
  return VALID.test(id)
}

/**
 * Hash key of a trade: the first 24 hex characters (96 bits) of SHA-256(`{signalId}_{direction}`).
 * Every order of one trade (entry, stops, take-profit, exits) shares it.
 *
 * @param args.signalId - the strategy's signal id (any non-empty string)
 * @param args.direction - trade direction
 * @returns 24 lowercase hex characters
 * @throws InvalidInputError if `signalId` is empty
 * @example
 * ```ts
 * import { tradeKeyOf } from '@perpkit/oms'
 * tradeKeyOf({ signalId: 'sig-1', direction: 'long' }).length // 24
 * ```
 */
export function tradeKeyOf(args: { readonly signalId: string; readonly direction: TradeDirection }): string {
  if (typeof args.signalId !== 'string' || args.signalId.length === 0) throw new InvalidInputError('signalId must be a non-empty string', { path: 'signalId' })
  if (args.direction !== 'long' && args.direction !== 'short') throw new InvalidInputError(`direction must be long or short`, { path: 'direction' })
  return sha256Hex(`${args.signalId}_${args.direction}`).slice(0, 24)
}

/**
 * Derive the client order id of one order of a trade: `pk_{sha256("{signalId}_{direction}")[0..24]}_{role}{generation}`,
 * at most 36 characters of `[A-Za-z0-9_-]`. The same inputs always give the same id, so a re-sent create is
 * recognised by the venue as a duplicate rather than opening a second order.
 *
 * @param args.signalId - signal id of the trade
 * @param args.direction - trade direction
 * @param args.role - which order of the trade (default `entry`)
 * @param args.generation - replacement counter (stop replacements, maker retries), 0 … 999999 (default 0)
 * @returns the client order id
 * @throws InvalidInputError on an empty signal id or a generation outside 0 … 999999
 * @example
 * ```ts
 * import { deriveClientOrderId } from '@perpkit/oms'
 * const id = deriveClientOrderId({ signalId: 'sig-1', direction: 'long', role: 'stop', generation: 1 })
 * // 'pk_<24 hex>_sl1'
 * ```
 */
export function deriveClientOrderId(args: {
  readonly signalId: string
  readonly direction: TradeDirection
  readonly role?: OrderRole
  readonly generation?: number
}): string {
  return clientOrderIdOf({ tradeKey: tradeKeyOf(args), role: args.role ?? 'entry', generation: args.generation ?? 0 })
}

/**
 * {@link deriveClientOrderId} from an already computed {@link tradeKeyOf} (the OMS hashes once per trade, not per
 * order). Internal: not exported from the package.
 * @throws InvalidInputError on a generation outside 0 … 999999
 */
export function clientOrderIdOf(args: { readonly tradeKey: string; readonly role: OrderRole; readonly generation: number }): string {
  const { generation } = args
  if (!Number.isInteger(generation) || generation < 0 || generation > MAX_GENERATION) {
    throw new InvalidInputError(`generation must be an integer in 0..${MAX_GENERATION}`, { path: 'generation' })
  }
  return `${CLIENT_ORDER_ID_PREFIX}_${args.tradeKey}_${ROLE_CODE[args.role]}${generation}`
}

/** Parts of a client id produced by {@link deriveClientOrderId}. */
export interface ParsedClientOrderId {
  readonly tradeKey: string
  readonly role: OrderRole
  readonly generation: number
}

/**
 * Parse a client id produced by {@link deriveClientOrderId}; `null` for ids that are not perpkit's.
 *
 * @param id - a client order id
 * @returns its parts, or null
 * @example
 * ```ts
 * import { parseClientOrderId } from '@perpkit/oms'
 * parseClientOrderId('autoclose-123') // null
 * ```
 */
export function parseClientOrderId(id: string): ParsedClientOrderId | null {
  const m = OURS.exec(id)
  if (m === null) return null
  const role = CODE_ROLE[m[2] as string]
  if (role === undefined) return null
  return { tradeKey: m[1] as string, role, generation: Number(m[3]) }
}
