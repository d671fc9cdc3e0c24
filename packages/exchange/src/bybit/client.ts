/**
 * `createBybit`: core's `ExchangeClient` for one Bybit v5 category of a unified trade account — `inverse`
 * (coin-margined, e.g. BTCUSD) or `linear` (USDT / USDC-margined) perpetuals. REST is signed by the pinned ccxt
 * `bybit` class and sent by the shared transport; the private stream runs over our own `ws` connection with
 * auth, ping and reconnect.
 * @module
 */
import {
  type AmendRequest,
  type Clock,
  EXCHANGE_PORT_VERSION,
  type ExchangeCapabilities,
  type ExchangeClient,
  formatToStep,
  type Instrument,
  isOnStep,
  isPerpkitError,
  type Order,
  type OrderRef,
  PerpkitError,
  systemClock,
  type UserStreamEvent,
  validateOrderRequest,
} from '@perpkit/core'
import type { FeeRates } from '../shared/fees.js'
import { num, type Raw, str } from '../shared/raw.js'
import { balancesOf, fillOf, fundingRateOf, markPriceOf, positionOf, TRADE_EXEC_TYPES } from './account.js'
import { translateBybitMessage } from './events.js'
import { bybitInstruments } from './instruments.js'
import { acceptedOrderOf, createOrderBody, orderOf } from './orders.js'
import { type BybitStreamTimings, createBybitPrivateStream, DEFAULT_BYBIT_STREAM_TIMINGS } from './private-stream.js'
import type { RateBudget } from '../transport/rate-budget.js'
import { createTimeSync, type TimeSyncOptions } from '../transport/time-sync.js'
import { BYBIT_REQUEST_LIMITS, createBybitRateBudget } from './rate-limits.js'
import { type BybitParams, createBybitTransport } from './transport.js'

/**
 * Options of {@link createBybit}. Keys come from the caller (the app reads them from its environment); they never
 * appear in errors or events.
 * @example
 * ```ts
 * import type { BybitOptions } from '@perpkit/exchange'
 * const options: BybitOptions = { apiKey: 'key', secret: 'secret', category: 'inverse' } // testnet
 * ```
 */
export interface BybitOptions extends TimeSyncOptions {
  readonly apiKey: string
  readonly secret: string
  /** `inverse` (coin-margined perpetuals such as BTCUSD) or `linear` (USDT / USDC perpetuals). */
  readonly category: 'inverse' | 'linear'
  /** `testnet` (default) or `production` (Bybit mainnet). Production only when asked. */
  readonly environment?: 'testnet' | 'production'
  /** REST base, e.g. `http://127.0.0.1:8080` for a local venue. Default: the environment's. */
  readonly restBaseUrl?: string
  /** WebSocket base (the private stream is `${wsBaseUrl}/v5/private`). Default: the environment's. */
  readonly wsBaseUrl?: string
  /** Time source for request timestamps, timeouts and stream timers. Default: the system clock. */
  readonly clock?: Clock
  /** Per-request timeout. Default 10,000 ms. */
  readonly timeoutMs?: number
  /** Validity window of signed requests. Default 5,000 ms. */
  readonly recvWindowMs?: number
  /** Fee rates attached to instruments (instruments-info carries none). Default: maker 0.0002, taker 0.00055 (non-VIP derivatives). */
  readonly feeRates?: FeeRates
  /** Private-stream timings (ping, reconnect delay, auth timeout; each pong is reported as a `connection` `open` without a reason). */
  readonly stream?: Partial<BybitStreamTimings>
  /**
   * The account's request budget for this category (`createBybitRateBudget`), to share with `createBybitFeed`.
   * Default: a budget of this client alone. Requests wait below 80 % of Bybit's limits (per endpoint per rolling
   * second, and 600 per 5 s per IP); cancels and reduce-only orders may use the rest and go first; a 10006 holds
   * the endpoint until `X-Bapi-Limit-Reset-Timestamp`; an HTTP 403 fails every request with `ip-banned` for 10 minutes.
   */
  readonly rateBudget?: RateBudget
}

/** Environments' endpoints: REST base and WebSocket base. */
const ENDPOINTS = {
  testnet: { rest: 'https://api-testnet.bybit.com', ws: 'wss://stream-testnet.bybit.com' },
  production: { rest: 'https://api.bybit.com', ws: 'wss://stream.bybit.com' },
} as const

/**
 * What Bybit (inverse and linear) can do through this adapter. Conditional orders can be amended (`order/amend`
 * takes a new `triggerPrice`). Trailing stops are a position setting on Bybit, not an order, and close-position
 * orders are not placed by this adapter. `reduceOnlyStopWithoutPosition` is false: the Place Order page
 * (https://bybit-exchange.github.io/docs/v5/order/create-order) defines `reduceOnly` as "your position can only
 * reduce in size if this order is triggered" and `closeOnTrigger` as a closing order that can only reduce the
 * position, but does not say that either may rest while the position is zero; the error-code page
 * (https://bybit-exchange.github.io/docs/v5/error) answers a reduce-only order that cannot reduce with 110017
 * "Reduce-only rule not satisfied". So `@perpkit/oms` sends the entry first and the stop on its first fill.
 * @example
 * ```ts
 * import { BYBIT_CAPABILITIES } from '@perpkit/exchange'
 * BYBIT_CAPABILITIES.amendConditionalOrder // true
 * ```
 */
export const BYBIT_CAPABILITIES: ExchangeCapabilities = {
  amendOrder: true,
  amendConditionalOrder: true,
  closePositionOrders: false,
  trailingStop: false,
  reduceOnlyStopWithoutPosition: false,
}

const PAGE_LIMIT = 50
const MAX_PAGES = 20

/**
 * Create a Bybit client for one category. Nothing is sent until a method is called; `connect()` measures the
 * server time offset (then every `timeSyncIntervalMs`, and after every 10002), refuses a key with withdrawal permission (`GET /v5/user/query-api`), loads instruments,
 * refuses hedge mode (`positionIdx` other than 0) and opens the private stream.
 *
 * @param options - keys, category, environment, endpoints, clock; see {@link BybitOptions}
 * @returns an `ExchangeClient`
 * @throws InvalidInputError when a key or secret is empty or the category is not `inverse` / `linear`
 * @example
 * ```ts
 * import { createBybit } from '@perpkit/exchange'
 * const bybit = createBybit({ apiKey: 'key', secret: 'secret', category: 'inverse', restBaseUrl: 'http://127.0.0.1:8080', wsBaseUrl: 'ws://127.0.0.1:8080' })
 * await bybit.connect()
 * const order = await bybit.createOrder({ symbol: 'BTC/USD:BTC', clientOrderId: 'pk_1', side: 'buy', type: 'limit', qty: 100, price: 58000, timeInForce: 'post-only' })
 * await bybit.close()
 * ```
 */
export function createBybit(options: BybitOptions): ExchangeClient {
  if (options.apiKey === '' || options.secret === '') throw new PerpkitError('invalid-input', 'Bybit API key and secret are required', { path: 'apiKey' })
  const category = options.category
  if (category !== 'inverse' && category !== 'linear') throw new PerpkitError('invalid-input', "Bybit category must be 'inverse' or 'linear'", { path: 'category' })
  const environment = options.environment ?? 'testnet'
  const clock = options.clock ?? systemClock
  const recvWindowMs = options.recvWindowMs ?? 5_000
  const transport = createBybitTransport({
    restBaseUrl: options.restBaseUrl ?? ENDPOINTS[environment].rest,
    apiKey: options.apiKey,
    secret: options.secret,
    clock,
    timeoutMs: options.timeoutMs ?? 10_000,
    recvWindowMs,
    budget: options.rateBudget ?? createBybitRateBudget({ clock, category }),
  })
  const fees = options.feeRates ?? { makerFeeRate: 0.0002, takerFeeRate: 0.00055 }
  const venue = category === 'inverse' ? 'bybit-inverse' : 'bybit-linear'
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
  const bySymbol = new Map<string, Instrument>()
  const byVenueSymbol = new Map<string, Instrument>()

  const send = (args: Parameters<typeof transport.request>[0]): Promise<unknown> =>
    transport.request(args).catch((e: unknown) => {
      throw timeSync.afterFailure(e) // 10002: the venue refused our timestamp; measured again, the request is not re-sent
    })
  const get = (path: string, endpoint: string, params?: BybitParams, access: 'public' | 'private' = 'private'): Promise<unknown> =>
    send({ access, method: 'GET', path: `v5/${path}`, endpoint, ...(params === undefined ? {} : { params }) })
  const post = (path: string, endpoint: string, params: BybitParams): Promise<unknown> => send({ access: 'private', method: 'POST', path: `v5/${path}`, endpoint, params })
  const timeSync = createTimeSync({ clock, fetchServerTime: () => client.fetchServerTime(), transport, recvWindowMs, options })
  /** Every page of a cursor-paginated list. */
  const list = async (path: string, endpoint: string, params: BybitParams, access: 'public' | 'private' = 'private'): Promise<Raw[]> => {
    const out: Raw[] = []
    let cursor = ''
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = (await get(path, endpoint, { ...params, ...(cursor === '' ? {} : { cursor }) }, access)) as { list?: unknown; nextPageCursor?: unknown }
      if (Array.isArray(result.list)) out.push(...(result.list as Raw[]))
      cursor = str(result.nextPageCursor)
      if (cursor === '') break
    }
    return out
  }

  const loadInstruments = async (): Promise<readonly Instrument[]> => {
    const entries = await list('market/instruments-info', 'market.instruments-info', { category, limit: 1000 }, 'public')
    const instruments = bybitInstruments({ list: entries, category, fees })
    bySymbol.clear()
    byVenueSymbol.clear()
    for (const i of instruments) {
      bySymbol.set(i.symbol, i)
      byVenueSymbol.set(i.venueSymbol, i)
    }
    return instruments
  }
  const instrument = async (symbol: unknown): Promise<Instrument> => {
    if (bySymbol.size === 0) await loadInstruments()
    const ins = typeof symbol === 'string' ? bySymbol.get(symbol) : undefined
    if (ins === undefined) throw new PerpkitError('unknown-symbol', `${String(symbol)} is not a Bybit ${category} perpetual`, { details: { symbol: String(symbol) } })
    return ins
  }
  const ordersOf = (rows: readonly Raw[]): Order[] =>
    rows.flatMap((r) => {
      const ins = byVenueSymbol.get(str(r['symbol']))
      return ins === undefined ? [] : [orderOf(r, ins)]
    })
  /** Open orders of a symbol, or of every loaded symbol of the category. */
  const fetchOpenOrders = async (symbol?: string): Promise<readonly Order[]> => {
    const ins = symbol === undefined ? undefined : await instrument(symbol)
    if (bySymbol.size === 0) await loadInstruments()
    const scopes = ins !== undefined ? [{ symbol: ins.venueSymbol }] : [...new Set([...bySymbol.values()].map((i) => i.settle))].map((settleCoin) => ({ settleCoin }))
    const out: Order[] = []
    for (const scope of scopes) out.push(...ordersOf(await list('order/realtime', 'order.realtime', { category, ...scope, limit: PAGE_LIMIT })))
    return out
  }
  const fetchOrder = async (ref: OrderRef): Promise<Order | null> => {
    const ins = await instrument(ref.symbol)
    const query = { category, symbol: ins.venueSymbol, orderLinkId: ref.clientOrderId }
    const open = ordersOf(await list('order/realtime', 'order.realtime', query))
    if (open[0] !== undefined) return open[0]
    const past = ordersOf(await list('order/history', 'order.history', query))
    return past[0] ?? null
  }
  const mustFind = async (ref: OrderRef): Promise<Order> => {
    const order = await fetchOrder(ref)
    if (order === null) throw new PerpkitError('order-not-found', `no order ${ref.clientOrderId} on ${ref.symbol}`, { details: { clientOrderId: ref.clientOrderId } })
    return order
  }
  const positionListOf = async (ins?: Instrument): Promise<Raw[]> => {
    if (ins !== undefined) return list('position/list', 'position.list', { category, symbol: ins.venueSymbol, limit: 200 })
    const settles = [...new Set([...bySymbol.values()].map((i) => i.settle))]
    const out: Raw[] = []
    for (const settleCoin of settles) out.push(...(await list('position/list', 'position.list', { category, settleCoin, limit: 200 })))
    return out
  }

  const stream = createBybitPrivateStream({
    url: `${options.wsBaseUrl ?? ENDPOINTS[environment].ws}/v5/private`,
    apiKey: options.apiKey,
    secret: options.secret,
    topics: [`order.${category}`, `execution.${category}`, `position.${category}`, 'wallet'],
    clock,
    venueNow: () => clock.now() + timeSync.offsetMs(),
    timings: { ...DEFAULT_BYBIT_STREAM_TIMINGS, ...options.stream },
    onMessage: (message) => {
      for (const e of translateBybitMessage(message, (v) => byVenueSymbol.get(v))) emit(e)
    },
    onConnection: (state, reason) => emit({ type: 'connection', timestampMs: clock.now(), state, reason }),
    onAlive: () => emit({ type: 'connection', timestampMs: clock.now(), state: 'open' }), // a pong: alive, not a reconnect
  })

  const client: ExchangeClient = {
    venue,
    portVersion: EXCHANGE_PORT_VERSION,
    capabilities: BYBIT_CAPABILITIES,
    requestLimits: BYBIT_REQUEST_LIMITS,
    async connect() {
      await timeSync.sync()
      const key = (await get('user/query-api', 'user.query-api')) as { permissions?: Record<string, unknown> }
      const permissions = Object.values(key.permissions ?? {}).flatMap((v) => (Array.isArray(v) ? v.map(String) : []))
      if (key.permissions === undefined || permissions.includes('Withdraw')) {
        throw new PerpkitError('permission', 'the Bybit API key has withdrawal permission (or does not list its permissions); perpkit refuses such a key', { details: { venue } })
      }
      await loadInstruments()
      if ((await client.getPositionMode()) !== 'one-way') {
        throw new PerpkitError('invalid-state', 'the Bybit account is in hedge mode (positionIdx 1/2); perpkit trades one-way mode only (positionIdx 0)', { details: { venue } })
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
    async fetchBalances() {
      const result = (await get('account/wallet-balance', 'account.wallet-balance', { accountType: 'UNIFIED' })) as { list?: Raw[] }
      return (result.list ?? []).flatMap((a) => balancesOf(a, clock.now()))
    },
    async fetchPositions(symbols) {
      if (bySymbol.size === 0) await loadInstruments()
      const now = clock.now()
      const positions = (await positionListOf()).flatMap((p) => {
        const ins = byVenueSymbol.get(str(p['symbol']))
        const position = ins === undefined ? null : positionOf(p, ins, now)
        return position === null ? [] : [position]
      })
      return symbols === undefined ? positions : positions.filter((p) => symbols.includes(p.symbol))
    },
    fetchOpenOrders,
    fetchOrder,
    async fetchFills(query) {
      const ins = await instrument(query.symbol)
      const rows = await list('execution/list', 'execution.list', {
        category,
        symbol: ins.venueSymbol,
        limit: Math.min(query.limit ?? 100, 100),
        ...(query.sinceMs === undefined ? {} : { startTime: query.sinceMs }),
      })
      const fills = rows.filter((x) => TRADE_EXEC_TYPES.has(str(x['execType'])) && num(x['execQty']) > 0).map((x) => fillOf(x, ins))
      const sorted = fills.sort((a, b) => a.timestampMs - b.timestampMs)
      return query.limit === undefined ? sorted : sorted.slice(-query.limit)
    },
    async createOrder(request) {
      const ins = await instrument((request as { symbol?: unknown }).symbol)
      const valid = validateOrderRequest({ request, instrument: ins })
      const body = createOrderBody(valid, ins)
      const ack = (await post('order/create', 'order.create', body)) as { orderId?: unknown }
      let order: Order
      try {
        order = (await fetchOrder({ symbol: ins.symbol, clientOrderId: valid.clientOrderId })) ?? acceptedOrderOf(valid, ins, str(ack.orderId), clock.now())
      } catch {
        // accepted: a failed follow-up query does not undo the order; the stream and the next query tell the rest
        order = acceptedOrderOf(valid, ins, str(ack.orderId), clock.now())
      }
      if (order.status === 'canceled' && order.rejectReason === 'EC_PostOnlyWillTakeLiquidity') {
        throw new PerpkitError('post-only-rejected', `post-only order ${valid.clientOrderId} would have taken liquidity; Bybit canceled it`, { details: { clientOrderId: valid.clientOrderId } })
      }
      return order
    },
    async amendOrder(request: AmendRequest) {
      const ins = await instrument(request.symbol)
      const path = (field: string): { path: string } => ({ path: field })
      for (const [field, value, step] of [['price', request.price, ins.tickSize], ['triggerPrice', request.triggerPrice, ins.tickSize], ['qty', request.qty, ins.lotStep]] as const) {
        if (value === undefined) continue
        if (!Number.isFinite(value) || value <= 0) throw new PerpkitError('invalid-input', `${field} must be a positive finite number`, path(field))
        if (!isOnStep({ value, step })) throw new PerpkitError('invalid-input', `${field} ${value} is not a multiple of ${step}`, path(field))
      }
      if (request.qty !== undefined && (request.qty < ins.minQty || (ins.maxQty !== undefined && request.qty > ins.maxQty))) {
        throw new PerpkitError('invalid-input', `qty ${request.qty} is outside [${ins.minQty}, ${ins.maxQty ?? '∞'}]`, path('qty'))
      }
      if (request.price === undefined && request.triggerPrice === undefined && request.qty === undefined) throw new PerpkitError('invalid-input', 'nothing to amend', path('price'))
      const body: Record<string, string> = { category, symbol: ins.venueSymbol, orderLinkId: request.clientOrderId }
      if (request.price !== undefined) body['price'] = formatToStep({ value: request.price, step: ins.tickSize, mode: 'nearest' })
      if (request.triggerPrice !== undefined) body['triggerPrice'] = formatToStep({ value: request.triggerPrice, step: ins.tickSize, mode: 'nearest' })
      if (request.qty !== undefined) body['qty'] = formatToStep({ value: request.qty, step: ins.lotStep, mode: 'nearest' })
      await post('order/amend', 'order.amend', body)
      return mustFind({ symbol: ins.symbol, clientOrderId: request.clientOrderId })
    },
    async cancelOrder(ref) {
      const ins = await instrument(ref.symbol)
      await post('order/cancel', 'order.cancel', { category, symbol: ins.venueSymbol, orderLinkId: ref.clientOrderId })
      return mustFind({ symbol: ins.symbol, clientOrderId: ref.clientOrderId })
    },
    async cancelAllOrders(symbol) {
      const ins = await instrument(symbol)
      const open = await fetchOpenOrders(symbol)
      // Without orderFilter, cancel-all of linear / inverse cancels regular and conditional orders alike.
      await post('order/cancel-all', 'order.cancel-all', { category, symbol: ins.venueSymbol })
      const now = clock.now()
      return open.map((o) => ({ ...o, status: 'canceled' as const, updatedAtMs: now }))
    },
    async setLeverage({ symbol, leverage }) {
      const ins = await instrument(symbol)
      if (!Number.isFinite(leverage) || leverage < 1 || leverage > ins.maxLeverage || !isOnStep({ value: leverage, step: 0.01 })) {
        throw new PerpkitError('invalid-input', `leverage must be in [1, ${ins.maxLeverage}] in steps of 0.01`, { path: 'leverage' })
      }
      const text = formatToStep({ value: leverage, step: 0.01, mode: 'nearest' })
      try {
        await post('position/set-leverage', 'position.set-leverage', { category, symbol: ins.venueSymbol, buyLeverage: text, sellLeverage: text })
      } catch (e) {
        if (!(isPerpkitError(e) && e.venueCode === 110043)) throw e // 110043: already at that leverage
      }
    },
    async setMarginMode({ symbol, marginMode }) {
      await instrument(symbol)
      // A unified trade account sets the margin mode for the whole account, not per symbol.
      await post('account/set-margin-mode', 'account.set-margin-mode', { setMarginMode: marginMode === 'isolated' ? 'ISOLATED_MARGIN' : 'REGULAR_MARGIN' })
    },
    async getPositionMode() {
      if (bySymbol.size === 0) await loadInstruments()
      const first = [...bySymbol.values()].find((i) => i.base === 'BTC') ?? [...bySymbol.values()][0]
      if (first === undefined) return 'one-way'
      const rows = await positionListOf(first)
      return rows.some((p) => num(p['positionIdx']) !== 0) ? 'hedge' : 'one-way'
    },
    async fetchServerTime() {
      const result = (await get('market/time', 'market.time', undefined, 'public')) as { timeNano?: unknown; timeSecond?: unknown }
      const nano = str(result.timeNano)
      if (/^\d{7,}$/.test(nano)) return Number(nano.slice(0, -6))
      if (num(result.timeSecond) > 0) return num(result.timeSecond) * 1000
      throw new PerpkitError('corrupt-data', 'Bybit answered market/time without a time')
    },
    async fetchMarkPrice(symbol) {
      const ins = await instrument(symbol)
      return markPriceOf(await ticker(ins), ins, clock.now())
    },
    async fetchFundingRate(symbol) {
      const ins = await instrument(symbol)
      return fundingRateOf(await ticker(ins), ins)
    },
    subscribeUserStream(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
  const ticker = async (ins: Instrument): Promise<Raw> => {
    const result = (await get('market/tickers', 'market.tickers', { category, symbol: ins.venueSymbol }, 'public')) as { list?: Raw[] }
    const entry = result.list?.[0]
    if (entry === undefined) throw new PerpkitError('corrupt-data', `Bybit answered tickers without ${ins.venueSymbol}`)
    return entry
  }
  return client
}
