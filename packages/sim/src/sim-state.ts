/**
 * Internal state of one simulated venue: resolved settings, the mutable order and per-symbol records, and
 * the {@link VenueContext} every venue module operates on (no closures, so the hot path stays allocation-free).
 * @module
 */
import {
  type Clock,
  type Fill,
  type FillOrigin,
  type Instrument,
  type MarginMode,
  type OrderStatus,
  type OrderType,
  PerpkitError,
  type PositionMode,
  type Side,
  type TimeInForce,
  type Trailing,
  type TriggerPriceType,
  type UserStreamEvent,
} from '@perpkit/core'
import type { MaintenanceSpec } from '@perpkit/sizing'
import type { SimPosition } from './position-math.js'
import type { VenueProfile } from './profiles.js'
import type { SimFundingPoint } from './types.js'
import { type SimErrorContext, type SimErrorKind, simVenueError } from './venue-errors.js'

/** Direction in which a conditional order's trigger fires. */
export type Direction = 'rising' | 'falling'

/** A venue order record (mutable; converted to core's `Order` with `toOrder`). */
export interface SimOrder {
  readonly seq: number
  readonly symbol: string
  readonly clientOrderId: string
  readonly venueOrderId: string
  readonly kind: 'linear' | 'inverse'
  readonly contractSize: number
  readonly side: Side
  readonly type: OrderType
  status: OrderStatus
  qty: number
  filledQty: number
  /** Average price of the fills so far (core's `nextAveragePrice`; 0 before the first fill). */
  avgFillPrice: number
  price: number | undefined
  triggerPrice: number | undefined
  readonly triggerPriceType: TriggerPriceType | undefined
  /** Cached: direction in which the trigger fires, and whether it watches last (else mark). */
  readonly dir: Direction
  readonly watchesLast: boolean
  readonly timeInForce: TimeInForce
  readonly reduceOnly: boolean
  readonly closePosition: boolean
  readonly trailing: Trailing | undefined
  readonly createdAtMs: number
  updatedAtMs: number
  rejectReason: string | undefined
  /** Still waiting for a trigger. */
  untriggered: boolean
  /** In the book (false while latency is pending). */
  active: boolean
  /** Trailing stops: best price seen since placement (peak for sells, trough for buys). */
  extreme: number
  /** Budget marker: last sweep id in which this limit order exhausted the participation budget. */
  exhaustedIn: number
  /** Who placed it: the account (`user`) or the venue's liquidation engine; copied onto every fill. */
  origin: FillOrigin
  /** Venue-wide sequence number of the last published state of this order (core's `Order.updateId`). */
  updateId: number
}

/** Everything the venue tracks per instrument. */
export interface SymbolState {
  readonly ins: Instrument
  readonly maintenance: MaintenanceSpec
  lastPrice: number | undefined
  markPrice: number | undefined
  lastTimeMs: number
  orders: SimOrder[]
  position: SimPosition | null
  positionUpdatedAtMs: number
  leverage: number
  marginMode: MarginMode
  liqPrice: number
  readonly fills: Fill[]
  readonly funding: readonly SimFundingPoint[] | undefined
  fundingIdx: number
  nextFixedFundingMs: number | undefined
}

/** Options resolved to concrete values (see `SimVenueOptions` for meanings and defaults). */
export interface SimSettings {
  readonly queue: 'trade-through' | 'touch'
  readonly participation: number | undefined
  readonly fixedBps: number
  readonly impactCoefficient: number
  readonly liquidityUsd: number
  readonly latencyMs: number
  readonly fundingIntervalMs: number
  readonly fundingToleranceMs: number
  readonly fixedRate: number | undefined
  readonly markMode: 'follow-last' | 'explicit'
  readonly retention: number
  readonly serverOffsetMs: number
  readonly recvWindowMs: number
  readonly maintenanceBasis: 'liquidation-price' | 'entry-price'
}

/** The shared state of one venue instance, passed to every internal module's functions. */
export interface VenueContext extends SimSettings {
  readonly profile: VenueProfile
  readonly clock: Clock
  /** Append to the event log and deliver through the stream fault pipeline. */
  readonly emit: (event: UserStreamEvent) => void
  readonly wallets: Map<string, number>
  readonly symbols: Map<string, SymbolState>
  /** Open orders by {@link orderKey}. */
  readonly openByKey: Map<string, SimOrder>
  /** Closed orders by {@link orderKey}, oldest first (bounded by `retention`). */
  readonly closed: Map<string, SimOrder>
  positionMode: PositionMode
  orderSeq: number
  tradeSeq: number
  sweepId: number
  /** Last `SimOrder.updateId` handed out. */
  updateSeq: number
}

/** Terminal order statuses. */
export const TERMINAL: ReadonlySet<OrderStatus> = new Set(['filled', 'canceled', 'rejected', 'expired'])

/** Key of an order in `openByKey` / `closed`. */
export const orderKey = (symbol: string, cid: string): string => `${symbol}\u0000${cid}`

/** The state of `symbol`; throws `unknown-symbol` for anything else. */
export function symbolState(ctx: VenueContext, symbol: unknown): SymbolState {
  const st = typeof symbol === 'string' ? ctx.symbols.get(symbol) : undefined
  if (st === undefined) throw new PerpkitError('unknown-symbol', `unknown symbol ${String(symbol)}`, { details: { symbol: String(symbol) } })
  return st
}

/** The price a trigger of `type` watches (mark falls back to last until a mark exists). */
export function refPrice(st: SymbolState, type: TriggerPriceType | undefined): number | undefined {
  return (type ?? 'last') === 'last' ? st.lastPrice : (st.markPrice ?? st.lastPrice)
}

/** The profile's typed error for `kind`. */
export function venueError(ctx: VenueContext, kind: SimErrorKind, context?: SimErrorContext): PerpkitError {
  return simVenueError({ profile: ctx.profile.id, kind, ...(context === undefined ? {} : { context }) })
}

/**
 * Build a venue context. Every field is spelled out in one literal (no spread) so all contexts share one
 * hidden class and the matching hot path stays monomorphic across venue instances.
 */
export function createVenueContext(args: {
  readonly settings: SimSettings
  readonly profile: VenueProfile
  readonly clock: Clock
  readonly emit: (event: UserStreamEvent) => void
  readonly wallets: Map<string, number>
  readonly symbols: Map<string, SymbolState>
  readonly positionMode: PositionMode
}): VenueContext {
  const s = args.settings
  return {
    queue: s.queue,
    participation: s.participation,
    fixedBps: s.fixedBps,
    impactCoefficient: s.impactCoefficient,
    liquidityUsd: s.liquidityUsd,
    latencyMs: s.latencyMs,
    fundingIntervalMs: s.fundingIntervalMs,
    fundingToleranceMs: s.fundingToleranceMs,
    fixedRate: s.fixedRate,
    markMode: s.markMode,
    retention: s.retention,
    serverOffsetMs: s.serverOffsetMs,
    recvWindowMs: s.recvWindowMs,
    maintenanceBasis: s.maintenanceBasis,
    profile: args.profile,
    clock: args.clock,
    emit: args.emit,
    wallets: args.wallets,
    symbols: args.symbols,
    openByKey: new Map(),
    closed: new Map(),
    positionMode: args.positionMode,
    orderSeq: 0,
    tradeSeq: 0,
    sweepId: 0,
    updateSeq: 0,
  }
}
