/**
 * zod schemas of the Bybit v5 WebSocket messages the dialect sends: private topics (`order`, `execution`,
 * `position`, `wallet`), public topics (`kline.{interval}.{symbol}`, `publicTrade.{symbol}`,
 * `tickers.{symbol}`) and the command answers (`auth`, `subscribe`, `pong`).
 * @module
 */
import { z } from 'zod'
import { bybitCategory, bybitDecimal, bybitDecimalOrEmpty, bybitMsString } from './primitives.js'
import { bybitExecutionFields, bybitOrderFields, bybitPositionFields, bybitWalletAccount } from './rest.js'

function privateTopic<T extends z.ZodType>(topic: string, item: T) {
  return z.object({ id: z.string().min(1), topic: z.literal(topic), creationTime: z.number().int().nonnegative(), data: z.array(item) })
}

/** One order of the private `order` topic (REST order fields plus `category`). @example `bybitWsOrder.shape.category.parse('linear')` */
export const bybitWsOrder = z.object({ ...bybitOrderFields, isLeverage: z.string().optional(), category: bybitCategory, closedPnl: bybitDecimalOrEmpty })

/** One execution of the private `execution` topic. @example `bybitWsExecution.shape.category.parse('inverse')` */
export const bybitWsExecution = z.object({ ...bybitExecutionFields, category: bybitCategory, execPnl: bybitDecimalOrEmpty.optional() })

/** One position of the private `position` topic: the entry price is `entryPrice` here (REST says `avgPrice`). @example `bybitWsPosition.shape.entryPrice.parse('0')` */
export const bybitWsPosition = z.object({ ...bybitPositionFields, entryPrice: bybitDecimal, category: bybitCategory })

/**
 * Private topic messages: `{ id, topic, creationTime, data: [...] }`.
 * @example
 * ```ts
 * bybitWsSchemas.order.shape.topic.parse('order')
 * ```
 */
export const bybitWsSchemas = {
  order: privateTopic('order', bybitWsOrder),
  execution: privateTopic('execution', bybitWsExecution),
  position: privateTopic('position', bybitWsPosition),
  wallet: privateTopic('wallet', bybitWalletAccount),
  kline: z.object({
    topic: z.string().regex(/^kline\.(1|3|5|15|30|60|120|240|360|720|D|W|M)\.[A-Z0-9]+$/),
    type: z.literal('snapshot'),
    ts: z.number().int(),
    data: z.array(
      z.object({
        start: z.number().int(),
        end: z.number().int(),
        interval: z.string(),
        open: bybitDecimal,
        close: bybitDecimal,
        high: bybitDecimal,
        low: bybitDecimal,
        volume: bybitDecimal,
        turnover: bybitDecimal,
        confirm: z.boolean(),
        timestamp: z.number().int(),
      }),
    ),
  }),
  publicTrade: z.object({
    topic: z.string().regex(/^publicTrade\.[A-Z0-9]+$/),
    type: z.literal('snapshot'),
    ts: z.number().int(),
    data: z.array(
      z.object({
        T: z.number().int(),
        s: z.string().min(1),
        S: z.enum(['Buy', 'Sell']),
        v: bybitDecimal,
        p: bybitDecimal,
        L: z.enum(['PlusTick', 'ZeroPlusTick', 'MinusTick', 'ZeroMinusTick']),
        i: z.string().min(1),
        BT: z.boolean(),
      }),
    ),
  }),
  tickers: z.object({
    topic: z.string().regex(/^tickers\.[A-Z0-9]+$/),
    type: z.enum(['snapshot', 'delta']),
    cs: z.number().int(),
    ts: z.number().int(),
    data: z.object({
      symbol: z.string().min(1),
      tickDirection: z.enum(['PlusTick', 'ZeroPlusTick', 'MinusTick', 'ZeroMinusTick']),
      price24hPcnt: bybitDecimal,
      lastPrice: bybitDecimal,
      prevPrice24h: bybitDecimal,
      highPrice24h: bybitDecimal,
      lowPrice24h: bybitDecimal,
      prevPrice1h: bybitDecimal,
      markPrice: bybitDecimal,
      indexPrice: bybitDecimal,
      openInterest: bybitDecimal,
      openInterestValue: bybitDecimal,
      turnover24h: bybitDecimal,
      volume24h: bybitDecimal,
      nextFundingTime: bybitMsString,
      fundingRate: bybitDecimal,
      bid1Price: bybitDecimal,
      bid1Size: bybitDecimal,
      ask1Price: bybitDecimal,
      ask1Size: bybitDecimal,
    }),
  }),
  /** Answer to `auth` / `subscribe` / `unsubscribe` (private: no `req_id` unless sent). */
  commandAnswer: z.object({
    success: z.boolean(),
    ret_msg: z.string(),
    op: z.enum(['auth', 'subscribe', 'unsubscribe']),
    conn_id: z.string().min(1),
    req_id: z.string().optional(),
  }),
  /** Answer to `ping` on a private connection. */
  privatePong: z.object({ req_id: z.string().optional(), op: z.literal('pong'), args: z.tuple([bybitMsString]), conn_id: z.string().min(1) }),
  /** Answer to `ping` on a linear / inverse public connection. */
  publicPong: z.object({ success: z.literal(true), ret_msg: z.literal('pong'), conn_id: z.string().min(1), req_id: z.string(), op: z.literal('ping') }),
} as const
