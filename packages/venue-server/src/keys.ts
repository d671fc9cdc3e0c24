/**
 * API keys of the local venue: key, secret and permissions, so authentication and permission failures are
 * the venue's real errors.
 * @module
 */
import { InvalidInputError } from '@perpkit/core'

/**
 * What a key may do. `read`: account and order queries; `trade`: place / cancel / change settings;
 * `withdraw`: only recorded (some bots refuse to run with a withdrawal-enabled key).
 * @example
 * ```ts
 * import { type ApiKeyPermissions } from '@perpkit/venue-server'
 * const readOnly: ApiKeyPermissions = { read: true, trade: false, withdraw: false }
 * ```
 */
export interface ApiKeyPermissions {
  readonly read: boolean
  readonly trade: boolean
  readonly withdraw: boolean
}

/**
 * One API key.
 * @example
 * ```ts
 * import { type ApiKeySpec } from '@perpkit/venue-server'
 * const key: ApiKeySpec = { apiKey: 'test-key', secret: 'test-secret', permissions: { read: true, trade: true, withdraw: false } }
 * ```
 */
export interface ApiKeySpec {
  readonly apiKey: string
  readonly secret: string
  /** Default: read and trade, no withdrawals. */
  readonly permissions?: Partial<ApiKeyPermissions>
}

/**
 * Looks keys up by their public part.
 * @example
 * ```ts
 * import { createKeyStore } from '@perpkit/venue-server'
 * const store = createKeyStore([{ apiKey: 'k', secret: 's' }])
 * store.get('k')?.permissions.trade // true
 * ```
 */
export interface KeyStore {
  get(apiKey: string): { readonly apiKey: string; readonly secret: string; readonly permissions: ApiKeyPermissions } | undefined
  list(): readonly string[]
}

/**
 * The key every server accepts when the caller configures none (documented in the README quick start).
 * @example
 * ```ts
 * import ccxt from 'ccxt'
 * import { DEFAULT_API_KEY } from '@perpkit/venue-server'
 * const exchange = new ccxt.binanceusdm({ apiKey: DEFAULT_API_KEY.apiKey, secret: DEFAULT_API_KEY.secret })
 * ```
 */
export const DEFAULT_API_KEY: ApiKeySpec = {
  apiKey: 'perpkit-local-key',
  secret: 'perpkit-local-secret',
  permissions: { read: true, trade: true, withdraw: false },
}

/**
 * Build a key store.
 *
 * @param keys - the keys (empty → {@link DEFAULT_API_KEY})
 * @returns a {@link KeyStore}
 * @throws InvalidInputError for an empty key or secret or a duplicated key
 * @example
 * ```ts
 * import { createKeyStore } from '@perpkit/venue-server'
 * const store = createKeyStore([{ apiKey: 'ro', secret: 'x', permissions: { trade: false } }])
 * store.get('ro')?.permissions // { read: true, trade: false, withdraw: false }
 * ```
 */
export function createKeyStore(keys: readonly ApiKeySpec[]): KeyStore {
  const map = new Map<string, { apiKey: string; secret: string; permissions: ApiKeyPermissions }>()
  for (const [i, k] of (keys.length === 0 ? [DEFAULT_API_KEY] : keys).entries()) {
    if (k.apiKey.length === 0) throw new InvalidInputError('must not be empty', { path: `keys[${i}].apiKey` })
    if (k.secret.length === 0) throw new InvalidInputError('must not be empty', { path: `keys[${i}].secret` })
    if (map.has(k.apiKey)) throw new InvalidInputError('duplicated API key', { path: `keys[${i}].apiKey` })
    map.set(k.apiKey, {
      apiKey: k.apiKey,
      secret: k.secret,
      permissions: { read: k.permissions?.read ?? true, trade: k.permissions?.trade ?? true, withdraw: k.permissions?.withdraw ?? false },
    })
  }
  return { get: (apiKey) => map.get(apiKey), list: () => [...map.keys()] }
}
