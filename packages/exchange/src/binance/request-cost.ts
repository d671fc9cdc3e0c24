/**
 * What one Binance USDⓈ-M request spends of the account's limits — its documented request weight and whether it
 * counts as an order — and whether it reduces risk (cancels, reduce-only and close-position orders), which lets
 * it use the whole limit and go before other waiting callers.
 * @module
 */
import type { RequestPriority } from '../transport/rate-budget.js'

/** Documented request weights by endpoint name (USDⓈ-M "Request Weight" of each endpoint). */
const WEIGHTS: Readonly<Record<string, number>> = {
  time: 1,
  exchangeInfo: 1,
  leverageBracket: 1,
  balance: 5,
  positionRisk: 5,
  'positionSide.get': 30,
  'order.get': 1,
  'algoOrder.get': 1,
  userTrades: 5,
  'order.create': 0,
  'algoOrder.create': 0,
  'order.amend': 1,
  'order.cancel': 1,
  'algoOrder.cancel': 1,
  'allOpenOrders.cancel': 1,
  'algoOpenOrders.cancel': 1,
  leverage: 1,
  marginType: 1,
  premiumIndex: 1,
  apiRestrictions: 1,
  'listenKey.create': 1,
  'listenKey.keepAlive': 1,
  'listenKey.close': 1,
}
const ORDER_ENDPOINTS = new Set(['order.create', 'algoOrder.create', 'order.amend'])
const CANCELS = new Set(['order.cancel', 'algoOrder.cancel', 'allOpenOrders.cancel', 'algoOpenOrders.cancel'])

/**
 * The cost and priority of one request.
 * @param endpoint - the adapter's endpoint name (`order.create`, `openOrders` …)
 * @param params - the request parameters (symbol-less list calls weigh more; reduce-only orders reduce risk)
 * @returns weight, order count and priority
 * @throws never
 * @example
 * ```ts
 * binanceRequestCost('openOrders', {}) // { weight: 40, orders: 0, priority: 'normal' }
 * ```
 */
export function binanceRequestCost(endpoint: string, params: Readonly<Record<string, unknown>>): { weight: number; orders: number; priority: RequestPriority } {
  const listAll = (endpoint === 'openOrders' || endpoint === 'openAlgoOrders') && params['symbol'] === undefined
  const weight = listAll ? 40 : (WEIGHTS[endpoint] ?? 1)
  const orders = ORDER_ENDPOINTS.has(endpoint) ? 1 : 0
  const reduces = CANCELS.has(endpoint) || (orders === 1 && (String(params['reduceOnly']) === 'true' || String(params['closePosition']) === 'true'))
  return { weight, orders, priority: reduces ? 'reduce-risk' : 'normal' }
}
