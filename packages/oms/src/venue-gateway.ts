/**
 * The only path from the OMS to the venue: every request takes budget, idempotent requests retry with backoff,
 * `createOrder` is sent exactly once per call (never retried here), and a fatal error stops everything.
 * @module
 */
import {
  type AmendRequest,
  type Clock,
  type ExchangeClient,
  type Fill,
  type FillQuery,
  isFatalError,
  type Order,
  type OrderRef,
  type OrderRequest,
  PerpkitError,
  type Position,
} from '@perpkit/core'
import { type RequestBudget, type RequestPriority, requestWeight, type VenueMethod } from './budget.js'
import type { RetryPolicy } from './retry.js'
import { withRetry } from './retry.js'

/** Budgeted, retrying access to a venue. */
export interface VenueGateway {
  readonly venue: ExchangeClient
  /** The fatal error that stopped the gateway, if any. */
  fatalError(): PerpkitError | undefined
  /** Send a create once; `stillAllowed` is re-checked after waiting for budget (throws `invalid-state`, nothing sent). */
  create(request: OrderRequest, priority: RequestPriority, stillAllowed?: () => boolean): Promise<Order>
  cancel(ref: OrderRef, priority: RequestPriority): Promise<Order>
  amend(request: AmendRequest, priority: RequestPriority): Promise<Order>
  fetchOrder(ref: OrderRef, priority: RequestPriority): Promise<Order | null>
  fetchOpenOrders(symbol: string | undefined, priority: RequestPriority): Promise<readonly Order[]>
  fetchPositions(priority: RequestPriority): Promise<readonly Position[]>
  fetchFills(query: FillQuery, priority: RequestPriority): Promise<readonly Fill[]>
}

/** Reads never take the part of the reserve kept for protective orders: a protective read is a `protective-query`. */
function budgetPriority(method: VenueMethod, priority: RequestPriority): RequestPriority {
  const read = method !== 'createOrder' && method !== 'amendOrder' && method !== 'cancelOrder'
  return read && priority === 'protective' ? 'protective-query' : priority
}

/**
 * Create a gateway.
 * @param args.venue - the venue port
 * @param args.clock - time source
 * @param args.budget - shared request budget
 * @param args.retry - retry policy for idempotent requests
 * @param args.onRetry - observer of retries
 * @param args.onFatal - called once with the first fatal error
 * @returns the gateway
 * @throws nothing itself; its methods throw the venue's errors (`invalid-state` once fatal)
 * @example
 * ```ts
 * const gw = createVenueGateway({ venue, clock, budget, retry: DEFAULT_RETRY_POLICY })
 * await gw.fetchPositions('normal')
 * ```
 */
export function createVenueGateway(args: {
  readonly venue: ExchangeClient
  readonly clock: Clock
  readonly budget: RequestBudget
  readonly retry: RetryPolicy
  readonly onRetry?: (info: { readonly method: VenueMethod; readonly attempt: number; readonly delayMs: number; readonly error: unknown }) => void
  readonly onFatal?: (error: PerpkitError) => void
}): VenueGateway {
  const { venue, clock, budget } = args
  let fatal: PerpkitError | undefined
  const guard = (): void => {
    if (fatal !== undefined) throw new PerpkitError('invalid-state', `venue access stopped after a fatal ${fatal.code} error`, { cause: fatal })
  }
  const noteFatal = (e: unknown): void => {
    if (fatal === undefined && isFatalError(e)) {
      fatal = e as PerpkitError
      args.onFatal?.(fatal)
    }
  }
  const once = async <T>(method: VenueMethod, priority: RequestPriority, run: () => Promise<T>, allSymbols = false, stillAllowed?: () => boolean): Promise<T> => {
    guard()
    await budget.acquire(requestWeight({ limits: venue.requestLimits, method, allSymbols }), budgetPriority(method, priority))
    guard()
    if (stillAllowed !== undefined && !stillAllowed()) {
      throw new PerpkitError('invalid-state', 'request no longer allowed after waiting for budget; nothing was sent', { details: { notSent: true } })
    }
    try {
      return await run()
    } catch (e) {
      noteFatal(e)
      throw e
    }
  }
  const retried = <T>(method: VenueMethod, priority: RequestPriority, run: () => Promise<T>, allSymbols = false): Promise<T> =>
    withRetry({
      clock,
      policy: args.retry,
      run: () => once(method, priority, run, allSymbols),
      onRetry: (info) => args.onRetry?.({ method, ...info }),
    })
  return {
    venue,
    fatalError: () => fatal,
    create: (request, priority, stillAllowed) => once('createOrder', priority, () => venue.createOrder(request), false, stillAllowed),
    cancel: (ref, priority) => retried('cancelOrder', priority, () => venue.cancelOrder(ref)),
    amend: (request, priority) => retried('amendOrder', priority, () => venue.amendOrder(request)),
    fetchOrder: (ref, priority) => retried('fetchOrder', priority, () => venue.fetchOrder(ref)),
    fetchOpenOrders: (symbol, priority) =>
      retried('fetchOpenOrders', priority, () => (symbol === undefined ? venue.fetchOpenOrders() : venue.fetchOpenOrders(symbol)), symbol === undefined),
    fetchPositions: (priority) => retried('fetchPositions', priority, () => venue.fetchPositions()),
    fetchFills: (query, priority) => retried('fetchFills', priority, () => venue.fetchFills(query)),
  }
}
