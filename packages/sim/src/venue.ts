/**
 * `createSimVenue`: wires the venue modules (order entry, matching, triggers, fills, funding, liquidation,
 * account bookkeeping, call gate, user stream) into one `SimVenue` behind core's `ExchangeClient` port.
 * @module
 */
import { EXCHANGE_PORT_VERSION, type ExchangeClient, type FillQuery, type Order } from '@perpkit/core'
import { balancesList, positionsList } from './account.js'
import { createCallGate } from './call-log.js'
import { resolveConfig } from './config.js'
import { createFaultEngine } from './fault-injector.js'
import { queryFills } from './fills.js'
import { currentMark, nextFundingRate } from './funding.js'
import { autoDeleverage } from './liquidation.js'
import { applyCandle, applyTrade, setMarkPrice } from './market-data.js'
import { amendOrder, cancelAllOrders, cancelOrder, createOrder, setLeverage, setMarginMode, setPositionMode } from './order-entry.js'
import { findOpen, openOrdersList, toOrder } from './order-book.js'
import { type VenueProfile, venueProfile } from './profiles.js'
import { createSeededRandom } from './rng.js'
import { createVenueContext, orderKey, symbolState } from './sim-state.js'
import type { SimVenue, SimVenueOptions } from './types.js'
import { createSimUserStream } from './user-stream.js'

/**
 * Create a deterministic simulated venue implementing `ExchangeClient` plus market-data inputs, fault
 * injection and, when asked for with `record`, a call log and a hashed event log. See the package README for
 * the fill model.
 *
 * @param options - see {@link SimVenueOptions}
 * @returns a {@link SimVenue}
 * @throws InvalidInputError for invalid instruments, balances or options
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { createSimVenue } from '@perpkit/sim'
 * const clock = createTestClock(Date.UTC(2025, 8, 19))
 * const venue = createSimVenue({
 *   profile: 'binance-usdm', clock, balances: { USDT: 10_000 },
 *   instruments: [{ symbol: 'BTC/USDT:USDT', venue: 'binance-usdm', venueSymbol: 'BTCUSDT', kind: 'linear', base: 'BTC',
 *     quote: 'USDT', settle: 'USDT', contractSize: 1, tickSize: 0.1, lotStep: 0.001, minQty: 0.001, minNotional: 100,
 *     maxLeverage: 125, makerFeeRate: 0.0002, takerFeeRate: 0.0005 }],
 * })
 * venue.applyCandle({ symbol: 'BTC/USDT:USDT', candle: { openTimeMs: clock.now(), open: 116000, high: 116100, low: 115900, close: 116050, volume: 10 } })
 * await venue.createOrder({ symbol: 'BTC/USDT:USDT', clientOrderId: 'pk_1', side: 'buy', type: 'market', qty: 0.01 })
 * ```
 */
export function createSimVenue(options: SimVenueOptions): SimVenue {
  const profile: VenueProfile = venueProfile(options.profile)
  const clock = options.clock
  const random = createSeededRandom(options.seed ?? 1)
  const faults = createFaultEngine({ random })
  const stream = createSimUserStream({ clock, faults: faults.stream, random, keepLog: options.record?.events === true })
  const { settings, wallets, symbols, instruments } = resolveConfig(options, profile)
  const ctx = createVenueContext({
    settings,
    profile,
    clock,
    emit: (event) => stream.emit(event),
    wallets,
    symbols,
    positionMode: options.positionMode ?? 'one-way',
  })
  const poll = (): void => stream.poll()
  const gate = createCallGate(ctx, faults, poll, options.record?.calls === true)
  const call = gate.call

  const venue: SimVenue = {
    venue: profile.venue,
    portVersion: EXCHANGE_PORT_VERSION,
    capabilities: profile.capabilities,
    requestLimits: profile.requestLimits,
    faults,
    connect: () => call('connect', undefined, () => stream.open()),
    close: () => {
      stream.close()
      return Promise.resolve()
    },
    rateLimitUsage: () => [],
    loadInstruments: () => call('loadInstruments', undefined, () => instruments.slice()),
    fetchBalances: () => call('fetchBalances', undefined, () => balancesList(ctx)),
    fetchPositions: (filter) => call('fetchPositions', filter, () => positionsList(ctx, filter)),
    fetchOpenOrders: (symbol) =>
      call('fetchOpenOrders', symbol, () => {
        if (symbol !== undefined) symbolState(ctx, symbol)
        return openOrdersList(ctx, symbol)
      }),
    fetchOrder: (ref) =>
      call('fetchOrder', ref, () => {
        const { st, o } = findOpen(ctx, ref)
        const found = o ?? ctx.closed.get(orderKey(st.ins.symbol, ref.clientOrderId))
        return found === undefined ? null : toOrder(found)
      }),
    fetchFills: (query: FillQuery) => call('fetchFills', query, () => queryFills(symbolState(ctx, query.symbol), query)),
    createOrder: (request) => call('createOrder', request, () => createOrder(ctx, request)),
    amendOrder: (request) => call('amendOrder', request, () => amendOrder(ctx, request)),
    cancelOrder: (ref) => call('cancelOrder', ref, () => cancelOrder(ctx, ref)),
    cancelAllOrders: (symbol) => call('cancelAllOrders', symbol, (): readonly Order[] => cancelAllOrders(ctx, symbol)),
    fetchMarkPrice: (symbol) => call('fetchMarkPrice', symbol, () => currentMark(ctx, symbolState(ctx, symbol))),
    fetchFundingRate: (symbol) => call('fetchFundingRate', symbol, () => nextFundingRate(ctx, symbolState(ctx, symbol))),
    setLeverage: (args) => call('setLeverage', args, () => setLeverage(ctx, args)),
    setMarginMode: (args) => call('setMarginMode', args, () => setMarginMode(ctx, args)),
    getPositionMode: () => call('getPositionMode', undefined, () => ctx.positionMode),
    fetchServerTime: () => call('fetchServerTime', undefined, () => clock.now() + ctx.serverOffsetMs),
    subscribeUserStream: (listener) => stream.subscribe(listener),
    setPositionMode: ({ mode }) => call('setPositionMode', { mode }, () => setPositionMode(ctx, mode)),
    applyCandle: (args) => applyCandle(ctx, poll, args),
    applyTrade: (args) => applyTrade(ctx, poll, args),
    setMarkPrice: (args) => setMarkPrice(ctx, poll, args),
    autoDeleverage: ({ symbol, ...rest }) => {
      poll()
      autoDeleverage(ctx, symbolState(ctx, symbol), rest)
    },
    callLog: () => gate.log(),
    eventLog: () => stream.log(),
    eventLogHash: () => stream.hash(),
    state: () => ({
      balances: Object.fromEntries([...wallets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      positions: positionsList(ctx),
      openOrders: openOrdersList(ctx),
    }),
    balancesNow: () => balancesList(ctx),
  }
  const client: ExchangeClient = venue
  void client
  return venue
}
