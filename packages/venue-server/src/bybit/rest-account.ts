/**
 * Account REST handlers: `position/list`, `position/set-leverage`, `position/switch-mode` (one-way / hedge per
 * USDT perpetual; inverse perpetuals are one-way only), `account/set-margin-mode` (the account-wide
 * margin mode of a unified account: `ISOLATED_MARGIN` or `REGULAR_MARGIN`, i.e. cross), `account/info`,
 * `account/wallet-balance`, `user/query-api` and `asset/coin/query-info` (the last two are what ccxt asks
 * before its first private call).
 * @module
 */
import type { Position } from '@perpkit/core'
import { bybitPositionJson, bybitWalletJson } from './account-format.js'
import type { BybitApiKey } from './auth.js'
import { allBooks, bookOf, type BybitDerivativeCategory, marketOf } from './books.js'
import { decimalParam, money } from './decimals.js'
import { BybitApiError, BYBIT_RET, toBybitApiError } from './errors.js'
import type { BybitParams } from './rest-market.js'
import type { BybitState } from './state.js'

/**
 * One position object of a symbol: `position` as given (a stream event's state) or, when omitted, the venue's
 * current one (flat symbols included).
 * @example
 * ```ts
 * const json = positionObject(state, 'inverse', 'BTC/USD:BTC', false)
 * ```
 */
export function positionObject(state: BybitState, category: BybitDerivativeCategory, symbol: string, ws: boolean, given?: Position | null): Record<string, unknown> | undefined {
  const book = state.books[category]
  const instrument = state.instrumentOf(category, symbol)
  if (book === undefined || instrument === undefined) return undefined
  const position = given !== undefined ? given : (book.venue.state().positions.find((x) => x.symbol === symbol) ?? null)
  const settings = state.settings(category, instrument)
  const cumRealisedPnl = state
    .executions()
    .filter((x) => x.category === category && x.fill.symbol === symbol)
    .reduce((a, x) => a + (x.fill.realizedPnl ?? 0) - x.fill.feeAmount, 0)
  return bybitPositionJson({
    category,
    instrument,
    position,
    settings: { leverage: settings.leverage, marginMode: settings.marginMode, createdTimeMs: settings.createdTimeMs, cumRealisedPnl },
    markPrice: state.tape.markPrice(instrument.venueSymbol),
    nowMs: state.clock.now(),
    seq: state.nextSeq(),
    ws,
  })
}

/** The entries of a symbol: one (`positionIdx` 0) in one-way mode, a flat Buy (1) and Sell (2) side in hedge mode. */
function positionEntries(state: BybitState, category: BybitDerivativeCategory, symbol: string): Record<string, unknown>[] {
  const entry = positionObject(state, category, symbol, false)
  const instrument = state.instrumentOf(category, symbol)
  if (entry === undefined || instrument === undefined) return []
  // Switching to hedge mode needs a flat symbol without orders, and this venue trades one-way only, so both sides stay flat.
  if (state.settings(category, instrument).hedge) return [{ ...entry, positionIdx: 1 }, { ...entry, positionIdx: 2 }]
  return [entry]
}

/** `GET /v5/position/list`: one-way positions (`positionIdx` 0); without `symbol` only open ones. @example `positionList(state, { category: 'inverse' })` */
export function positionList(state: BybitState, p: BybitParams): Record<string, unknown> {
  const book = bookOf(state.books, p.category)
  if (p.symbol !== undefined) {
    const { instrument } = marketOf(state.books, p.category, p.symbol)
    return { category: book.category, list: positionEntries(state, book.category, instrument.symbol), nextPageCursor: '' }
  }
  const open = book.venue.state().positions.filter((x) => p.settleCoin === undefined || state.instrumentOf(book.category, x.symbol)?.settle === p.settleCoin)
  return { category: book.category, list: open.map((x) => positionObject(state, book.category, x.symbol, false)), nextPageCursor: '' }
}

/** `POST /v5/position/set-leverage` (buy and sell leverage must be equal in one-way mode). @example `await setLeverage(state, { category: 'inverse', symbol: 'BTCUSD', buyLeverage: '5', sellLeverage: '5' })` */
export async function setLeverage(state: BybitState, p: BybitParams): Promise<Record<string, unknown>> {
  const { book, instrument } = marketOf(state.books, p.category, p.symbol)
  const buy = decimalParam(p.buyLeverage)
  const sell = decimalParam(p.sellLeverage)
  if (buy === undefined || sell === undefined || !Number.isFinite(buy) || !Number.isFinite(sell)) throw new BybitApiError(BYBIT_RET.paramsError, 'params error: buyLeverage and sellLeverage are required')
  if (buy !== sell) throw new BybitApiError(BYBIT_RET.paramsError, 'params error: buy leverage must equal sell leverage in one-way mode')
  const settings = state.settings(book.category, instrument)
  if (settings.leverage === buy) throw new BybitApiError(BYBIT_RET.leverageNotModified, 'leverage not modified')
  try {
    await book.venue.setLeverage({ symbol: instrument.symbol, leverage: buy })
  } catch (e) {
    throw toBybitApiError(e)
  }
  settings.leverage = buy
  return {}
}

/**
 * `POST /v5/position/switch-mode`: `mode` 0 (one-way, "Merged Single") or 3 (hedge, "Both Sides") for a `symbol`
 * (or every symbol of a settle `coin`). USDT perpetuals support both; inverse perpetuals are one-way only (110029).
 * Refused while the symbol has a position (110024) or open orders (110028); the same mode again is 110025.
 * @example `await switchMode(state, { category: 'linear', symbol: 'BTCUSDT', mode: 3 })`
 */
export function switchMode(state: BybitState, p: BybitParams): Record<string, unknown> {
  const book = bookOf(state.books, p.category)
  const mode = Number(p.mode)
  if (mode !== 0 && mode !== 3) throw new BybitApiError(BYBIT_RET.paramsError, 'params error: mode invalid')
  const targets = p.symbol !== undefined && p.symbol !== '' ? [marketOf(state.books, p.category, p.symbol).instrument] : book.instruments.filter((i) => typeof p.coin === 'string' && i.settle === p.coin)
  if (targets.length === 0) throw new BybitApiError(BYBIT_RET.paramsError, 'params error: symbol or coin is required')
  const hedge = mode === 3
  for (const instrument of targets) {
    if (hedge && instrument.kind === 'inverse') throw new BybitApiError(BYBIT_RET.hedgeModeUnavailable, 'Hedge mode is not available for this symbol')
    const settings = state.settings(book.category, instrument)
    if (settings.hedge === hedge) throw new BybitApiError(BYBIT_RET.positionModeNotModified, 'Position mode is not modified')
    const venueState = book.venue.state()
    if (venueState.positions.some((x) => x.symbol === instrument.symbol)) throw new BybitApiError(BYBIT_RET.existingPositionModeLocked, 'You have an existing position, so position mode cannot be switched')
    if (venueState.openOrders.some((o) => o.symbol === instrument.symbol)) throw new BybitApiError(BYBIT_RET.openOrdersModeLocked, 'Open orders exist, so you cannot change position mode')
  }
  for (const instrument of targets) state.settings(book.category, instrument).hedge = hedge
  return {}
}

/** `POST /v5/account/set-margin-mode`: switches every symbol of both categories; refused while a position is open. @example `await setMarginMode(state, { setMarginMode: 'ISOLATED_MARGIN' })` */
export async function setMarginMode(state: BybitState, p: BybitParams): Promise<Record<string, unknown>> {
  const mode = p.setMarginMode
  if (mode === 'PORTFOLIO_MARGIN') throw new BybitApiError(BYBIT_RET.setMarginModeFailed, 'Set margin mode failed', {})
  if (mode !== 'ISOLATED_MARGIN' && mode !== 'REGULAR_MARGIN') throw new BybitApiError(BYBIT_RET.paramsError, 'params error: setMarginMode invalid')
  const marginMode = mode === 'ISOLATED_MARGIN' ? 'isolated' : 'cross'
  const books = allBooks(state.books)
  if (books.some((b) => b.venue.state().positions.length > 0)) throw new BybitApiError(BYBIT_RET.setMarginModeFailed, 'Set margin mode failed')
  for (const book of books) {
    for (const instrument of book.instruments) {
      try {
        await book.venue.setMarginMode({ symbol: instrument.symbol, marginMode })
      } catch (e) {
        throw toBybitApiError(e)
      }
      state.settings(book.category, instrument).marginMode = marginMode
    }
  }
  state.accountMarginMode = mode
  return { reasons: [] }
}

/** `GET /v5/account/info`: a unified trade account (status 6, UTA 2.0 Pro) and its margin mode. @example `accountInfo(state)` */
export function accountInfo(state: BybitState): Record<string, unknown> {
  return { unifiedMarginStatus: 6, marginMode: state.accountMarginMode, updatedTime: '0', dcpStatus: 'OFF', timeWindow: 10, smpGroup: 0, isMasterTrader: false, spotHedgingStatus: 'OFF' }
}

/** USD value of one unit of `coin` (USDT and USDC count 1; a coin by the mark of its inverse contract). */
export function usdPrice(state: BybitState, coin: string): number | undefined {
  if (coin === 'USDT' || coin === 'USDC' || coin === 'USD') return 1
  const inverse = state.books.inverse?.instruments.find((i) => i.base === coin)
  const linear = state.books.linear?.instruments.find((i) => i.base === coin)
  const sym = inverse?.venueSymbol ?? linear?.venueSymbol
  return sym === undefined ? undefined : state.tape.markPrice(sym)
}

/** The UNIFIED account with every coin of both categories (optionally only `coins`). */
export function walletAccount(state: BybitState, coins?: readonly string[]): Record<string, unknown> {
  const balances = allBooks(state.books)
    .flatMap((b) => b.venue.balancesNow())
    .filter((b) => coins === undefined || coins.includes(b.asset))
  return bybitWalletJson({ balances, usdPrice: (coin) => usdPrice(state, coin) })
}

/** `GET /v5/account/wallet-balance` (`accountType=UNIFIED`). @example `walletBalance(state, { accountType: 'UNIFIED' })` */
export function walletBalance(state: BybitState, p: BybitParams): Record<string, unknown> {
  if (p.accountType !== 'UNIFIED') throw new BybitApiError(BYBIT_RET.paramsError, 'accountType only support UNIFIED.')
  const coins = typeof p.coin === 'string' && p.coin !== '' ? p.coin.split(',') : undefined
  return { list: [walletAccount(state, coins)] }
}

/** `GET /v5/user/query-api`: the calling key (a unified trade account; keys without trading say `readOnly: 1`). @example `apiKeyInfo(key)` */
export function apiKeyInfo(key: BybitApiKey): Record<string, unknown> {
  const trade = key.permissions.trade ? ['Order', 'Position'] : []
  return {
    id: '1',
    note: 'perpkit venue-server',
    apiKey: key.apiKey,
    readOnly: key.permissions.trade ? 0 : 1,
    secret: '',
    permissions: { ContractTrade: trade, Spot: [], Wallet: key.permissions.withdraw ? ['AccountTransfer', 'Withdraw'] : ['AccountTransfer'], Options: [], Derivatives: [], CopyTrading: [], BlockTrade: [], Exchange: [], NFT: [] },
    ips: ['*'],
    type: 1,
    deadlineDay: -1,
    expiredAt: '',
    createdAt: '',
    unified: 0,
    uta: 1,
    userID: 1,
    inviterID: 0,
    vipLevel: 'No VIP',
    mktMakerLevel: '0',
    affiliateID: 0,
  }
}

/** `GET /v5/asset/coin/query-info`: the settle coins of the listed contracts (no deposit chains on this venue). @example `coinInfo(state)` */
export function coinInfo(state: BybitState): Record<string, unknown> {
  const coins = [...new Set(allBooks(state.books).flatMap((b) => b.instruments.map((i) => i.settle)))].sort()
  const held = new Map(allBooks(state.books).flatMap((b) => b.venue.balancesNow().map((x) => [x.asset, x.total] as const)))
  return { rows: coins.map((coin) => ({ name: coin, coin, remainAmount: money(held.get(coin) ?? 0), chains: [] })) }
}
