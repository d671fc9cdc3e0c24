/**
 * The market driver: what the session loop needs to move a simulated market, and its implementation over the
 * simulated venue. A live session has no driver — the market and the clock move by themselves.
 * @module
 */
import type { Candle, TestClock, TradeTick } from '@perpkit/core'
import type { SimVenue } from '@perpkit/sim'

/**
 * Moves a simulated market for the session loop (backtest and paper). The loop hands it each bar the feed
 * delivered, and the orders sent meanwhile meet the market the driver makes.
 */
export interface MarketDriver {
  /** Move the market's virtual time to `timeMs` (never backwards), firing every timer due by then. */
  advanceTo(timeMs: number): void
  /** One public trade prints (resting orders and triggers at its price fill or fire). */
  trade(trade: TradeTick): void
  /** The market walks one bar's path: funding due at its open, the gap to the open, the intrabar path, triggers, liquidation. */
  bar(candle: Candle): void
}

/** What {@link createSimMarketDriver} needs. */
export interface SimMarketDriverArgs {
  readonly venue: Pick<SimVenue, 'applyTrade' | 'applyCandle'>
  /** The virtual clock the venue and the OMS were created with. */
  readonly clock: Pick<TestClock, 'advanceTo'>
  readonly symbol: string
}

/**
 * The simulated venue as a {@link MarketDriver}.
 *
 * @param args - see {@link SimMarketDriverArgs}.
 * @returns the driver.
 * @example
 * ```ts
 * import { createSimMarketDriver } from '@perpkit/engine'
 * import { createTestClock } from '@perpkit/core'
 * import type { SimVenue } from '@perpkit/sim'
 * declare const venue: SimVenue
 * const clock = createTestClock(0)
 * const driver = createSimMarketDriver({ venue, clock, symbol: 'BTC/USDT:USDT' })
 * driver.bar({ openTimeMs: 0, open: 100, high: 101, low: 99, close: 100.5, volume: 10 })
 * driver.advanceTo(300_000)
 * ```
 */
export function createSimMarketDriver(args: SimMarketDriverArgs): MarketDriver {
  const { venue, clock, symbol } = args
  return {
    advanceTo: (timeMs) => clock.advanceTo(timeMs),
    trade: (trade) => venue.applyTrade({ symbol, trade }),
    bar: (candle) => venue.applyCandle({ symbol, candle }),
  }
}
