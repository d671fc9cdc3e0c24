/**
 * zod schemas of the Binance USDⓈ-M payloads the dialect serves, one per payload. The docs' example and the
 * server's own output must both pass (see the package tests). Objects are not strict: docs examples carry fields
 * of other modes (hedge mode, multi-assets) and Binance adds fields over time; every field the schemas list is
 * required with the documented type (decimals as strings, times as epoch-ms integers).
 * @module
 */
import { z } from 'zod'

/** A decimal number sent as a string (`"0.010"`, `"-1.5"`). */
const dec = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal string')
const ms = z.number().int().nonnegative()
const side = z.enum(['BUY', 'SELL'])
const positionSide = z.enum(['BOTH', 'LONG', 'SHORT'])
const orderType = z.enum(['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET', 'LIQUIDATION'])
const tif = z.enum(['GTC', 'IOC', 'FOK', 'GTX', 'GTD', 'RPI'])
const workingType = z.enum(['MARK_PRICE', 'CONTRACT_PRICE'])
const orderStatus = z.enum(['NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED', 'EXPIRED_IN_MATCH'])
const algoStatus = z.enum(['NEW', 'CANCELED', 'TRIGGERING', 'TRIGGERED', 'FINISHED', 'REJECTED', 'EXPIRED'])

const filter = z.discriminatedUnion('filterType', [
  z.object({ filterType: z.literal('PRICE_FILTER'), minPrice: dec, maxPrice: dec, tickSize: dec }),
  z.object({ filterType: z.literal('LOT_SIZE'), minQty: dec, maxQty: dec, stepSize: dec }),
  z.object({ filterType: z.literal('MARKET_LOT_SIZE'), minQty: dec, maxQty: dec, stepSize: dec }),
  z.object({ filterType: z.literal('MAX_NUM_ORDERS'), limit: z.number().int() }),
  z.object({ filterType: z.literal('MAX_NUM_ALGO_ORDERS'), limit: z.number().int() }),
  z.object({ filterType: z.literal('MIN_NOTIONAL'), notional: dec }),
  z.object({ filterType: z.literal('PERCENT_PRICE'), multiplierUp: dec, multiplierDown: dec, multiplierDecimal: z.union([z.string(), z.number()]) }),
])

/** One `symbols[]` entry of `GET /fapi/v1/exchangeInfo`. @example `binanceExchangeInfoSymbol.parse(info.symbols[0])` */
export const binanceExchangeInfoSymbol = z.object({
  symbol: z.string().min(1),
  pair: z.string().min(1),
  contractType: z.enum(['PERPETUAL', 'CURRENT_MONTH', 'NEXT_MONTH', 'CURRENT_QUARTER', 'NEXT_QUARTER', 'PERPETUAL_DELIVERING']),
  deliveryDate: ms,
  onboardDate: ms,
  status: z.string().min(1),
  baseAsset: z.string().min(1),
  quoteAsset: z.string().min(1),
  marginAsset: z.string().min(1),
  pricePrecision: z.number().int(),
  quantityPrecision: z.number().int(),
  filters: z.array(filter),
})

/** `GET /fapi/v1/exchangeInfo`. @example `binanceExchangeInfo.parse(body)` */
export const binanceExchangeInfo = z.object({
  timezone: z.literal('UTC'),
  serverTime: ms,
  rateLimits: z.array(z.object({ rateLimitType: z.enum(['REQUEST_WEIGHT', 'ORDERS']), interval: z.enum(['SECOND', 'MINUTE', 'DAY']), intervalNum: z.number().int(), limit: z.number().int() })),
  exchangeFilters: z.array(z.unknown()),
  assets: z.array(z.object({ asset: z.string(), marginAvailable: z.boolean() })),
  symbols: z.array(binanceExchangeInfoSymbol.extend({ orderTypes: z.array(orderType), timeInForce: z.array(tif) })),
})

/** `GET /fapi/v1/time`. @example `binanceServerTime.parse({ serverTime: 1499827319559 })` */
export const binanceServerTime = z.object({ serverTime: ms })

/** An error body. @example `binanceErrorBody.parse({ code: -1121, msg: 'Invalid symbol.' })` */
export const binanceErrorBody = z.object({ code: z.number().int().negative(), msg: z.string().min(1) })

/** A regular order (`POST/GET/DELETE /fapi/v1/order`, `openOrders`, `allOrders`). @example `binanceOrder.parse(body)` */
export const binanceOrder = z.object({
  orderId: z.number().int(),
  symbol: z.string().min(1),
  status: orderStatus,
  clientOrderId: z.string().min(1),
  price: dec,
  avgPrice: dec,
  origQty: dec,
  executedQty: dec,
  cumQuote: dec,
  timeInForce: tif,
  type: orderType,
  reduceOnly: z.boolean(),
  closePosition: z.boolean(),
  side,
  positionSide,
  stopPrice: dec,
  workingType,
  priceProtect: z.boolean(),
  origType: orderType,
  time: ms,
  updateTime: ms,
})

/** An algo order (`/fapi/v1/algoOrder`, `openAlgoOrders`, `allAlgoOrders`); the type is `orderType` (docs) or `type`. @example `binanceAlgoOrder.parse(body)` */
export const binanceAlgoOrder = z
  .object({
    algoId: z.number().int(),
    clientAlgoId: z.string().min(1),
    algoType: z.literal('CONDITIONAL'),
    orderType: orderType.optional(),
    type: orderType.optional(),
    symbol: z.string().min(1),
    side,
    positionSide,
    timeInForce: tif,
    quantity: dec,
    algoStatus,
    triggerPrice: dec,
    workingType,
    reduceOnly: z.boolean(),
    createTime: ms,
    updateTime: ms,
  })
  .refine((o) => o.orderType !== undefined || o.type !== undefined, { message: 'orderType (or type) is required' })

/** `DELETE /fapi/v1/algoOrder`. @example `binanceAlgoCancel.parse({ algoId: 1, clientAlgoId: 'a', code: '200', msg: 'success' })` */
export const binanceAlgoCancel = z.object({ algoId: z.number().int(), clientAlgoId: z.string().min(1), code: z.string(), msg: z.string() })

/** One entry of `GET /fapi/v1/userTrades`. @example `binanceUserTrade.parse(body[0])` */
export const binanceUserTrade = z.object({
  buyer: z.boolean(),
  commission: dec,
  commissionAsset: z.string().min(1),
  id: z.number().int(),
  maker: z.boolean(),
  orderId: z.number().int(),
  price: dec,
  qty: dec,
  quoteQty: dec,
  realizedPnl: dec,
  side,
  positionSide,
  symbol: z.string().min(1),
  time: ms,
})

const positionCommon = {
  symbol: z.string().min(1),
  positionSide,
  positionAmt: dec,
  entryPrice: dec,
  breakEvenPrice: dec,
  markPrice: dec,
  unRealizedProfit: dec,
  liquidationPrice: dec,
  isolatedMargin: dec,
  notional: dec,
  isolatedWallet: dec,
  updateTime: ms,
}

/** One entry of `GET /fapi/v2/positionRisk`. @example `binancePositionRiskV2.parse(body[0])` */
export const binancePositionRiskV2 = z.object({ ...positionCommon, leverage: dec, maxNotionalValue: dec, marginType: z.enum(['isolated', 'cross']), isAutoAddMargin: z.enum(['true', 'false']) })

/** One entry of `GET /fapi/v3/positionRisk` (what ccxt 4.5.84 calls). @example `binancePositionRiskV3.parse(body[0])` */
export const binancePositionRiskV3 = z.object({
  ...positionCommon,
  marginAsset: z.string().min(1),
  initialMargin: dec,
  maintMargin: dec,
  positionInitialMargin: dec,
  openOrderInitialMargin: dec,
  adl: z.number().int(),
  bidNotional: dec,
  askNotional: dec,
})

/** One entry of `GET /fapi/v2/balance`. @example `binanceBalance.parse(body[0])` */
export const binanceBalance = z.object({
  accountAlias: z.string(),
  asset: z.string().min(1),
  balance: dec,
  crossWalletBalance: dec,
  crossUnPnl: dec,
  availableBalance: dec,
  maxWithdrawAmount: dec,
  marginAvailable: z.boolean(),
  updateTime: ms,
})

/** `GET /fapi/v2/account` / `v3/account` (the fields both versions share). @example `binanceAccount.parse(body)` */
export const binanceAccount = z.object({
  totalInitialMargin: dec,
  totalMaintMargin: dec,
  totalWalletBalance: dec,
  totalUnrealizedProfit: dec,
  totalMarginBalance: dec,
  availableBalance: dec,
  maxWithdrawAmount: dec,
  assets: z.array(z.object({ asset: z.string().min(1), walletBalance: dec, unrealizedProfit: dec, marginBalance: dec, availableBalance: dec, maxWithdrawAmount: dec, crossWalletBalance: dec })),
  positions: z.array(z.object({ symbol: z.string().min(1), positionSide, positionAmt: dec, unrealizedProfit: dec, isolatedMargin: dec.optional(), initialMargin: dec })),
})

/** `GET /fapi/v1/premiumIndex` (one symbol). @example `binancePremiumIndex.parse(body)` */
export const binancePremiumIndex = z.object({
  symbol: z.string().min(1),
  markPrice: dec,
  indexPrice: dec,
  estimatedSettlePrice: dec,
  lastFundingRate: dec,
  nextFundingTime: ms,
  interestRate: dec,
  time: ms,
})

/** One entry of `GET /fapi/v1/fundingRate`. @example `binanceFundingRate.parse(body[0])` */
export const binanceFundingRate = z.object({ symbol: z.string().min(1), fundingRate: dec, fundingTime: ms, markPrice: dec })

/** One row of `GET /fapi/v1/klines`. @example `binanceKline.parse(body[0])` */
export const binanceKline = z.tuple([ms, dec, dec, dec, dec, dec, ms, dec, z.number().int(), dec, dec, z.string()])

/** `POST /fapi/v1/leverage`. @example `binanceLeverage.parse({ leverage: 21, maxNotionalValue: '1000000', symbol: 'BTCUSDT' })` */
export const binanceLeverage = z.object({ leverage: z.number().int(), maxNotionalValue: dec, symbol: z.string().min(1) })

/** `POST /fapi/v1/listenKey`. @example `binanceListenKey.parse({ listenKey: 'pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1' })` */
export const binanceListenKey = z.object({ listenKey: z.string().min(1) })

/** `ORDER_TRADE_UPDATE`. @example `binanceOrderTradeUpdate.parse(frame)` */
export const binanceOrderTradeUpdate = z.object({
  e: z.literal('ORDER_TRADE_UPDATE'),
  E: ms,
  T: ms,
  o: z.object({
    s: z.string().min(1),
    c: z.string().min(1),
    S: side,
    o: orderType,
    f: tif,
    q: dec,
    p: dec,
    ap: dec,
    sp: dec,
    x: z.enum(['NEW', 'CANCELED', 'CALCULATED', 'EXPIRED', 'TRADE', 'AMENDMENT']),
    X: orderStatus.or(z.literal('NEW_INSURANCE')).or(z.literal('NEW_ADL')),
    i: z.number().int(),
    l: dec,
    z: dec,
    L: dec,
    N: z.string(),
    n: dec,
    T: ms,
    t: z.number().int(),
    m: z.boolean(),
    R: z.boolean(),
    wt: workingType,
    ot: orderType,
    ps: positionSide,
    cp: z.boolean(),
    rp: dec,
  }),
})

/** `ALGO_UPDATE`. @example `binanceAlgoUpdate.parse(frame)` */
export const binanceAlgoUpdate = z.object({
  e: z.literal('ALGO_UPDATE'),
  E: ms,
  T: ms,
  o: z.object({
    caid: z.string().min(1),
    aid: z.number().int(),
    at: z.literal('CONDITIONAL'),
    o: orderType,
    s: z.string().min(1),
    S: side,
    ps: positionSide,
    f: tif,
    q: dec,
    X: algoStatus,
    ai: z.string(),
    ap: dec,
    aq: dec,
    tp: dec,
    p: dec,
    wt: workingType,
    cp: z.boolean(),
    R: z.boolean(),
    tt: z.number().int(),
  }),
})

/** `ACCOUNT_UPDATE`. @example `binanceAccountUpdate.parse(frame)` */
export const binanceAccountUpdate = z.object({
  e: z.literal('ACCOUNT_UPDATE'),
  E: ms,
  T: ms,
  a: z.object({
    m: z.enum(['DEPOSIT', 'WITHDRAW', 'ORDER', 'FUNDING_FEE', 'WITHDRAW_REJECT', 'ADJUSTMENT', 'INSURANCE_CLEAR', 'ADMIN_DEPOSIT', 'ADMIN_WITHDRAW', 'MARGIN_TRANSFER', 'MARGIN_TYPE_CHANGE', 'ASSET_TRANSFER', 'OPTIONS_PREMIUM_FEE', 'OPTIONS_SETTLE_PROFIT', 'AUTO_EXCHANGE', 'COIN_SWAP_DEPOSIT', 'COIN_SWAP_WITHDRAW']),
    B: z.array(z.object({ a: z.string().min(1), wb: dec, cw: dec, bc: dec })),
    P: z.array(z.object({ s: z.string().min(1), pa: dec, ep: dec, bep: dec.optional(), cr: dec, up: dec, mt: z.enum(['isolated', 'cross']), iw: dec, ps: positionSide })),
  }),
})

/** `listenKeyExpired` (its `E` is a string). @example `binanceListenKeyExpired.parse({ e: 'listenKeyExpired', E: '1736996475556', listenKey: 'k' })` */
export const binanceListenKeyExpired = z.object({ e: z.literal('listenKeyExpired'), E: z.string().regex(/^\d+$/), listenKey: z.string().min(1) })

/** `<symbol>@kline_<interval>`. @example `binanceKlineEvent.parse(frame)` */
export const binanceKlineEvent = z.object({
  e: z.literal('kline'),
  E: ms,
  s: z.string().min(1),
  k: z.object({ t: ms, T: ms, s: z.string().min(1), i: z.string().min(2), f: z.number().int(), L: z.number().int(), o: dec, c: dec, h: dec, l: dec, v: dec, n: z.number().int(), x: z.boolean(), q: dec, V: dec, Q: dec }),
})

/** `<symbol>@aggTrade`. @example `binanceAggTradeEvent.parse(frame)` */
export const binanceAggTradeEvent = z.object({ e: z.literal('aggTrade'), E: ms, a: z.number().int(), s: z.string().min(1), p: dec, q: dec, f: z.number().int(), l: z.number().int(), T: ms, m: z.boolean() })

/** `<symbol>@markPrice`. @example `binanceMarkPriceEvent.parse(frame)` */
export const binanceMarkPriceEvent = z.object({ e: z.literal('markPriceUpdate'), E: ms, s: z.string().min(1), p: dec, i: dec, P: dec, r: dec, T: ms })

/**
 * Every schema by payload name.
 * @example
 * ```ts
 * import { binanceSchemas } from '@perpkit/venue-server'
 * declare const frame: unknown // one user-data-stream message, JSON-parsed
 * binanceSchemas.orderTradeUpdate.parse(frame)
 * ```
 */
export const binanceSchemas = {
  exchangeInfo: binanceExchangeInfo,
  exchangeInfoSymbol: binanceExchangeInfoSymbol,
  serverTime: binanceServerTime,
  error: binanceErrorBody,
  order: binanceOrder,
  algoOrder: binanceAlgoOrder,
  algoCancel: binanceAlgoCancel,
  userTrade: binanceUserTrade,
  positionRiskV2: binancePositionRiskV2,
  positionRiskV3: binancePositionRiskV3,
  balance: binanceBalance,
  account: binanceAccount,
  premiumIndex: binancePremiumIndex,
  fundingRate: binanceFundingRate,
  kline: binanceKline,
  leverage: binanceLeverage,
  listenKey: binanceListenKey,
  orderTradeUpdate: binanceOrderTradeUpdate,
  algoUpdate: binanceAlgoUpdate,
  accountUpdate: binanceAccountUpdate,
  listenKeyExpired: binanceListenKeyExpired,
  klineEvent: binanceKlineEvent,
  aggTradeEvent: binanceAggTradeEvent,
  markPriceEvent: binanceMarkPriceEvent,
} as const
