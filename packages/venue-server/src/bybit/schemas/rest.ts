/**
 * zod schemas of the Bybit v5 REST `result` objects the dialect serves. One schema per payload; the official
 * docs' response example and the server's own output must both pass it (see the package tests). Objects are
 * not strict: the docs' examples carry fields of other categories (options, spot) that a schema of the
 * derivatives subset need not list, and Bybit adds fields over time.
 * @module
 */
import { z } from 'zod'
import { bybitCategory, bybitDecimal, bybitDecimalOrEmpty, bybitEnvelope, bybitMsString } from './primitives.js'

const side = z.enum(['Buy', 'Sell'])
const triggerBy = z.enum(['LastPrice', 'MarkPrice', 'IndexPrice', 'UNKNOWN', ''])

/** `GET /v5/market/time` result. @example `bybitServerTimeResult.parse({ timeSecond: '1688639403', timeNano: '1688639403423213947' })` */
export const bybitServerTimeResult = z.object({ timeSecond: z.string().regex(/^\d+$/), timeNano: z.string().regex(/^\d+$/) })

/**
 * One linear or inverse instrument of `GET /v5/market/instruments-info`. There is no contract-size field:
 * an inverse contract is 1 USD by definition of the product (ccxt reads its contract size from `minOrderQty`).
 * @example
 * ```ts
 * bybitDerivativeInstrument.shape.contractType.parse('InversePerpetual')
 * ```
 */
export const bybitDerivativeInstrument = z.object({
  symbol: z.string().min(1),
  contractType: z.enum(['LinearPerpetual', 'InversePerpetual', 'LinearFutures', 'InverseFutures']),
  status: z.enum(['PreLaunch', 'Trading', 'Delivering', 'Closed']),
  baseCoin: z.string().min(1),
  quoteCoin: z.string().min(1),
  launchTime: bybitMsString,
  deliveryTime: bybitMsString,
  deliveryFeeRate: bybitDecimalOrEmpty,
  priceScale: z.string().regex(/^\d+$/),
  leverageFilter: z.object({ minLeverage: bybitDecimal, maxLeverage: bybitDecimal, leverageStep: bybitDecimal }),
  priceFilter: z.object({ minPrice: bybitDecimal, maxPrice: bybitDecimal, tickSize: bybitDecimal }),
  lotSizeFilter: z.object({
    maxOrderQty: bybitDecimal,
    minOrderQty: bybitDecimal,
    qtyStep: bybitDecimal,
    postOnlyMaxOrderQty: bybitDecimal,
    maxMktOrderQty: bybitDecimal,
    minNotionalValue: bybitDecimal.optional(),
  }),
  unifiedMarginTrade: z.boolean(),
  fundingInterval: z.number().int().positive(),
  settleCoin: z.string().min(1),
  copyTrading: z.enum(['none', 'both', 'utaOnly', 'normalOnly']),
  upperFundingRate: bybitDecimal,
  lowerFundingRate: bybitDecimal,
  isPreListing: z.boolean(),
  preListingInfo: z.unknown(),
})

/** `GET /v5/market/instruments-info` result for `linear` / `inverse`. @example `bybitInstrumentsResult.parse({ category: 'linear', list: [], nextPageCursor: '' })` */
export const bybitInstrumentsResult = z.object({
  category: bybitCategory,
  list: z.array(bybitDerivativeInstrument),
  nextPageCursor: z.string(),
})

/** `GET /v5/market/kline` result: newest candle first, `[start, open, high, low, close, volume, turnover]`. @example `bybitKlineResult.parse({ symbol: 'BTCUSD', category: 'inverse', list: [] })` */
export const bybitKlineResult = z.object({
  symbol: z.string().min(1),
  category: bybitCategory,
  list: z.array(z.tuple([bybitMsString, bybitDecimal, bybitDecimal, bybitDecimal, bybitDecimal, bybitDecimal, bybitDecimal])),
})

/** One linear / inverse ticker of `GET /v5/market/tickers`. @example `bybitDerivativeTicker.shape.fundingRate.parse('0.0001')` */
export const bybitDerivativeTicker = z.object({
  symbol: z.string().min(1),
  lastPrice: bybitDecimal,
  indexPrice: bybitDecimal,
  markPrice: bybitDecimal,
  prevPrice24h: bybitDecimal,
  price24hPcnt: bybitDecimal,
  highPrice24h: bybitDecimal,
  lowPrice24h: bybitDecimal,
  prevPrice1h: bybitDecimal,
  openInterest: bybitDecimal,
  openInterestValue: bybitDecimal,
  turnover24h: bybitDecimal,
  volume24h: bybitDecimal,
  fundingRate: bybitDecimal,
  nextFundingTime: bybitMsString,
  predictedDeliveryPrice: bybitDecimalOrEmpty,
  basisRate: bybitDecimalOrEmpty,
  deliveryFeeRate: bybitDecimalOrEmpty,
  deliveryTime: bybitMsString,
  ask1Size: bybitDecimal,
  bid1Price: bybitDecimal,
  ask1Price: bybitDecimal,
  bid1Size: bybitDecimal,
})

/** `GET /v5/market/tickers` result for `linear` / `inverse`. @example `bybitTickersResult.parse({ category: 'inverse', list: [] })` */
export const bybitTickersResult = z.object({ category: bybitCategory, list: z.array(bybitDerivativeTicker) })

/** `GET /v5/market/funding/history` result. @example `bybitFundingHistoryResult.parse({ category: 'linear', list: [] })` */
export const bybitFundingHistoryResult = z.object({
  category: bybitCategory,
  list: z.array(z.object({ symbol: z.string().min(1), fundingRate: bybitDecimal, fundingRateTimestamp: bybitMsString })),
})

/** `POST /v5/order/create|amend|cancel` result. @example `bybitOrderAckResult.parse({ orderId: '1', orderLinkId: '' })` */
export const bybitOrderAckResult = z.object({ orderId: z.string().min(1), orderLinkId: z.string() })

/** `POST /v5/order/cancel-all` result: the cancelled orders and `success` "1" / "0". @example `bybitCancelAllResult.parse({ list: [], success: '1' })` */
export const bybitCancelAllResult = z.object({ list: z.array(bybitOrderAckResult), success: z.enum(['0', '1']) })

/** Order status of v5 (derivatives subset plus spot's `PartiallyFilledCanceled`). @example `bybitOrderStatus.parse('Untriggered')` */
export const bybitOrderStatus = z.enum(['New', 'PartiallyFilled', 'Untriggered', 'Rejected', 'PartiallyFilledCanceled', 'Filled', 'Cancelled', 'Triggered', 'Deactivated'])

/**
 * The order fields shared by REST (`order/realtime`, `order/history`) and the WebSocket `order` topic.
 * @example
 * ```ts
 * bybitOrderFields.shape.orderStatus.parse('New')
 * ```
 */
export const bybitOrderFields = {
  orderId: z.string().min(1),
  orderLinkId: z.string(),
  blockTradeId: z.string(),
  symbol: z.string().min(1),
  price: bybitDecimalOrEmpty,
  qty: bybitDecimal,
  side,
  isLeverage: z.string(),
  positionIdx: z.number().int().min(0).max(2),
  orderStatus: bybitOrderStatus,
  cancelType: z.string(),
  rejectReason: z.string(),
  avgPrice: bybitDecimalOrEmpty,
  leavesQty: bybitDecimalOrEmpty,
  leavesValue: bybitDecimalOrEmpty,
  cumExecQty: bybitDecimal,
  cumExecValue: bybitDecimal,
  cumExecFee: bybitDecimal,
  timeInForce: z.enum(['GTC', 'IOC', 'FOK', 'PostOnly', 'RPI']),
  orderType: z.enum(['Market', 'Limit', 'UNKNOWN']),
  stopOrderType: z.string(),
  orderIv: z.string(),
  triggerPrice: bybitDecimalOrEmpty,
  takeProfit: bybitDecimalOrEmpty,
  stopLoss: bybitDecimalOrEmpty,
  tpTriggerBy: triggerBy,
  slTriggerBy: triggerBy,
  triggerDirection: z.number().int().min(0).max(2),
  triggerBy,
  lastPriceOnCreated: bybitDecimalOrEmpty,
  reduceOnly: z.boolean(),
  closeOnTrigger: z.boolean(),
  smpType: z.string(),
  smpGroup: z.number().int(),
  smpOrderId: z.string(),
  tpslMode: z.string(),
  tpLimitPrice: bybitDecimalOrEmpty,
  slLimitPrice: bybitDecimalOrEmpty,
  placeType: z.string(),
  createdTime: bybitMsString,
  updatedTime: bybitMsString,
  cumFeeDetail: z.record(z.string(), bybitDecimal).optional(),
} as const

/** One order of `GET /v5/order/realtime` and `GET /v5/order/history`. @example `bybitOrder.shape.orderId.parse('fd4300ae')` */
export const bybitOrder = z.object(bybitOrderFields)

/** `GET /v5/order/realtime` / `order/history` result. @example `bybitOrderListResult.parse({ category: 'linear', list: [], nextPageCursor: '' })` */
export const bybitOrderListResult = z.object({ category: bybitCategory, list: z.array(bybitOrder), nextPageCursor: z.string() })

/** The execution fields shared by `GET /v5/execution/list` and the WebSocket `execution` topic. @example `bybitExecutionFields.execType.parse('Trade')` */
export const bybitExecutionFields = {
  symbol: z.string().min(1),
  orderId: z.string().min(1),
  orderLinkId: z.string(),
  side,
  orderPrice: bybitDecimalOrEmpty,
  orderQty: bybitDecimal,
  leavesQty: bybitDecimal,
  orderType: z.enum(['Market', 'Limit', 'UNKNOWN']),
  stopOrderType: z.string(),
  execFee: bybitDecimal,
  execId: z.string().min(1),
  execPrice: bybitDecimal,
  execQty: bybitDecimal,
  execType: z.enum(['Trade', 'AdlTrade', 'Funding', 'BustTrade', 'Delivery', 'Settle', 'BlockTrade', 'MovePosition', 'FutureSpread']),
  execValue: bybitDecimal,
  execTime: bybitMsString,
  feeRate: bybitDecimal,
  isMaker: z.boolean(),
  markPrice: bybitDecimal,
  closedSize: bybitDecimalOrEmpty,
  seq: z.number().int(),
} as const

/** One execution of `GET /v5/execution/list`. @example `bybitExecution.shape.execId.parse('e0cbe81d')` */
export const bybitExecution = z.object(bybitExecutionFields)

/** `GET /v5/execution/list` result. @example `bybitExecutionListResult.parse({ category: 'inverse', list: [], nextPageCursor: '' })` */
export const bybitExecutionListResult = z.object({ category: bybitCategory, list: z.array(bybitExecution), nextPageCursor: z.string() })

/** The position fields shared by REST `position/list` and the WebSocket `position` topic. @example `bybitPositionFields.positionIdx.parse(0)` */
export const bybitPositionFields = {
  positionIdx: z.number().int().min(0).max(2),
  riskId: z.number().int(),
  riskLimitValue: bybitDecimal,
  symbol: z.string().min(1),
  side: z.enum(['Buy', 'Sell', '']),
  size: bybitDecimal,
  positionValue: bybitDecimalOrEmpty,
  tradeMode: z.union([z.literal(0), z.literal(1)]),
  positionStatus: z.enum(['Normal', 'Liq', 'Adl']),
  autoAddMargin: z.union([z.literal(0), z.literal(1)]),
  adlRankIndicator: z.number().int(),
  leverage: bybitDecimalOrEmpty,
  positionBalance: bybitDecimalOrEmpty,
  markPrice: bybitDecimal,
  liqPrice: bybitDecimalOrEmpty,
  bustPrice: bybitDecimalOrEmpty,
  positionMM: bybitDecimalOrEmpty,
  positionIM: bybitDecimalOrEmpty,
  tpslMode: z.string(),
  takeProfit: bybitDecimalOrEmpty,
  stopLoss: bybitDecimalOrEmpty,
  trailingStop: bybitDecimalOrEmpty,
  unrealisedPnl: bybitDecimalOrEmpty,
  curRealisedPnl: bybitDecimalOrEmpty,
  cumRealisedPnl: bybitDecimalOrEmpty,
  seq: z.number().int(),
  isReduceOnly: z.boolean(),
  createdTime: bybitMsString,
  updatedTime: bybitMsString,
} as const

/** One position of `GET /v5/position/list`: the entry price is `avgPrice` here (the WebSocket says `entryPrice`). @example `bybitRestPosition.shape.avgPrice.parse('27464.5')` */
export const bybitRestPosition = z.object({ ...bybitPositionFields, avgPrice: bybitDecimal })

/** `GET /v5/position/list` result. @example `bybitPositionListResult.parse({ category: 'inverse', list: [], nextPageCursor: '' })` */
export const bybitPositionListResult = z.object({ category: bybitCategory, list: z.array(bybitRestPosition), nextPageCursor: z.string() })

/** The per-coin fields of `account/wallet-balance` and the WebSocket `wallet` topic. @example `bybitWalletCoin.shape.coin.parse('BTC')` */
export const bybitWalletCoin = z.object({
  coin: z.string().min(1),
  equity: bybitDecimal,
  usdValue: bybitDecimal,
  walletBalance: bybitDecimal,
  availableToWithdraw: bybitDecimalOrEmpty,
  borrowAmount: bybitDecimalOrEmpty,
  accruedInterest: bybitDecimalOrEmpty,
  totalOrderIM: bybitDecimalOrEmpty,
  totalPositionIM: bybitDecimalOrEmpty,
  totalPositionMM: bybitDecimalOrEmpty,
  unrealisedPnl: bybitDecimal,
  cumRealisedPnl: bybitDecimal,
  bonus: bybitDecimalOrEmpty,
  collateralSwitch: z.boolean(),
  marginCollateral: z.boolean(),
  locked: bybitDecimalOrEmpty,
})

/** One account of `account/wallet-balance` (and of the WebSocket `wallet` topic). @example `bybitWalletAccount.shape.accountType.parse('UNIFIED')` */
export const bybitWalletAccount = z.object({
  accountType: z.enum(['UNIFIED', 'CONTRACT', 'SPOT']),
  accountIMRate: bybitDecimalOrEmpty,
  accountMMRate: bybitDecimalOrEmpty,
  totalEquity: bybitDecimalOrEmpty,
  totalWalletBalance: bybitDecimalOrEmpty,
  totalMarginBalance: bybitDecimalOrEmpty,
  totalAvailableBalance: bybitDecimalOrEmpty,
  totalPerpUPL: bybitDecimalOrEmpty,
  totalInitialMargin: bybitDecimalOrEmpty,
  totalMaintenanceMargin: bybitDecimalOrEmpty,
  accountLTV: bybitDecimalOrEmpty,
  coin: z.array(bybitWalletCoin),
})

/** `GET /v5/account/wallet-balance` result. @example `bybitWalletBalanceResult.parse({ list: [] })` */
export const bybitWalletBalanceResult = z.object({ list: z.array(bybitWalletAccount) })

/** `POST /v5/position/set-leverage` result (an empty object). @example `bybitEmptyResult.parse({})` */
export const bybitEmptyResult = z.object({}).strict()

/** `POST /v5/account/set-margin-mode` result. @example `bybitSetMarginModeResult.parse({ reasons: [] })` */
export const bybitSetMarginModeResult = z.object({
  reasons: z.array(z.object({ reasonCode: z.string(), reasonMsg: z.string() })),
})

/** `GET /v5/account/info` result (the docs' parameter table; the stored docs give no example). @example `bybitAccountInfoResult.parse({ unifiedMarginStatus: 6, marginMode: 'REGULAR_MARGIN', updatedTime: '0' })` */
export const bybitAccountInfoResult = z.object({
  unifiedMarginStatus: z.number().int(),
  marginMode: z.enum(['ISOLATED_MARGIN', 'REGULAR_MARGIN', 'PORTFOLIO_MARGIN']),
  updatedTime: bybitMsString,
})

/** `GET /v5/user/query-api` result (API key information). @example `bybitApiKeyInfoResult.shape.readOnly.parse(1)` */
export const bybitApiKeyInfoResult = z.object({
  id: z.string(),
  note: z.string(),
  apiKey: z.string().min(1),
  readOnly: z.union([z.literal(0), z.literal(1)]),
  secret: z.literal(''),
  permissions: z.record(z.string(), z.array(z.string())),
  ips: z.array(z.string()),
  type: z.number().int(),
  unified: z.union([z.literal(0), z.literal(1)]),
  uta: z.union([z.literal(0), z.literal(1)]),
  userID: z.number().int(),
})

/**
 * Every REST payload the dialect serves, by name, wrapped in the v5 envelope.
 * @example
 * ```ts
 * bybitRestSchemas.serverTime.parse({ retCode: 0, retMsg: 'OK', result: { timeSecond: '1', timeNano: '1000000000' }, retExtInfo: {}, time: 1000 })
 * ```
 */
export const bybitRestSchemas = {
  serverTime: bybitEnvelope(bybitServerTimeResult),
  instruments: bybitEnvelope(bybitInstrumentsResult),
  kline: bybitEnvelope(bybitKlineResult),
  tickers: bybitEnvelope(bybitTickersResult),
  fundingHistory: bybitEnvelope(bybitFundingHistoryResult),
  orderAck: bybitEnvelope(bybitOrderAckResult),
  cancelAll: bybitEnvelope(bybitCancelAllResult),
  orderList: bybitEnvelope(bybitOrderListResult),
  executionList: bybitEnvelope(bybitExecutionListResult),
  positionList: bybitEnvelope(bybitPositionListResult),
  walletBalance: bybitEnvelope(bybitWalletBalanceResult),
  empty: bybitEnvelope(bybitEmptyResult),
  setMarginMode: bybitEnvelope(bybitSetMarginModeResult),
  accountInfo: bybitEnvelope(bybitAccountInfoResult),
  apiKeyInfo: bybitEnvelope(bybitApiKeyInfoResult),
  coinInfo: bybitEnvelope(z.lazy(() => bybitCoinInfoResult)),
} as const

/** `GET /v5/asset/coin/query-info` result (coins the account holds; this venue has no chains). @example `bybitCoinInfoResult.parse({ rows: [] })` */
export const bybitCoinInfoResult = z.object({
  rows: z.array(z.object({ name: z.string().min(1), coin: z.string().min(1), remainAmount: bybitDecimal, chains: z.array(z.unknown()) })),
})
