/**
 * What the contract suite needs from a venue under test besides the port itself: a way to move the market, a
 * count of order requests that reached the venue, and a way to let in-flight events arrive.
 * @module
 */
import type { ExchangeClient } from '@perpkit/core'

/**
 * One venue under test for {@link exchangeClientContract}: an `ExchangeClient` plus the controls the suite uses
 * to drive it. The instrument `symbol` must be tradable with a balance large enough for a few minimum orders.
 *
 * @example
 * ```ts
 * import type { ContractHarness } from '@perpkit/exchange/testing'
 * declare const harness: ContractHarness
 * await harness.trade(65_000)
 * const sent: number = harness.orderRequestsReachingVenue()
 * ```
 */
export interface ContractHarness {
  /** The client under test (not yet connected: the suite calls `connect()`). */
  readonly client: ExchangeClient
  /** A linear or inverse perpetual the venue lists. */
  readonly symbol: string
  /** A price level around which the suite places orders; the market starts there. */
  readonly referencePrice: number
  /** Make the venue trade `symbol` at `price` (last and mark price move there; resting orders may fill). */
  trade(price: number): Promise<void>
  /** Order placements (create requests) that reached the venue so far; rejected-before-sending ones do not count. */
  orderRequestsReachingVenue(): number
  /** Let events already produced by the venue reach the client's listeners (a tick in-process, a short wait over the wire). */
  settle(): Promise<void>
  /** Stop everything the harness started (servers, timers). `client.close()` is called by the suite. */
  dispose(): Promise<void>
}

/**
 * Options of {@link exchangeClientContract}.
 * @example
 * ```ts
 * import type { ContractOptions } from '@perpkit/exchange/testing'
 * const options: ContractOptions = { name: 'sim binance-usdm', maxSettleRounds: 200 }
 * ```
 */
export interface ContractOptions {
  /** Name of the `describe` block (default `ExchangeClient contract`). */
  readonly name?: string
  /** How many `settle()` rounds the suite waits for an expected event before failing (default 100). */
  readonly maxSettleRounds?: number
}
