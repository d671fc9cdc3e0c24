/**
 * The market-data port: candles, trades, mark prices and funding, with gap notifications.
 * @module
 */
import type { Timeframe } from '../schemas/enums.js'
import type { Candle, FundingRate, MarkPrice, TradeTick } from '../schemas/market.js'
import type { ConnectionReason, ConnectionState, Unsubscribe } from './exchange.js'

/**
 * Events of a market-data feed. Discriminated on `type`.
 *
 * - `candle`: a bar update. `closed: false` is the still-forming bar (same `openTimeMs` may repeat);
 *   `closed: true` is final and arrives exactly once per bar.
 * - `trade`: one public trade.
 * - `mark`: a mark-price update.
 * - `funding`: a funding rate settled (or announced) for `fundingTimeMs`.
 * - `gap`: the feed detected missing data in `[fromMs, toMs)` on a channel; the data may be backfilled
 *   afterwards as regular events with `backfill: true`.
 * - `connection`: the feed's connection state changed.
 */
export type MarketDataEvent =
  | {
      readonly type: 'candle'
      readonly symbol: string
      readonly timeframe: Timeframe
      readonly candle: Candle
      readonly closed: boolean
      readonly backfill?: boolean
    }
  | { readonly type: 'trade'; readonly symbol: string; readonly trade: TradeTick; readonly backfill?: boolean }
  | { readonly type: 'mark'; readonly mark: MarkPrice }
  | { readonly type: 'funding'; readonly funding: FundingRate }
  | {
      readonly type: 'gap'
      readonly symbol: string
      readonly channel: 'candles' | 'trades' | 'mark' | 'funding'
      readonly timeframe?: Timeframe
      readonly fromMs: number
      readonly toMs: number
    }
  | { readonly type: 'connection'; readonly timestampMs: number; readonly state: ConnectionState; readonly reason?: ConnectionReason }

/** What to subscribe to on a {@link MarketDataFeed}. */
export type MarketDataSubscription =
  | { readonly channel: 'candles'; readonly symbol: string; readonly timeframe: Timeframe }
  | { readonly channel: 'trades'; readonly symbol: string }
  | { readonly channel: 'mark'; readonly symbol: string }
  | { readonly channel: 'funding'; readonly symbol: string }

/**
 * A source of market data: a live WebSocket adapter, a recorded replay, or a backtest loader.
 *
 * Implementers must guarantee: events of one subscription arrive in non-decreasing time order; a closed
 * candle is delivered once; a detected hole is announced with a `gap` event before later data of that
 * channel; `connection` events are emitted on every state change.
 */
export interface MarketDataFeed {
  /** Subscribe to one channel; returns an unsubscribe function. */
  subscribe(subscription: MarketDataSubscription, listener: (event: MarketDataEvent) => void): Unsubscribe
  /** Historical closed candles in `[fromMs, toMs)`, oldest first (for warm-up and backfill). */
  fetchCandles(args: { readonly symbol: string; readonly timeframe: Timeframe; readonly fromMs: number; readonly toMs: number }): Promise<readonly Candle[]>
}
