/**
 * Venue profiles: what differs between Binance USDⓈ-M, Bybit inverse and Bybit linear as far as the
 * simulator is concerned (client-id rules, capabilities, post-only behaviour, leverage granularity,
 * liquidation order ids, funding interval, the request limits the port reports).
 * @module
 */
import type { ExchangeCapabilities, RequestLimits, VenueId } from '@perpkit/core'

/**
 * The venues the simulator can imitate.
 * @example
 * ```ts
 * import { type VenueProfileId } from '@perpkit/sim'
 * const id: VenueProfileId = 'bybit-linear'
 * ```
 */
export type VenueProfileId = 'binance-usdm' | 'bybit-inverse' | 'bybit-linear'

/**
 * Static description of one venue's behaviour.
 * @example
 * ```ts
 * import { venueProfile, type VenueProfile } from '@perpkit/sim'
 * const p: VenueProfile = venueProfile('binance-usdm')
 * p.postOnlyCross // 'reject'
 * ```
 */
export interface VenueProfile {
  /** Profile id (also the core `VenueId`). */
  readonly id: VenueProfileId
  /** Venue reported by the `ExchangeClient`. */
  readonly venue: VenueId
  /** Client order id rule of the venue (Binance `newClientOrderId`, Bybit `orderLinkId`). */
  readonly clientOrderIdPattern: RegExp
  /** Capabilities reported by the port. */
  readonly capabilities: ExchangeCapabilities
  /**
   * Request limits reported by the port: the same data as the live adapter of the venue reports (checked by
   * `@perpkit/exchange`'s tests). The simulator does not enforce them; callers budget against them.
   */
  readonly requestLimits: RequestLimits
  /**
   * What a crossing post-only order does: Binance rejects the request (-5022); Bybit accepts it and
   * cancels it at once with reject reason `EC_PostOnlyWillTakeLiquidity`.
   */
  readonly postOnlyCross: 'reject' | 'cancel'
  /** Client order id prefix of venue-generated liquidation orders (`autoclose-` on Binance). */
  readonly liquidationClientIdPrefix: string
  /** Client order id prefix of venue-generated auto-deleverage orders (`adl_autoclose` on Binance). */
  readonly adlClientIdPrefix: string
  /** Binance accepts integer leverage only; Bybit accepts decimals (step 0.01). */
  readonly leverageStep: number
  /** Default funding interval in ms (8 h on all three). */
  readonly fundingIntervalMs: number
}

const BINANCE_CID = /^[.A-Z:/a-z0-9_-]{1,36}$/
const BYBIT_CID = /^[A-Za-z0-9_-]{1,36}$/

/** Binance USDⓈ-M: 2,400 weight per minute; positionRisk, userTrades and balance weigh 5, openOrders without a symbol 40. */
const BINANCE_USDM_REQUEST_LIMITS: RequestLimits = {
  limit: 2_400,
  intervalMs: 60_000,
  weights: { fetchPositions: 5, fetchFills: 5, fetchBalances: 5 },
  allSymbolsWeights: { fetchOpenOrders: 40 },
}

/**
 * Bybit v5 (both categories): 120 requests per minute over every call of the account, each weighing 1. Not a
 * number Bybit publishes (its limits are per endpoint and second, 10/s for orders and inverse queries): the
 * allowance perpkit budgets against, far below them.
 */
const BYBIT_REQUEST_LIMITS: RequestLimits = { limit: 120, intervalMs: 60_000, weights: {} }

const PROFILES: Readonly<Record<VenueProfileId, VenueProfile>> = {
  'binance-usdm': {
    id: 'binance-usdm',
    venue: 'binance-usdm',
    clientOrderIdPattern: BINANCE_CID,
    capabilities: { amendOrder: true, amendConditionalOrder: false, closePositionOrders: true, trailingStop: true, reduceOnlyStopWithoutPosition: true },
    requestLimits: BINANCE_USDM_REQUEST_LIMITS,
    postOnlyCross: 'reject',
    liquidationClientIdPrefix: 'autoclose-',
    adlClientIdPrefix: 'adl_autoclose-',
    leverageStep: 1,
    fundingIntervalMs: 28_800_000,
  },
  'bybit-inverse': {
    id: 'bybit-inverse',
    venue: 'bybit-inverse',
    clientOrderIdPattern: BYBIT_CID,
    capabilities: { amendOrder: true, amendConditionalOrder: true, closePositionOrders: true, trailingStop: true, reduceOnlyStopWithoutPosition: true },
    requestLimits: BYBIT_REQUEST_LIMITS,
    postOnlyCross: 'cancel',
    liquidationClientIdPrefix: 'liquidation-',
    adlClientIdPrefix: 'adl-',
    leverageStep: 0.01,
    fundingIntervalMs: 28_800_000,
  },
  'bybit-linear': {
    id: 'bybit-linear',
    venue: 'bybit-linear',
    clientOrderIdPattern: BYBIT_CID,
    capabilities: { amendOrder: true, amendConditionalOrder: true, closePositionOrders: true, trailingStop: true, reduceOnlyStopWithoutPosition: true },
    requestLimits: BYBIT_REQUEST_LIMITS,
    postOnlyCross: 'cancel',
    liquidationClientIdPrefix: 'liquidation-',
    adlClientIdPrefix: 'adl-',
    leverageStep: 0.01,
    fundingIntervalMs: 28_800_000,
  },
}

/**
 * The static profile of a venue.
 *
 * @param id - `'binance-usdm' | 'bybit-inverse' | 'bybit-linear'`
 * @returns the profile (client id rule, capabilities, post-only behaviour, leverage step)
 * @throws never for a valid id (the union is closed)
 * @example
 * ```ts
 * import { venueProfile } from '@perpkit/sim'
 * venueProfile('binance-usdm').capabilities.amendConditionalOrder // false
 * venueProfile('bybit-inverse').clientOrderIdPattern.test('a.b') // false
 * ```
 */
export function venueProfile(id: VenueProfileId): VenueProfile {
  return PROFILES[id]
}
