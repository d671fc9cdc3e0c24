/**
 * What a live market-data feed needs from one venue: stream names, socket URLs, subscription messages, a parser
 * from the venue's frames to neutral messages, and paginated kline history over REST. The feed itself
 * ({@link createMarketFeed}) is the same for every venue.
 * @module
 */
import type { Candle, FundingRate, MarketDataSubscription, MarkPrice, Timeframe, TradeTick } from '@perpkit/core'
import type { LivenessProbe } from '../transport/heartbeat.js'

/** One piece of market data parsed from a venue frame. */
export type VenueMarketMessage =
  | { readonly kind: 'candle'; readonly symbol: string; readonly timeframe: Timeframe; readonly candle: Candle; readonly closed: boolean }
  | { readonly kind: 'trade'; readonly symbol: string; readonly trade: TradeTick }
  | { readonly kind: 'mark'; readonly symbol: string; readonly mark?: MarkPrice; readonly funding?: FundingRate }

/** A venue's market-data dialect. */
export interface MarketVenue {
  /** Venue name for errors. */
  readonly name: string
  /** Probe: WebSocket ping frames or the venue's application ping text. */
  readonly probe: LivenessProbe
  /** Which socket carries `symbol` (one socket per key). */
  socketKey(symbol: string): string
  /** The venue's stream (topic) name of a subscription; `mark` and `funding` may share one. Throws `invalid-input` when the venue has no such stream. */
  streamOf(subscription: MarketDataSubscription): string
  /** URL of the socket `key` carrying `streams`. */
  socketUrl(key: string, streams: readonly string[]): string
  /** Text frames that subscribe (`on: true`) or unsubscribe `streams` on an open socket. */
  subscriptionFrames(streams: readonly string[], on: boolean): readonly string[]
  /** Parse one text frame (answers to subscriptions and pongs parse to nothing). */
  parse(text: string): readonly VenueMarketMessage[]
  /** Closed and forming klines with open time in `[fromMs, toMs)`, oldest first, over as many REST pages as needed. */
  fetchCandles(args: { readonly symbol: string; readonly timeframe: Timeframe; readonly fromMs: number; readonly toMs: number }): Promise<readonly Candle[]>
}
