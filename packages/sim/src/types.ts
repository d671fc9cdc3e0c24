/**
 * Public types of the simulated venue.
 * @module
 */
import type { Balance, Candle, Clock, ErrorCode, ExchangeClient, Instrument, MarginMode, Order, Position, PositionMode, TradeTick, UserStreamEvent } from '@perpkit/core'
import type { MaintenanceSpec } from '@perpkit/sizing'
import type { CallFaultKind, FaultInjector, SimMethod } from './fault-injector.js'
import type { VenueProfileId } from './profiles.js'

/**
 * One funding settlement of a rate series.
 * @example
 * ```ts
 * import { type SimFundingPoint } from '@perpkit/sim'
 * const point: SimFundingPoint = { fundingTimeMs: 1758268800005, rate: 2.109e-5 }
 * ```
 */
export interface SimFundingPoint {
  readonly fundingTimeMs: number
  readonly rate: number
}

/**
 * Options of {@link createSimVenue}.
 * @example
 * ```ts
 * import { createSimVenue, type SimVenueOptions } from '@perpkit/sim'
 * import type { Clock, Instrument } from '@perpkit/core'
 * declare const btcusd: Instrument, clock: Clock
 * const options: SimVenueOptions = { profile: 'bybit-inverse', instruments: [btcusd], balances: { BTC: 0.5 }, clock, funding: { fixedRate: 0.0001 } }
 * const venue = createSimVenue(options)
 * ```
 */
export interface SimVenueOptions {
  /** Which venue to imitate (error codes, client-id rules, capabilities). */
  readonly profile: VenueProfileId
  /** Tradable instruments; their `venue` must equal the profile. Validated once with core's schema. */
  readonly instruments: readonly Instrument[]
  /** Starting wallet balances per asset, e.g. `{ USDT: 10_000 }` or `{ BTC: 0.01 }`. */
  readonly balances: Readonly<Record<string, number>>
  /** The venue clock (a `TestClock` or the engine's virtual clock). Timestamps and latency use it. */
  readonly clock: Clock
  /** Seed of the only random source (fault probabilities, reorder shuffles). Default 1. */
  readonly seed?: number
  /**
   * Taker slippage: `fixedBps / 10_000 + notionalUsd / liquidityUsd × impactCoefficient`,
   * applied against the taker. Defaults: 0 bps, coefficient 0, liquidity 1,000,000 USD.
   */
  readonly slippage?: { readonly fixedBps?: number; readonly impactCoefficient?: number; readonly liquidityUsd?: number }
  /**
   * Limit-order fills. `queue`: `'trade-through'` (default) fills a resting limit only when price trades
   * beyond it; `'touch'` fills when price reaches it. `participation`: fraction of each candle's (or
   * trade's) volume the account's resting orders may take; default unlimited.
   */
  readonly fillModel?: { readonly queue?: 'trade-through' | 'touch'; readonly participation?: number }
  /**
   * Funding: a rate series (`rates`, applied to every symbol, or `ratesBySymbol`) or a `fixedRate` charged
   * every `intervalMs` (default 8 h → 00/08/16 UTC). A funding time T is settled at the first market-data
   * update whose time is ≥ T − `jitterToleranceMs` (default 1,000 ms; real funding times carry a few ms jitter).
   */
  readonly funding?: {
    readonly rates?: readonly SimFundingPoint[]
    readonly ratesBySymbol?: Readonly<Record<string, readonly SimFundingPoint[]>>
    readonly fixedRate?: number
    readonly intervalMs?: number
    readonly jitterToleranceMs?: number
  }
  /** Time between acceptance and the order reaching the book (clock timer). Default 0. */
  readonly latencyMs?: number
  /** Leverage of every symbol until `setLeverage` (default 20, capped at the instrument maximum). */
  readonly defaultLeverage?: number
  /** Margin mode of every symbol until `setMarginMode` (default `cross`). */
  readonly marginMode?: MarginMode
  /** Maintenance margin model for liquidation: one spec for all symbols or per symbol. Default rate 0.005. */
  readonly maintenance?: MaintenanceSpec | Readonly<Record<string, MaintenanceSpec>>
  /** Account position mode. `hedge` makes every order fail as on a hedge-mode account. Default `one-way`. */
  readonly positionMode?: PositionMode
  /**
   * Where the mark price comes from. `follow-last` (default): the mark follows traded prices (candle path,
   * trade ticks) and `setMarkPrice` overrides it until the next trade. `explicit`: only `setMarkPrice` moves it.
   */
  readonly markPrice?: 'follow-last' | 'explicit'
  /** How many closed orders `fetchOrder` still finds (oldest forgotten first). Default 10,000. */
  readonly closedOrderRetention?: number
  /** Offset of the venue's clock from `clock` reported by `fetchServerTime` (ms). Default 0. */
  readonly serverTimeOffsetMs?: number
  /**
   * Validity window of a signed request (Binance `recvWindow`, Bybit `recv_window`; both default to 5,000 ms).
   * A request that reaches the venue later than this after it was sent is refused and never executes: a
   * `late-accept` fault with a longer delay drops the request. Default 5,000.
   */
  readonly recvWindowMs?: number
  /**
   * What the venue keeps for inspection (tests, replays, audits). Both are off by default: a backtest or paper
   * run does not pay for copying every call's arguments or for holding every event it ever emitted.
   * - `calls`: keep {@link SimVenue.callLog} (every port call, arguments JSON-copied at call time).
   * - `events`: keep {@link SimVenue.eventLog} and its {@link SimVenue.eventLogHash} (every user-stream event).
   * Reading a log that is not kept throws (`invalid-state`) rather than returning an empty one.
   */
  readonly record?: { readonly calls?: boolean; readonly events?: boolean }
}

/**
 * One recorded port call.
 * @example
 * ```ts
 * import { type SimCall } from '@perpkit/sim'
 * import type { SimVenue } from '@perpkit/sim'
 * declare const venue: SimVenue
 * const last: SimCall | undefined = venue.callLog().at(-1)
 * if (last?.outcome === 'error') console.log(last.method, last.errorCode, last.venueCode)
 * ```
 */
export interface SimCall {
  /** 1-based call number. */
  readonly seq: number
  readonly method: SimMethod | 'setPositionMode'
  /** Arguments as passed (JSON-cloned). */
  readonly args: unknown
  readonly outcome: 'ok' | 'error'
  readonly errorCode?: ErrorCode
  readonly venueCode?: number | string
  /** The injected fault, if one was applied. */
  readonly fault?: CallFaultKind
  /** Whether the venue acted on the request (false for faults before the venue and for rejections; true for a `late-accept` that arrives inside the validity window, which acts later). */
  readonly reachedVenue: boolean
  /** Clock time of the call. */
  readonly timestampMs: number
}

/**
 * A peek at the whole account (tests).
 * @example
 * ```ts
 * import { type SimState } from '@perpkit/sim'
 * import type { SimVenue } from '@perpkit/sim'
 * declare const venue: SimVenue
 * const { balances, positions, openOrders }: SimState = venue.state()
 * ```
 */
export interface SimState {
  /** Wallet balance per asset (realized: deposits + realized PnL − fees + funding). */
  readonly balances: Record<string, number>
  readonly positions: readonly Position[]
  readonly openOrders: readonly Order[]
}

/**
 * A simulated venue: the `ExchangeClient` port plus market-data inputs, fault injection and logs.
 * @example
 * ```ts
 * import type { Candle } from '@perpkit/core'
 * import type { SimVenue } from '@perpkit/sim'
 * declare const venue: SimVenue, candle: Candle
 * venue.applyCandle({ symbol: 'BTC/USDT:USDT', candle })
 * const hash = venue.eventLogHash()
 * ```
 */
export interface SimVenue extends ExchangeClient {
  /**
   * Feed one candle of `symbol`. Order of work: funding due at the bar's open (mark = open in `follow-last`),
   * the gap from the previous price to the open, then the intrabar path open → nearer extreme → other
   * extreme → close with matching, triggers and liquidation along the way.
   */
  applyCandle(args: { readonly symbol: string; readonly candle: Candle }): void
  /** Feed one public trade: funding due, then a jump to the trade price (triggers fill at the trade price). */
  applyTrade(args: { readonly symbol: string; readonly trade: TradeTick }): void
  /** Move the mark price (mark-triggered orders, liquidation, funding valuation). */
  setMarkPrice(args: { readonly symbol: string; readonly markPrice: number; readonly timestampMs: number }): void
  /**
   * Auto-deleverage the account's position on `symbol`: the venue closes `qty` (default: all) at `price`
   * (default: the mark) with a venue-generated reduce-only market order (client id prefix `adl_autoclose-` on
   * Binance, `adl-` on Bybit) and emits its order, fill and position events. Nothing was requested by the account.
   * @throws InvalidInputError without a position, or for a qty above it
   */
  autoDeleverage(args: { readonly symbol: string; readonly qty?: number; readonly price?: number }): void
  /** Sim-only: switch the account's position mode (fails with the venue's error while positions/orders exist). */
  setPositionMode(args: { readonly mode: PositionMode }): Promise<void>
  /** Scripted, seeded faults. */
  readonly faults: FaultInjector
  /**
   * Every port call in order.
   * @throws PerpkitError `invalid-state` unless the venue was created with `record: { calls: true }`
   */
  callLog(): readonly SimCall[]
  /**
   * Every user-stream event the venue emitted (before delivery faults).
   * @throws PerpkitError `invalid-state` unless the venue was created with `record: { events: true }`
   */
  eventLog(): readonly UserStreamEvent[]
  /**
   * SHA-256 hex of {@link SimVenue.eventLog} (one JSON line per event).
   * @throws PerpkitError `invalid-state` unless the venue was created with `record: { events: true }`
   */
  eventLogHash(): string
  /** Synchronous peek at balances, positions and open orders (not part of the port). */
  state(): SimState
  /** Synchronous balances (same values as `fetchBalances`, without a call-log entry). */
  balancesNow(): readonly Balance[]
}
