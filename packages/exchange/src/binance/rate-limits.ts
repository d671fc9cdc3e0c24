/**
 * Binance USDⓈ-M request limits as data, and how an answer reports their use: the limits of exchangeInfo's
 * `rateLimits`, the `X-MBX-*` headers, `Retry-After`, and the end of an IP ban from a 418 body.
 * @module
 */
import { type Clock, type RequestLimits, systemClock } from '@perpkit/core'
import { binanceRequestCost } from './request-cost.js'
import { type BudgetLimit, createRateBudget, type LimitReading, type RateBudget } from '../transport/rate-budget.js'

/**
 * Binance USDⓈ-M limits as exchangeInfo's `rateLimits` lists them: 2,400 weight / minute, 300 orders / 10 s,
 * 1,200 orders / minute; each keyed by the header that reports its use.
 * @example
 * ```ts
 * import { BINANCE_USDM_LIMITS } from '@perpkit/exchange'
 * BINANCE_USDM_LIMITS.map((l) => `${l.key}: ${l.limit}`)
 * ```
 */
export const BINANCE_USDM_LIMITS: readonly BudgetLimit[] = [
  { key: 'x-mbx-used-weight-1m', kind: 'request-weight', intervalMs: 60_000, limit: 2_400, counts: 'weight' },
  { key: 'x-mbx-order-count-10s', kind: 'orders', intervalMs: 10_000, limit: 300, counts: 'orders' },
  { key: 'x-mbx-order-count-1m', kind: 'orders', intervalMs: 60_000, limit: 1_200, counts: 'orders' },
]

/**
 * What the port reports as Binance USDⓈ-M's request allowance (`ExchangeClient.requestLimits`): the 2,400 weight /
 * minute limit, and each call's documented weight — positionRisk, userTrades and balance 5, openOrders without a
 * symbol 40, everything else 1 — taken from the adapter's own per-endpoint cost table.
 * @example
 * ```ts
 * import { BINANCE_USDM_REQUEST_LIMITS } from '@perpkit/exchange'
 * BINANCE_USDM_REQUEST_LIMITS.allSymbolsWeights?.fetchOpenOrders // 40
 * ```
 */
export const BINANCE_USDM_REQUEST_LIMITS: RequestLimits = {
  limit: BINANCE_USDM_LIMITS[0]?.limit ?? 2_400,
  intervalMs: BINANCE_USDM_LIMITS[0]?.intervalMs ?? 60_000,
  weights: {
    fetchPositions: binanceRequestCost('positionRisk', {}).weight,
    fetchFills: binanceRequestCost('userTrades', {}).weight,
    fetchBalances: binanceRequestCost('balance', {}).weight,
  },
  allSymbolsWeights: { fetchOpenOrders: binanceRequestCost('openOrders', {}).weight },
}

/**
 * Read a Binance answer: `X-MBX-USED-WEIGHT-1M`, `X-MBX-ORDER-COUNT-10S` / `-1M`, `Retry-After`, and the ban's end
 * from a 418 body ("IP … banned until 1663740000000").
 * @param answer - status, headers and body text
 * @returns the reading
 * @throws never
 * @example
 * ```ts
 * import { readBinanceLimits } from '@perpkit/exchange'
 * readBinanceLimits({ status: 200, headers: new Headers({ 'X-MBX-USED-WEIGHT-1M': '12' }) }).buckets // [{ key: 'x-mbx-used-weight-1m', used: 12 }]
 * ```
 */
export function readBinanceLimits(answer: { readonly status: number; readonly headers: Headers; readonly text?: string }): LimitReading {
  const buckets: { key: string; used: number }[] = []
  for (const l of BINANCE_USDM_LIMITS) {
    const v = answer.headers.get(l.key)
    if (v !== null && v !== '' && Number.isFinite(Number(v))) buckets.push({ key: l.key, used: Number(v) })
  }
  const retryAfter = answer.headers.get('retry-after')
  const retryAfterMs = retryAfter === null || !Number.isFinite(Number(retryAfter)) ? undefined : Number(retryAfter) * 1000
  const banned = answer.status === 418 ? /banned until (\d{10,})/.exec(answer.text ?? '') : null
  return { buckets, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), ...(banned?.[1] === undefined ? {} : { bannedUntilMs: Number(banned[1]) }) }
}

/**
 * A budget for one Binance USDⓈ-M account (shared by `createBinanceUsdm` and `createBinanceUsdmFeed`).
 * @param args.clock - time source
 * @param args.share - share of each limit normal callers may use (default 0.8)
 * @returns the budget
 * @throws never
 * @example
 * ```ts
 * import { createBinanceRateBudget, createBinanceUsdm, createBinanceUsdmFeed } from '@perpkit/exchange'
 * const rateBudget = createBinanceRateBudget({})
 * const client = createBinanceUsdm({ apiKey: 'key', secret: 'secret', rateBudget })
 * const feed = createBinanceUsdmFeed({ rateBudget })
 * ```
 */
export function createBinanceRateBudget(args: { readonly clock?: Clock; readonly share?: number }): RateBudget {
  return createRateBudget({ clock: args.clock ?? systemClock, limits: BINANCE_USDM_LIMITS, read: readBinanceLimits, ...(args.share === undefined ? {} : { share: args.share }) })
}
