/**
 * User-data stream listen keys: `POST/PUT/DELETE /fapi/v1/listenKey`. A key is valid for 60 minutes after its
 * creation or last keep-alive; POST while a key is valid returns the same key and extends it. On expiry the
 * stream sends `listenKeyExpired` (its `E` is a string, as the venue sends it) and stops delivering events.
 * @module
 */
import type { CancelTimer } from '@perpkit/core'
import type { VenueResponse } from '../dialect.js'
import { binanceError } from './errors.js'
import type { BinanceRouteSpec } from './guard.js'
import type { BinanceSession } from './session.js'

/** Validity of a listen key without keep-alive. */
export const LISTEN_KEY_VALIDITY_MS = 60 * 60_000
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/**
 * The listen keys of one server.
 * @example
 * ```ts
 * const keys = createListenKeys({ session, onExpired: (key) => streams.expire(key) })
 * keys.isValid('abc') // false
 * ```
 */
export interface ListenKeys {
  routes(): readonly BinanceRouteSpec[]
  isValid(listenKey: string): boolean
  /** Expire every valid key now (fault injection). */
  expireAll(): void
  close(): void
}

/**
 * Create the listen-key registry.
 * @param args.session - dialect session (clock, seeded random)
 * @param args.onExpired - called once per key when it expires
 * @returns the registry
 * @throws never
 * @example
 * ```ts
 * const keys = createListenKeys({ session, onExpired: () => {} })
 * ```
 */
export function createListenKeys(args: { readonly session: BinanceSession; readonly onExpired: (listenKey: string) => void }): ListenKeys {
  const { session, onExpired } = args
  const { clock, random } = session.ctx
  const byApiKey = new Map<string, string>()
  const timers = new Map<string, CancelTimer>()
  const newKey = (): string => {
    let k = ''
    for (let i = 0; i < 64; i++) k += KEY_ALPHABET[Math.floor(random.next() * KEY_ALPHABET.length)]
    return k
  }
  const expire = (listenKey: string): void => {
    timers.get(listenKey)?.()
    timers.delete(listenKey)
    for (const [apiKey, k] of byApiKey) if (k === listenKey) byApiKey.delete(apiKey)
    onExpired(listenKey)
  }
  const arm = (listenKey: string): void => {
    timers.get(listenKey)?.()
    timers.set(listenKey, clock.setTimer(LISTEN_KEY_VALIDITY_MS, () => expire(listenKey)))
  }
  const ok = (body: unknown): VenueResponse => ({ status: 200, body, accepted: true })
  return {
    routes: () => [
      {
        method: 'POST',
        path: '/fapi/v1/listenKey',
        name: 'listenKey.create',
        weight: 1,
        security: 'USER_STREAM',
        handle(_req, caller) {
          const apiKey = caller.apiKey ?? ''
          const key = byApiKey.get(apiKey) ?? newKey()
          byApiKey.set(apiKey, key)
          arm(key)
          return ok({ listenKey: key })
        },
      },
      {
        method: 'PUT',
        path: '/fapi/v1/listenKey',
        name: 'listenKey.keepAlive',
        weight: 1,
        security: 'USER_STREAM',
        handle(_req, caller) {
          const key = byApiKey.get(caller.apiKey ?? '')
          if (key === undefined) return binanceError(-1125)
          arm(key)
          return ok({ listenKey: key })
        },
      },
      {
        method: 'DELETE',
        path: '/fapi/v1/listenKey',
        name: 'listenKey.close',
        weight: 1,
        security: 'USER_STREAM',
        handle(_req, caller) {
          const key = byApiKey.get(caller.apiKey ?? '')
          if (key !== undefined) {
            timers.get(key)?.()
            timers.delete(key)
            byApiKey.delete(caller.apiKey ?? '')
          }
          return ok({})
        },
      },
    ],
    isValid: (listenKey) => timers.has(listenKey),
    expireAll() {
      for (const k of [...timers.keys()]) expire(k)
    },
    close() {
      for (const cancel of timers.values()) cancel()
      timers.clear()
    },
  }
}
