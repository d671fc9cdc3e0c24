/**
 * Unsigned GET of a venue's public REST endpoint (klines for backfill and history), sent like every other request
 * (`sendSigned`: keep-alive connection, timeout on the injected clock) and, when given, the account's shared request budget in front of it.
 * @module
 */
import { type Clock, PerpkitError } from '@perpkit/core'
import { type RawAnswer, sendSigned } from '../shared/http.js'
import type { RequestGate } from './rate-budget.js'

/**
 * GET `url` and parse the JSON body.
 * @param args.url - full URL with query string
 * @param args.clock - runs the timeout
 * @param args.timeoutMs - abort after this long
 * @param args.weight - the request's documented weight (for the budget)
 * @param args.gate - the account's request budget (waits before sending, reads the answer's headers)
 * @param args.venue - venue name for error messages
 * @returns the parsed body
 * @throws PerpkitError `network` (no answer), `rate-limited` / `ip-banned` (from the gate or the answer), `venue-rejected` (other HTTP errors), `corrupt-data` (not JSON)
 * @example
 * ```ts
 * const rows = await publicGet({ url: 'http://127.0.0.1:8080/fapi/v1/klines?symbol=BTCUSDT&interval=1m', clock: systemClock, timeoutMs: 10_000, weight: 2, venue: 'binance-usdm' })
 * ```
 */
export async function publicGet(args: {
  readonly url: string
  readonly clock: Clock
  readonly timeoutMs: number
  readonly weight: number
  readonly gate?: RequestGate | undefined
  readonly venue: string
}): Promise<unknown> {
  const endpoint = new URL(args.url).pathname
  await args.gate?.acquire({ weight: args.weight, endpoint })
  let res: RawAnswer
  try {
    res = await sendSigned({ request: { url: args.url, method: 'GET' }, clock: args.clock, timeoutMs: args.timeoutMs })
  } catch (e) {
    throw new PerpkitError('network', `no answer from ${args.venue} (${endpoint})`, { cause: e, details: { endpoint } })
  }
  const text = res.text
  args.gate?.observe({ status: res.status, headers: res.headers, text, endpoint })
  if (!res.ok) {
    const retryAfter = res.headers.get('retry-after')
    const retryAfterMs = retryAfter === null || !Number.isFinite(Number(retryAfter)) ? undefined : Number(retryAfter) * 1000
    const code = res.status === 418 ? 'ip-banned' : res.status === 429 ? 'rate-limited' : 'venue-rejected'
    throw new PerpkitError(code, `${args.venue} answered HTTP ${res.status} (${endpoint})`, { details: { endpoint, httpStatus: res.status }, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) })
  }
  try {
    return JSON.parse(text) as unknown
  } catch (e) {
    throw new PerpkitError('corrupt-data', `${args.venue} answered ${endpoint} with a body that is not JSON`, { cause: e, details: { endpoint } })
  }
}
