/**
 * `@perpkit/sim`: a deterministic simulated perpetual-futures venue behind core's `ExchangeClient` port —
 * matching, triggers, fees, slippage, funding, liquidation (margin math from `@perpkit/sizing`) and
 * seeded fault injection, for backtests, paper trading and OMS tests.
 *
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { createSimVenue } from '@perpkit/sim'
 * import type { Instrument } from '@perpkit/core'
 * declare const btcusd: Instrument // Bybit BTCUSD inverse perpetual
 * const venue = createSimVenue({ profile: 'bybit-inverse', instruments: [btcusd], balances: { BTC: 1 }, clock: createTestClock(0) })
 * ```
 * @packageDocumentation
 */
export { createSimVenue } from './venue.js'
export type { SimCall, SimFundingPoint, SimState, SimVenue, SimVenueOptions } from './types.js'
export { type VenueProfile, type VenueProfileId, venueProfile } from './profiles.js'
export { type SimErrorContext, type SimErrorKind, simVenueError } from './venue-errors.js'
export {
  type CallFaultKind,
  type CallFaultSpec,
  type ChosenCallFault,
  createFaultEngine,
  type FaultEngine,
  type FaultInjector,
  type SimMethod,
  type StreamFaultState,
} from './fault-injector.js'
export { createSimUserStream, type SimUserStream } from './user-stream.js'
export { createSeededRandom, type SeededRandom } from './rng.js'
export { intrabarPath } from './intrabar.js'
export { applyFill, type FillOutcome, type SimPosition } from './position-math.js'
