/**
 * The venue side of `perpkit live`: the exchange client and the market-data feed for the config's venue, pointed
 * at the resolved target and sharing one request budget. The client's `connect()` measures the server-time
 * offset, refuses a key with withdrawal permission (where the venue can tell), loads the instruments and refuses a
 * hedge-mode account before any order could be sent.
 * @module
 */
import type { ExchangeClient } from '@perpkit/core'
import { createBinanceRateBudget, createBinanceUsdm, createBinanceUsdmFeed, createBybit, createBybitFeed, createBybitRateBudget, type LiveMarketDataFeed } from '@perpkit/exchange'
import type { BotConfig } from '../config.js'
import type { LiveTarget } from './target.js'

/** A venue connection: the account's client and the public market data, sharing one request budget. */
export interface VenueConnection {
  readonly client: ExchangeClient
  readonly feed: LiveMarketDataFeed
}

/** The exchange client and feed for `venue`, pointed at `target` (nothing is sent until a method is called). */
export function venueConnectionFor(venue: BotConfig['venue'], target: LiveTarget): VenueConnection {
  const endpoints = {
    environment: target.environment,
    ...(target.restBaseUrl !== undefined ? { restBaseUrl: target.restBaseUrl } : {}),
    ...(target.wsBaseUrl !== undefined ? { wsBaseUrl: target.wsBaseUrl } : {}),
  }
  const keys = { apiKey: target.apiKey, secret: target.secret }
  if (venue === 'binance-usdm') {
    const rateBudget = createBinanceRateBudget({})
    return { client: createBinanceUsdm({ ...keys, ...endpoints, rateBudget }), feed: createBinanceUsdmFeed({ ...endpoints, rateBudget }) }
  }
  const category = venue === 'bybit-inverse' ? 'inverse' : 'linear'
  const rateBudget = createBybitRateBudget({ category })
  return { client: createBybit({ ...keys, ...endpoints, category, rateBudget }), feed: createBybitFeed({ ...endpoints, rateBudget }) }
}
