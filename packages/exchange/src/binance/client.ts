/**
 * `createBinanceUsdm`: core's `ExchangeClient` for Binance USDⓈ-M futures — REST signed by the pinned ccxt
 * (`binanceusdm`), regular orders on `/fapi/v1/order`, conditional orders on the Algo Order API, and the
 * user-data stream over our own `ws` connection.
 * @module
 */
import {
  type Clock,
  EXCHANGE_PORT_VERSION,
  type ExchangeCapabilities,
  type ExchangeClient,
  type Instrument,
  isPerpkitError,
  type Order,
  type OrderRef,
  PerpkitError,
  settleCoinFor,
  systemClock,
  type UserStreamEvent,
  validateOrderRequest,
} from '@perpkit/core'
import { balancesOf, fillOf, fundingRateOf, markPriceOf, positionsOf } from './account.js'
import { createEventTranslatorState, translateBinanceFrame } from './events.js'
import type { FeeRates } from '../shared/fees.js'
import { binanceInstruments } from './instruments.js'
import { algoOrderOf, createOrderCall, regularOrderOf } from './orders.js'
import type { RateBudget } from '../transport/rate-budget.js'
import { createTimeSync, type TimeSyncOptions } from '../transport/time-sync.js'
import { BINANCE_USDM_REQUEST_LIMITS, createBinanceRateBudget } from './rate-limits.js'
import { type BinanceApi, type BinanceParams, createBinanceTransport } from './transport.js'
import { createBinanceUserStream, DEFAULT_USER_STREAM_TIMINGS, type UserStreamTimings } from './user-stream.js'

/**
 * Options of {@link createBinanceUsdm}. Keys come from the caller (the app reads them from its environment);
 * they never appear in errors or events.
 * @example
 * ```ts
 * import type { BinanceUsdmOptions } from '@perpkit/exchange'
 * const options: BinanceUsdmOptions = { apiKey: 'key', secret: 'secret' } // testnet, USDT-margined
 * ```
 */
export interface BinanceUsdmOptions extends TimeSyncOptions {
  readonly apiKey: string
  readonly secret: string
  /** `testnet` (default: Binance's futures demo environment, USDT-margined) or `production` (USDC-margined). Production only when asked. */
  readonly environment?: 'testnet' | 'production'
  /** REST base, e.g. `http://127.0.0.1:8080` for a local venue. Default: the environment's. */
  readonly restBaseUrl?: string
  /**
   * Spot REST base for `GET /sapi/v1/account/apiRestrictions`. When set (production default:
   * `https://api.binance.com`), `connect()` refuses a key with withdrawal permission. Binance's futures testnet
   * has no spot API, so on testnet the check runs only when this is given.
   */
  readonly spotRestBaseUrl?: string
  /** WebSocket base (the user stream is `${wsBaseUrl}/ws/<listenKey>`). Default: the environment's. */
  readonly wsBaseUrl?: string
  /** Time source for request timestamps, timeouts and stream timers. Default: the system clock. */
  readonly clock?: Clock
  /** Per-request timeout. Default 10,000 ms. */
  readonly timeoutMs?: number
  /** Validity window of signed requests. Default 5,000 ms. */
  readonly recvWindowMs?: number
  /** Fee rates attached to instruments (exchangeInfo carries none). Default: maker 0.0002, taker 0.0005 (the base tier). */
  readonly feeRates?: FeeRates
  /** User-stream timings (keep-alive, rotation, reconnect delay, ping interval; each pong is reported as a `connection` `open` without a reason). */
  readonly userStream?: Partial<UserStreamTimings>
  /**
   * The account's request budget (`createBinanceRateBudget`), to share with `createBinanceUsdmFeed`. Default: a
   * budget of this client alone. Requests wait below 80 % of each limit; cancels and reduce-only orders may use
   * the rest and go first; 429 holds requests until `Retry-After`; 418 fails them with `ip-banned` until the ban ends.
   */
  readonly rateBudget?: RateBudget
}

/** Environments' endpoints: REST base and WebSocket base. */
const ENDPOINTS = {
  testnet: { rest: 'https://demo-fapi.binance.com', ws: 'wss://fstream.binancefuture.com' },
  production: { rest: 'https://fapi.binance.com', ws: 'wss://fstream.binance.com' },
} as const

/**
 * What Binance USDⓈ-M can do through this adapter. Conditional orders cannot be amended (cancel and replace).
 * `reduceOnlyStopWithoutPosition` is false: the New Algo Order page
 * (https://developers.binance.com/docs/derivatives/usds-margined-futures/trade/rest-api/New-Algo-Order) lists
 * `reduceOnly` (one-way mode only, not with `closePosition`) without saying that such an order may rest while the
 * position is zero, and Binance's "Summary of Failed Orders in Binance Futures"
 * (https://www.binance.com/en/support/faq/360039707291) says a reduce-only order is rejected when it is on the
 * position's side or larger than the open position, which any reduce-only order is when there is none (-2022
 * "ReduceOnly Order is rejected"). So `@perpkit/oms` sends the entry first and the stop on its first fill.
 * @example
 * ```ts
 * import { BINANCE_USDM_CAPABILITIES } from '@perpkit/exchange'
 * BINANCE_USDM_CAPABILITIES.amendConditionalOrder // false
 * ```
 */
export const BINANCE_USDM_CAPABILITIES: ExchangeCapabilities = {
  amendOrder: true,
  amendConditionalOrder: false,
  closePositionOrders: true,
  trailingStop: true,
  reduceOnlyStopWithoutPosition: false,
}

/**
 * Create a Binance USDⓈ-M client. Nothing is sent until a method is called; `connect()` measures the server
 * time offset, loads instruments, refuses a hedge-mode account and opens the user-data stream.
 *
 * @param options - keys, environment, endpoints, clock; see {@link BinanceUsdmOptions}
 * @returns an `ExchangeClient`
 * @throws InvalidInputError when a key or secret is empty
 * @example
 * ```ts
 * import { createBinanceUsdm } from '@perpkit/exchange'
 * const binance = createBinanceUsdm({ apiKey: 'key', secret: 'secret', restBaseUrl: 'http://127.0.0.1:8080', wsBaseUrl: 'ws://127.0.0.1:8080' })
 * await binance.connect()
 * const order = await binance.createOrder({ symbol: 'BTC/USDT:USDT', clientOrderId: 'pk_1', side: 'buy', type: 'limit', qty: 0.002, price: 58000, timeInForce: 'post-only' })
 * await binance.close()
 * ```
 */
export function createBinanceUsdm(options: BinanceUsdmOptions): ExchangeClient {
  if (options.apiKey === '' || options.secret === '') throw new PerpkitError('invalid-input', 'Binance API key and secret are required', { path: 'apiKey' })
  const environment = options.environment ?? 'testnet'
  const settle = settleCoinFor({ testnet: environment === 'testnet' })
  const clock = options.clock ?? systemClock
  const recvWindowMs = options.recvWindowMs ?? 5_000
  const spotRestBaseUrl = options.spotRestBaseUrl ?? (environment === 'production' ? 'https://api.binance.com' : undefined)
  const transport = createBinanceTransport({
    restBaseUrl: options.restBaseUrl ?? ENDPOINTS[environment].rest,
    spotRestBaseUrl: spotRestBaseUrl ?? 'http://spot-api-not-configured.invalid',
    apiKey: options.apiKey,
    secret: options.secret,
    clock,
    timeoutMs: options.timeoutMs ?? 10_000,
    recvWindowMs,
    budget: options.rateBudget ?? createBinanceRateBudget({ clock }),
  })
  const fees = options.feeRates ?? { makerFeeRate: 0.0002, takerFeeRate: 0.0005 }
  const listeners = new Set<(event: UserStreamEvent) => void>()
  const emit = (event: UserStreamEvent): void => {
    for (const l of [...listeners]) {
      try {
        l(event)
      } catch {
        // a throwing listener never stops delivery to the others
      }
    }
  }
  const state = createEventTranslatorState()
  const bySymbol = new Map<string, Instrument>()
  const byVenueSymbol = new Map<string, Instrument>()
  const leverage = new Map<string, number>()
  const clientIdByOrderId = new Map<string, string>()

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, endpoint: string, params?: BinanceParams, api: BinanceApi = 'fapiPrivate'): Promise<unknown> =>
    transport.request({ api, method, path, endpoint, ...(params === undefined ? {} : { params }) }).catch((e: unknown) => {
      throw timeSync.afterFailure(e) // -1021: the venue refused our timestamp; measured again, the request is not re-sent
    })
  const timeSync = createTimeSync({ clock, fetchServerTime: () => client.fetchServerTime(), transport, recvWindowMs, options })

  const loadInstruments = async (): Promise<readonly Instrument[]> => {
    const [exchangeInfo, brackets] = await Promise.all([call('GET', 'exchangeInfo', 'exchangeInfo', undefined, 'fapiPublic'), call('GET', 'leverageBracket', 'leverageBracket')])
    const list = binanceInstruments({ exchangeInfo, brackets, settle, fees })
    bySymbol.clear()
    byVenueSymbol.clear()
    for (const i of list) {
      bySymbol.set(i.symbol, i)
      byVenueSymbol.set(i.venueSymbol, i)
    }
    return list
  }
  const instrument = async (symbol: unknown): Promise<Instrument> => {
    if (bySymbol.size === 0) await loadInstruments()
    const ins = typeof symbol === 'string' ? bySymbol.get(symbol) : undefined
    if (ins === undefined) throw new PerpkitError('unknown-symbol', `${String(symbol)} is not a Binance USDⓈ-M ${settle} perpetual`, { details: { symbol: String(symbol) } })
    return ins
  }
  const remember = (order: Order): Order => {
    if (order.book === 'regular') clientIdByOrderId.set(order.venueOrderId, order.clientOrderId)
    if (order.triggeredOrderId !== undefined) {
      clientIdByOrderId.set(order.triggeredOrderId, order.clientOrderId)
      state.algoClientIdByActualId.set(order.triggeredOrderId, order.clientOrderId)
    }
    if (order.book === 'conditional' && !state.algoByClientId.has(order.clientOrderId)) {
      state.algoByClientId.set(order.clientOrderId, {
        clientOrderId: order.clientOrderId,
        algoId: order.venueOrderId,
        type: order.type,
        triggerPrice: order.triggerPrice,
        triggerPriceType: order.triggerPriceType === 'mark' ? 'mark' : 'last',
        createdAtMs: order.createdAtMs,
      })
    }
    return order
  }
  const notFound = (e: unknown): boolean => isPerpkitError(e, 'order-not-found')

  /** An algo order by client id, merged with the order it became; undefined when the venue does not know it. */
  const fetchAlgo = async (ins: Instrument, clientOrderId: string): Promise<Order | undefined> => {
    let raw: Record<string, unknown>
    try {
      raw = (await call('GET', 'algoOrder', 'algoOrder.get', { symbol: ins.venueSymbol, clientAlgoId: clientOrderId })) as Record<string, unknown>
    } catch (e) {
      if (notFound(e)) return undefined
      throw e
    }
    const actualId = typeof raw['actualOrderId'] === 'string' || typeof raw['actualOrderId'] === 'number' ? String(raw['actualOrderId']) : ''
    const actual = actualId === '' ? undefined : ((await call('GET', 'order', 'order.get', { symbol: ins.venueSymbol, orderId: actualId })) as Record<string, unknown>)
    return remember(algoOrderOf(raw, ins, actual))
  }
  const fetchRegular = async (ins: Instrument, clientOrderId: string): Promise<Order | undefined> => {
    try {
      return remember(regularOrderOf((await call('GET', 'order', 'order.get', { symbol: ins.venueSymbol, origClientOrderId: clientOrderId })) as Record<string, unknown>, ins))
    } catch (e) {
      if (notFound(e)) return undefined
      throw e
    }
  }
  const fetchOrder = async (ref: OrderRef): Promise<Order | null> => {
    const ins = await instrument(ref.symbol)
    if (state.algoByClientId.has(ref.clientOrderId)) return (await fetchAlgo(ins, ref.clientOrderId)) ?? null
    return (await fetchRegular(ins, ref.clientOrderId)) ?? (await fetchAlgo(ins, ref.clientOrderId)) ?? null
  }
  const fetchOpenOrders = async (symbol?: string): Promise<readonly Order[]> => {
    const ins = symbol === undefined ? undefined : await instrument(symbol)
    if (bySymbol.size === 0) await loadInstruments()
    const params = ins === undefined ? undefined : { symbol: ins.venueSymbol }
    const [regular, algo] = await Promise.all([call('GET', 'openOrders', 'openOrders', params), call('GET', 'openAlgoOrders', 'openAlgoOrders', params)])
    const algoOrders = (algo as Record<string, unknown>[]).flatMap((r) => {
      const i = byVenueSymbol.get(String(r['symbol']))
      return i === undefined ? [] : [remember(algoOrderOf(r, i))]
    })
    const actualIds = new Set(algoOrders.flatMap((o) => (o.triggeredOrderId === undefined ? [] : [o.triggeredOrderId])))
    const regularOrders = (regular as Record<string, unknown>[]).flatMap((r) => {
      const i = byVenueSymbol.get(String(r['symbol']))
      return i === undefined || actualIds.has(String(r['orderId'])) ? [] : [remember(regularOrderOf(r, i))]
    })
    return [...regularOrders, ...algoOrders]
  }

  const stream = createBinanceUserStream({
    transport,
    clock,
    wsBaseUrl: options.wsBaseUrl ?? ENDPOINTS[environment].ws,
    timings: { ...DEFAULT_USER_STREAM_TIMINGS, ...options.userStream },
    onFrame: (frame) => {
      for (const e of translateBinanceFrame(frame, { state, instrumentOf: (v) => byVenueSymbol.get(v), leverageOf: (sym) => leverage.get(sym) ?? 20 })) {
        if (e.type === 'order') remember(e.order)
        emit(e)
      }
    },
    onConnection: (connectionState, reason) => emit({ type: 'connection', timestampMs: clock.now(), state: connectionState, reason }),
    onAlive: () => emit({ type: 'connection', timestampMs: clock.now(), state: 'open' }), // a pong: alive, not a reconnect
  })

  const client: ExchangeClient = {
    venue: 'binance-usdm',
    portVersion: EXCHANGE_PORT_VERSION,
    capabilities: BINANCE_USDM_CAPABILITIES,
    requestLimits: BINANCE_USDM_REQUEST_LIMITS,
    async connect() {
      await timeSync.sync()
      if (spotRestBaseUrl !== undefined) {
        const restrictions = (await call('GET', 'account/apiRestrictions', 'apiRestrictions', undefined, 'sapi')) as { enableWithdrawals?: unknown }
        if (restrictions.enableWithdrawals !== false) {
          throw new PerpkitError('permission', 'the Binance API key has withdrawal permission (or does not say it has none); perpkit refuses such a key', { details: { venue: 'binance-usdm' } })
        }
      }
      await loadInstruments()
      if ((await client.getPositionMode()) !== 'one-way') {
        throw new PerpkitError('invalid-state', 'the Binance account is in hedge mode (dualSidePosition); perpkit trades one-way mode only', { details: { venue: 'binance-usdm' } })
      }
      await stream.start()
      timeSync.start()
    },
    close: () => {
      timeSync.stop()
      return stream.stop()
    },
    rateLimitUsage: () => transport.usage(),
    loadInstruments,
    fetchBalances: async () => balancesOf(await call('GET', 'balance', 'balance', undefined, 'fapiPrivateV2'), clock.now()),
    async fetchPositions(symbols) {
      if (bySymbol.size === 0) await loadInstruments()
      const list = positionsOf(await call('GET', 'positionRisk', 'positionRisk', undefined, 'fapiPrivateV2'), (v) => byVenueSymbol.get(v), clock.now())
      for (const p of list) leverage.set(p.symbol, p.leverage)
      return symbols === undefined ? list : list.filter((p) => symbols.includes(p.symbol))
    },
    fetchOpenOrders,
    fetchOrder,
    async fetchFills(query) {
      const ins = await instrument(query.symbol)
      const rows = (await call('GET', 'userTrades', 'userTrades', {
        symbol: ins.venueSymbol,
        ...(query.sinceMs === undefined ? {} : { startTime: query.sinceMs }),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
      })) as Record<string, unknown>[]
      const fills = []
      for (const row of rows) {
        const orderId = String(row['orderId'])
        let cid = clientIdByOrderId.get(orderId)
        if (cid === undefined) {
          const raw = (await call('GET', 'order', 'order.get', { symbol: ins.venueSymbol, orderId })) as Record<string, unknown>
          cid = state.algoClientIdByActualId.get(orderId) ?? String(raw['clientOrderId'])
          clientIdByOrderId.set(orderId, cid)
        }
        fills.push(fillOf(row, ins, cid))
      }
      return fills.sort((a, b) => a.timestampMs - b.timestampMs)
    },
    async createOrder(request) {
      const ins = await instrument((request as { symbol?: unknown }).symbol)
      const valid = validateOrderRequest({ request, instrument: ins })
      const { endpoint, params } = createOrderCall(valid, ins)
      if (endpoint === 'algoOrder') {
        const raw = (await call('POST', 'algoOrder', 'algoOrder.create', params)) as Record<string, unknown>
        return remember(algoOrderOf(raw, ins))
      }
      return remember(regularOrderOf((await call('POST', 'order', 'order.create', params)) as Record<string, unknown>, ins))
    },
    async amendOrder(request) {
      const ins = await instrument(request.symbol)
      if (state.algoByClientId.has(request.clientOrderId) || request.triggerPrice !== undefined) {
        throw new PerpkitError('not-supported', 'Binance USDⓈ-M cannot amend a conditional order: cancel and place a new one', { details: { clientOrderId: request.clientOrderId } })
      }
      const current = await fetchRegular(ins, request.clientOrderId)
      if (current === undefined) throw new PerpkitError('order-not-found', `no order ${request.clientOrderId} on ${ins.venueSymbol}`, { details: { clientOrderId: request.clientOrderId } })
      const probe = validateOrderRequest({
        request: { symbol: ins.symbol, clientOrderId: request.clientOrderId, side: current.side, type: 'limit', qty: request.qty ?? current.qty, price: request.price ?? current.price },
        instrument: ins,
      })
      const { params } = createOrderCall(probe, ins)
      const body = { symbol: ins.venueSymbol, origClientOrderId: request.clientOrderId, side: params['side'] ?? '', quantity: params['quantity'] ?? '', price: params['price'] ?? '' }
      return remember(regularOrderOf((await call('PUT', 'order', 'order.amend', body)) as Record<string, unknown>, ins))
    },
    async cancelOrder(ref) {
      const ins = await instrument(ref.symbol)
      if (!state.algoByClientId.has(ref.clientOrderId)) {
        try {
          return remember(regularOrderOf((await call('DELETE', 'order', 'order.cancel', { symbol: ins.venueSymbol, origClientOrderId: ref.clientOrderId })) as Record<string, unknown>, ins))
        } catch (e) {
          if (!notFound(e)) throw e
        }
      }
      await call('DELETE', 'algoOrder', 'algoOrder.cancel', { symbol: ins.venueSymbol, clientAlgoId: ref.clientOrderId })
      const after = await fetchAlgo(ins, ref.clientOrderId)
      if (after === undefined) throw new PerpkitError('order-not-found', `no order ${ref.clientOrderId} on ${ins.venueSymbol}`, { details: { clientOrderId: ref.clientOrderId } })
      return after
    },
    async cancelAllOrders(symbol) {
      const ins = await instrument(symbol)
      const open = await fetchOpenOrders(symbol)
      await call('DELETE', 'allOpenOrders', 'allOpenOrders.cancel', { symbol: ins.venueSymbol })
      await call('DELETE', 'algoOpenOrders', 'algoOpenOrders.cancel', { symbol: ins.venueSymbol })
      const now = clock.now()
      return open.map((o) => ({ ...o, status: 'canceled' as const, updatedAtMs: now }))
    },
    async setLeverage({ symbol, leverage: lev }) {
      const ins = await instrument(symbol)
      if (!Number.isInteger(lev) || lev < 1 || lev > ins.maxLeverage) throw new PerpkitError('invalid-input', `leverage must be an integer in [1, ${ins.maxLeverage}]`, { path: 'leverage' })
      await call('POST', 'leverage', 'leverage', { symbol: ins.venueSymbol, leverage: lev })
      leverage.set(ins.symbol, lev)
    },
    async setMarginMode({ symbol, marginMode }) {
      const ins = await instrument(symbol)
      try {
        await call('POST', 'marginType', 'marginType', { symbol: ins.venueSymbol, marginType: marginMode === 'isolated' ? 'ISOLATED' : 'CROSSED' })
      } catch (e) {
        if (!(isPerpkitError(e) && e.venueCode === -4046)) throw e // -4046: already in that mode
      }
    },
    async getPositionMode() {
      const body = (await call('GET', 'positionSide/dual', 'positionSide.get')) as { dualSidePosition?: unknown }
      return body.dualSidePosition === true ? 'hedge' : 'one-way'
    },
    async fetchServerTime() {
      const body = (await call('GET', 'time', 'time', undefined, 'fapiPublic')) as { serverTime?: unknown }
      if (typeof body.serverTime !== 'number') throw new PerpkitError('corrupt-data', 'Binance answered time without serverTime')
      return body.serverTime
    },
    async fetchMarkPrice(symbol) {
      const ins = await instrument(symbol)
      return markPriceOf(await call('GET', 'premiumIndex', 'premiumIndex', { symbol: ins.venueSymbol }, 'fapiPublic'), ins)
    },
    async fetchFundingRate(symbol) {
      const ins = await instrument(symbol)
      return fundingRateOf(await call('GET', 'premiumIndex', 'premiumIndex', { symbol: ins.venueSymbol }, 'fapiPublic'), ins)
    },
    subscribeUserStream(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
  return client
}
