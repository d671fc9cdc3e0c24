/**
 * `createSimVenue`: a deterministic simulated perpetual-futures venue behind core's `ExchangeClient` port.
 * @module
 */
import {
  type AmendRequest,
  type Balance,
  type Candle,
  type ExchangeClient,
  type Fill,
  type FillQuery,
  InvalidInputError,
  type Instrument,
  instrumentSchema,
  isConditionalOrderType,
  isOnStep,
  isPerpkitError,
  type Liquidity,
  type MarginMode,
  type Order,
  type OrderRef,
  type OrderRequest,
  type OrderStatus,
  type OrderType,
  PerpkitError,
  type Position,
  type PositionMode,
  roundPrice,
  roundQty,
  type Side,
  type TimeInForce,
  type Trailing,
  type TradeTick,
  type TriggerPriceType,
  type UserStreamEvent,
  validateOrderRequest,
} from '@perpkit/core'
import { fee, fundingCost, liquidationPrice, type MaintenanceSpec, maintenanceMargin, pnl, positionValue, initialMargin } from '@perpkit/sizing'
import { type CallFaultSpec, createFaultEngine, type SimMethod } from './fault-injector.js'
import { applyFill, type SimPosition } from './position-math.js'
import { type VenueProfile, venueProfile } from './profiles.js'
import { createSeededRandom } from './rng.js'
import type { SimCall, SimFundingPoint, SimVenue, SimVenueOptions } from './types.js'
import { createSimUserStream } from './user-stream.js'
import { type SimErrorContext, type SimErrorKind, simVenueError } from './venue-errors.js'

interface SimOrder {
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
  /** Σ positionValue of fills (for the average fill price). */
  filledValue: number
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
}

interface SymbolState {
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

type Direction = 'rising' | 'falling'

interface Candidate {
  readonly level: number
  readonly kind: 0 | 1 | 2 // trigger, limit fill, liquidation (processing priority at equal levels)
  readonly order: SimOrder | undefined
}

const TERMINAL: ReadonlySet<OrderStatus> = new Set(['filled', 'canceled', 'rejected', 'expired'])

function triggerDirection(o: { readonly type: OrderType; readonly side: Side }): Direction {
  // stop buy / take-profit sell / trailing buy fire on a rise; the mirror images on a fall
  const stopLike = o.type === 'stop-market' || o.type === 'stop-limit' || o.type === 'trailing-stop'
  return stopLike === (o.side === 'buy') ? 'rising' : 'falling'
}

function jsonClone(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v))
}

/**
 * Create a deterministic simulated venue implementing `ExchangeClient` plus market-data inputs, fault
 * injection, a call log and a hashed event log. See the package README for the fill model.
 *
 * @param options - see {@link SimVenueOptions}
 * @returns a {@link SimVenue}
 * @throws InvalidInputError for invalid instruments, balances or options
 * @example
 * ```ts
 * import { createTestClock } from '@perpkit/core'
 * import { createSimVenue } from '@perpkit/sim'
 * const clock = createTestClock(Date.UTC(2025, 8, 19))
 * const venue = createSimVenue({
 *   profile: 'binance-usdm', clock, balances: { USDT: 10_000 },
 *   instruments: [{ symbol: 'BTC/USDT:USDT', venue: 'binance-usdm', venueSymbol: 'BTCUSDT', kind: 'linear', base: 'BTC',
 *     quote: 'USDT', settle: 'USDT', contractSize: 1, tickSize: 0.1, lotStep: 0.001, minQty: 0.001, minNotional: 100,
 *     maxLeverage: 125, makerFeeRate: 0.0002, takerFeeRate: 0.0005 }],
 * })
 * venue.applyCandle({ symbol: 'BTC/USDT:USDT', candle: { openTimeMs: clock.now(), open: 116000, high: 116100, low: 115900, close: 116050, volume: 10 } })
 * await venue.createOrder({ symbol: 'BTC/USDT:USDT', clientOrderId: 'pk_1', side: 'buy', type: 'market', qty: 0.01 })
 * ```
 */
export function createSimVenue(options: SimVenueOptions): SimVenue {
  const profile: VenueProfile = venueProfile(options.profile)
  const clock = options.clock
  const random = createSeededRandom(options.seed ?? 1)
  const faults = createFaultEngine({ random })
  const stream = createSimUserStream({ clock, faults: faults.stream, random })
  const queue = options.fillModel?.queue ?? 'trade-through'
  const participation = options.fillModel?.participation
  if (participation !== undefined && !(participation > 0 && participation <= 1)) throw new InvalidInputError('must be in (0, 1]', { path: 'fillModel.participation' })
  const fixedBps = nonNeg(options.slippage?.fixedBps ?? 0, 'slippage.fixedBps')
  const impactCoefficient = nonNeg(options.slippage?.impactCoefficient ?? 0, 'slippage.impactCoefficient')
  const liquidityUsd = pos(options.slippage?.liquidityUsd ?? 1_000_000, 'slippage.liquidityUsd')
  const latencyMs = nonNeg(options.latencyMs ?? 0, 'latencyMs')
  const fundingInterval = pos(options.funding?.intervalMs ?? profile.fundingIntervalMs, 'funding.intervalMs')
  const fundingTolerance = nonNeg(options.funding?.jitterToleranceMs ?? 1_000, 'funding.jitterToleranceMs')
  const fixedRate = options.funding?.fixedRate
  if (fixedRate !== undefined && !(Number.isFinite(fixedRate) && Math.abs(fixedRate) < 1)) throw new InvalidInputError('must be a finite rate in (-1, 1)', { path: 'funding.fixedRate' })
  const defaultLeverage = pos(options.defaultLeverage ?? 20, 'defaultLeverage')
  const markMode = options.markPrice ?? 'follow-last'
  const retention = options.closedOrderRetention ?? 10_000
  const serverOffset = options.serverTimeOffsetMs ?? 0
  let positionMode: PositionMode = options.positionMode ?? 'one-way'
  const maintenanceBasis = profile.id === 'binance-usdm' ? 'liquidation-price' : 'entry-price'

  const wallets = new Map<string, number>()
  for (const [asset, amount] of Object.entries(options.balances)) wallets.set(asset, nonNeg(amount, `balances.${asset}`))

  const symbols = new Map<string, SymbolState>()
  const instruments: Instrument[] = []
  options.instruments.forEach((raw, i) => {
    const parsed = instrumentSchema.safeParse(raw)
    if (!parsed.success) throw new InvalidInputError(parsed.error.issues[0]?.message ?? 'invalid instrument', { path: `instruments[${i}]` })
    const ins = parsed.data
    if (ins.venue !== profile.venue) throw new InvalidInputError(`instrument venue ${ins.venue} does not match profile ${profile.id}`, { path: `instruments[${i}].venue` })
    if (symbols.has(ins.symbol)) throw new InvalidInputError(`duplicate instrument ${ins.symbol}`, { path: `instruments[${i}].symbol` })
    if (!wallets.has(ins.settle)) wallets.set(ins.settle, 0)
    instruments.push(ins)
    const series = options.funding?.ratesBySymbol?.[ins.symbol] ?? options.funding?.rates
    symbols.set(ins.symbol, {
      ins,
      maintenance: maintenanceFor(ins.symbol),
      lastPrice: undefined,
      markPrice: undefined,
      lastTimeMs: Number.NEGATIVE_INFINITY,
      orders: [],
      position: null,
      positionUpdatedAtMs: 0,
      leverage: Math.min(defaultLeverage, ins.maxLeverage),
      marginMode: options.marginMode ?? 'cross',
      liqPrice: Number.NaN,
      fills: [],
      funding: series === undefined ? undefined : checkSeries(series, ins.symbol),
      fundingIdx: 0,
      nextFixedFundingMs: undefined,
    })
  })

  function maintenanceFor(symbol: string): MaintenanceSpec {
    const m = options.maintenance
    if (m === undefined) return { maintenanceMarginRate: 0.005 }
    if ('maintenanceMarginRate' in m || 'brackets' in m) return m as MaintenanceSpec
    return (m as Readonly<Record<string, MaintenanceSpec>>)[symbol] ?? { maintenanceMarginRate: 0.005 }
  }

  const openByKey = new Map<string, SimOrder>()
  const closed = new Map<string, SimOrder>()
  const calls: SimCall[] = []
  let orderSeq = 0
  let tradeSeq = 0
  let sweepId = 0
  let bannedUntilMs = Number.NEGATIVE_INFINITY
  const key = (symbol: string, cid: string): string => `${symbol}\u0000${cid}`

  // ------------------------------------------------------------------ helpers
  const err = (kind: SimErrorKind, context?: SimErrorContext): PerpkitError => simVenueError({ profile: profile.id, kind, ...(context === undefined ? {} : { context }) })
  const sym = (symbol: unknown): SymbolState => {
    const st = typeof symbol === 'string' ? symbols.get(symbol) : undefined
    if (st === undefined) throw new PerpkitError('unknown-symbol', `unknown symbol ${String(symbol)}`, { details: { symbol: String(symbol) } })
    return st
  }
  const refPrice = (st: SymbolState, type: TriggerPriceType | undefined): number | undefined =>
    (type ?? 'last') === 'last' ? st.lastPrice : (st.markPrice ?? st.lastPrice)
  const emit = (event: UserStreamEvent): void => stream.emit(event)

  const toOrder = (o: SimOrder): Order => {
    const avg = o.filledQty > 0 ? (o.kind === 'linear' ? o.filledValue / (o.filledQty * o.contractSize) : (o.filledQty * o.contractSize) / o.filledValue) : 0
    return {
      symbol: o.symbol,
      clientOrderId: o.clientOrderId,
      venueOrderId: o.venueOrderId,
      side: o.side,
      type: o.type,
      status: o.status,
      qty: o.qty,
      filledQty: o.filledQty,
      avgFillPrice: avg,
      ...(o.price === undefined ? {} : { price: o.price }),
      ...(o.triggerPrice === undefined ? {} : { triggerPrice: o.triggerPrice }),
      ...(o.triggerPriceType === undefined ? {} : { triggerPriceType: o.triggerPriceType }),
      timeInForce: o.timeInForce,
      reduceOnly: o.reduceOnly,
      closePosition: o.closePosition,
      ...(o.trailing === undefined ? {} : { trailing: o.trailing }),
      createdAtMs: o.createdAtMs,
      updatedAtMs: o.updatedAtMs,
      ...(o.rejectReason === undefined ? {} : { rejectReason: o.rejectReason }),
    }
  }

  const unrealized = (st: SymbolState): number => {
    const p = st.position
    const mark = st.markPrice ?? st.lastPrice
    if (p === null || mark === undefined) return 0
    return pnl({ contract: st.ins, side: p.side, qty: p.qty, entryPrice: p.entryPrice, exitPrice: mark })
  }

  const toPosition = (st: SymbolState): Position | null => {
    const p = st.position
    if (p === null) return null
    const mark = st.markPrice ?? st.lastPrice
    const liq = st.liqPrice
    return {
      symbol: st.ins.symbol,
      side: p.side,
      qty: p.qty,
      entryPrice: p.entryPrice,
      ...(mark === undefined ? {} : { markPrice: mark }),
      unrealizedPnl: unrealized(st),
      liquidationPrice: Number.isFinite(liq) && liq > 0 ? liq : null,
      leverage: st.leverage,
      marginMode: st.marginMode,
      ...(st.marginMode === 'isolated' ? { isolatedMargin: p.isolatedMargin } : {}),
      updatedAtMs: st.positionUpdatedAtMs,
    }
  }

  /** Margin in use for an asset: positions (isolated margin or IM at entry) + open non-conditional orders' opening part. */
  const usedMargin = (asset: string): { used: number; upnlCross: number } => {
    let used = 0
    let upnlCross = 0
    for (const st of symbols.values()) {
      if (st.ins.settle !== asset) continue
      const p = st.position
      if (p !== null) {
        if (st.marginMode === 'isolated') used += p.isolatedMargin
        else {
          used += initialMargin({ contract: st.ins, qty: p.qty, price: p.entryPrice, leverage: st.leverage })
          upnlCross += unrealized(st)
        }
      }
      for (const o of st.orders) {
        if (o.untriggered || o.reduceOnly || o.closePosition) continue
        const open = openingQty(st, o.side, o.qty - o.filledQty)
        const px = o.price ?? st.lastPrice
        if (open > 0 && px !== undefined) used += initialMargin({ contract: st.ins, qty: open, price: px, leverage: st.leverage })
      }
    }
    return { used, upnlCross }
  }

  const balanceOf = (asset: string): Balance => {
    const total = wallets.get(asset) ?? 0
    const { used, upnlCross } = usedMargin(asset)
    let upnl = 0
    for (const st of symbols.values()) if (st.ins.settle === asset) upnl += unrealized(st)
    return { asset, total, available: total + upnlCross - used, unrealizedPnl: upnl, updatedAtMs: clock.now() }
  }

  const openingQty = (st: SymbolState, side: Side, qty: number): number => {
    const p = st.position
    if (p === null) return qty
    const same = (p.side === 'long') === (side === 'buy')
    return same ? qty : Math.max(0, qty - p.qty)
  }

  const recomputeLiq = (asset: string): void => {
    const cross: SymbolState[] = []
    for (const st of symbols.values()) {
      if (st.ins.settle !== asset) continue
      if (st.position === null) {
        st.liqPrice = Number.NaN
        continue
      }
      if (st.marginMode === 'isolated') {
        const p = st.position
        st.liqPrice = liquidationPrice({
          contract: st.ins,
          side: p.side,
          qty: p.qty,
          entryPrice: p.entryPrice,
          margin: { mode: 'isolated', positionMargin: p.isolatedMargin },
          maintenance: st.maintenance,
          maintenanceBasis,
        })
      } else cross.push(st)
    }
    if (cross.length === 0) return
    let isolatedLocked = 0
    for (const st of symbols.values()) if (st.ins.settle === asset && st.position !== null && st.marginMode === 'isolated') isolatedLocked += st.position.isolatedMargin
    const wallet = Math.max(0, (wallets.get(asset) ?? 0) - isolatedLocked)
    for (const st of cross) {
      const p = st.position as SimPosition
      let otherMm = 0
      let otherUpnl = 0
      for (const o of cross) {
        if (o === st || o.position === null) continue
        const mark = o.markPrice ?? o.lastPrice ?? o.position.entryPrice
        otherMm += maintenanceMargin({ contract: o.ins, qty: o.position.qty, price: mark, maintenance: o.maintenance }).amount
        otherUpnl += unrealized(o)
      }
      st.liqPrice = liquidationPrice({
        contract: st.ins,
        side: p.side,
        qty: p.qty,
        entryPrice: p.entryPrice,
        margin: { mode: 'cross', walletBalance: wallet, otherMaintenanceMargin: otherMm, otherUnrealizedPnl: otherUpnl },
        maintenance: st.maintenance,
        maintenanceBasis,
      })
    }
  }
  const crossCount = (asset: string): number => {
    let n = 0
    for (const st of symbols.values()) if (st.ins.settle === asset && st.position !== null && st.marginMode === 'cross') n++
    return n
  }

  const emitAccount = (st: SymbolState): void => {
    const now = clock.now()
    emit({ type: 'position', timestampMs: now, symbol: st.ins.symbol, position: toPosition(st) })
    emit({ type: 'balance', timestampMs: now, balance: balanceOf(st.ins.settle) })
  }

  const closeOrder = (st: SymbolState, o: SimOrder, status: OrderStatus, reason?: string): void => {
    o.status = status
    o.updatedAtMs = clock.now()
    if (reason !== undefined) o.rejectReason = reason
    const i = st.orders.indexOf(o)
    if (i >= 0) st.orders.splice(i, 1)
    const k = key(o.symbol, o.clientOrderId)
    if (openByKey.get(k) === o) openByKey.delete(k)
    closed.delete(k)
    closed.set(k, o)
    if (closed.size > retention) {
      const oldest = closed.keys().next().value
      if (oldest !== undefined) closed.delete(oldest)
    }
  }

  const takerPrice = (st: SymbolState, side: Side, base: number, qty: number, limit?: number): number => {
    const notionalUsd = st.ins.kind === 'linear' ? qty * st.ins.contractSize * base : qty * st.ins.contractSize
    const slip = fixedBps / 10_000 + (notionalUsd / liquidityUsd) * impactCoefficient
    let px = base
    if (slip > 0) {
      px = side === 'buy' ? base * (1 + slip) : base * (1 - slip)
      px = roundPrice({ price: px, tickSize: st.ins.tickSize, mode: side === 'buy' ? 'ceil' : 'floor' })
      if (px <= 0) px = st.ins.tickSize
    }
    if (limit !== undefined) px = side === 'buy' ? Math.min(px, limit) : Math.max(px, limit)
    return px
  }

  /** Execute `qty` of order `o` at `price`. Handles reduce-only capping, fees, PnL, events. Returns the qty filled. */
  const executeFill = (st: SymbolState, o: SimOrder, wantQty: number, price: number, liquidity: Liquidity): number => {
    let qty = wantQty
    const p = st.position
    if (o.reduceOnly || o.closePosition) {
      const reduces = p !== null && (p.side === 'long') !== (o.side === 'buy')
      if (!reduces) {
        closeOrder(st, o, 'expired', 'reduce-only order would not reduce the position')
        emit({ type: 'order', timestampMs: clock.now(), order: toOrder(o) })
        return 0
      }
      qty = Math.min(qty, p.qty)
    }
    if (qty <= 0) return 0
    const now = clock.now()
    const out = applyFill({ contract: st.ins, position: p, side: o.side, qty, price, leverage: st.leverage, marginMode: st.marginMode })
    const feeRate = liquidity === 'maker' ? st.ins.makerFeeRate : st.ins.takerFeeRate
    const feeAmount = fee({ contract: st.ins, qty, price, feeRate })
    const asset = st.ins.settle
    wallets.set(asset, (wallets.get(asset) ?? 0) + out.realizedPnl - feeAmount)
    st.position = out.position
    st.positionUpdatedAtMs = now
    o.filledQty += qty
    o.filledValue += positionValue({ contract: st.ins, qty, price })
    o.updatedAtMs = now
    const fill: Fill = {
      symbol: st.ins.symbol,
      tradeId: String(++tradeSeq),
      venueOrderId: o.venueOrderId,
      clientOrderId: o.clientOrderId,
      side: o.side,
      price,
      qty,
      feeAmount,
      feeAsset: asset,
      liquidity,
      timestampMs: now,
      ...(out.closedQty > 0 ? { realizedPnl: out.realizedPnl } : {}),
    }
    st.fills.push(fill)
    const done = o.closePosition ? true : o.filledQty >= o.qty - 1e-9 * o.qty
    if (done) closeOrder(st, o, 'filled')
    else o.status = 'partially-filled'
    recomputeLiq(asset)
    emit({ type: 'fill', timestampMs: now, fill })
    emit({ type: 'order', timestampMs: now, order: toOrder(o) })
    emitAccount(st)
    // once flat, resting (non-conditional) reduce-only orders can never reduce: the venue expires them
    if (st.position === null) {
      for (const r of [...st.orders]) {
        if ((r.reduceOnly || r.closePosition) && !r.untriggered && !TERMINAL.has(r.status)) {
          closeOrder(st, r, 'expired', 'position closed')
          emit({ type: 'order', timestampMs: now, order: toOrder(r) })
        }
      }
    }
    return qty
  }

  const isMarketable = (o: SimOrder, px: number): boolean => (o.side === 'buy' ? (o.price as number) >= px : (o.price as number) <= px)

  /** A (triggered or new) order takes liquidity at `base` (current traded price). */
  const takeLiquidity = (st: SymbolState, o: SimOrder, base: number): void => {
    const remaining = o.closePosition ? (st.position?.qty ?? 0) : o.qty - o.filledQty
    if (o.closePosition && remaining <= 0) {
      closeOrder(st, o, 'expired', 'no position to close')
      emit({ type: 'order', timestampMs: clock.now(), order: toOrder(o) })
      return
    }
    const isLimit = o.price !== undefined
    const px = takerPrice(st, o.side, base, remaining, isLimit ? o.price : undefined)
    executeFill(st, o, remaining, px, 'taker')
  }

  /** Order reaches the book (immediately, or after latency). */
  const activate = (st: SymbolState, o: SimOrder): void => {
    o.active = true
    if (TERMINAL.has(o.status)) return
    const last = st.lastPrice
    if (o.untriggered) {
      const ref = refPrice(st, o.triggerPriceType)
      if (o.type === 'trailing-stop') o.extreme = ref ?? o.extreme
      else if (ref !== undefined && triggerSatisfied(o, ref) && last !== undefined) fireTrigger(st, o, last)
      return
    }
    if (last === undefined) {
      if (o.type === 'market') {
        closeOrder(st, o, 'expired', 'no market price')
        emit({ type: 'order', timestampMs: clock.now(), order: toOrder(o) })
      }
      return
    }
    if (o.type === 'market') return takeLiquidity(st, o, last)
    const marketable = isMarketable(o, last)
    if (o.timeInForce === 'post-only' && marketable) {
      closeOrder(st, o, profile.postOnlyCross === 'reject' ? 'expired' : 'canceled', 'EC_PostOnlyWillTakeLiquidity')
      emit({ type: 'order', timestampMs: clock.now(), order: toOrder(o) })
      return
    }
    if (marketable) takeLiquidity(st, o, last)
    else if (o.timeInForce === 'IOC' || o.timeInForce === 'FOK') {
      closeOrder(st, o, 'expired')
      emit({ type: 'order', timestampMs: clock.now(), order: toOrder(o) })
    }
  }

  const triggerLevel = (st: SymbolState, o: SimOrder): number | undefined => {
    if (o.type !== 'trailing-stop') return o.triggerPrice
    const t = o.trailing as Trailing
    const dir = o.dir
    // sell trailing: peak ≥ activation; buy trailing: trough ≤ activation
    if (t.activationPrice !== undefined && (dir === 'falling' ? o.extreme < t.activationPrice : o.extreme > t.activationPrice)) return undefined
    const raw = dir === 'falling' ? o.extreme * (1 - t.callbackRate) : o.extreme * (1 + t.callbackRate)
    return roundPrice({ price: raw, tickSize: st.ins.tickSize })
  }
  const triggerSatisfied = (o: SimOrder, px: number): boolean => {
    const lvl = o.type === 'trailing-stop' ? undefined : o.triggerPrice
    if (lvl === undefined) return false
    return triggerDirection(o) === 'rising' ? px >= lvl : px <= lvl
  }

  const fireTrigger = (st: SymbolState, o: SimOrder, execBase: number): void => {
    o.untriggered = false
    o.status = 'triggered'
    o.updatedAtMs = clock.now()
    emit({ type: 'order', timestampMs: clock.now(), order: toOrder(o) })
    if (o.price === undefined) return takeLiquidity(st, o, execBase)
    if (isMarketable(o, execBase)) takeLiquidity(st, o, execBase)
  }

  const liquidate = (st: SymbolState, price: number): void => {
    const p = st.position
    if (p === null) return
    const now = clock.now()
    for (const o of [...st.orders]) {
      closeOrder(st, o, 'canceled', 'canceled before liquidation')
      emit({ type: 'order', timestampMs: now, order: toOrder(o) })
    }
    emit({ type: 'liquidation', timestampMs: now, symbol: st.ins.symbol, side: p.side, qty: p.qty, price })
    const o = newOrder(st, {
      clientOrderId: `${profile.liquidationClientIdPrefix}${now}-${orderSeq + 1}`,
      side: p.side === 'long' ? 'sell' : 'buy',
      type: 'market',
      qty: p.qty,
      reduceOnly: true,
    })
    o.active = true
    openByKey.set(key(o.symbol, o.clientOrderId), o)
    executeFill(st, o, p.qty, price, 'taker')
  }

  // ------------------------------------------------------------------ matching sweep
  /**
   * Move a price stream of `st` from its current value to `to`. `continuous` = every level in between trades
   * (intrabar path); otherwise a jump (gap, trade tick, mark update).
   */
  const sweep = (st: SymbolState, to: number, src: { readonly last: boolean; readonly mark: boolean }, continuous: boolean, budget: { qty: number }): void => {
    const from = src.last ? st.lastPrice : st.markPrice
    if (src.last) st.lastPrice = to
    if (src.mark) st.markPrice = to
    if (from === undefined) {
      for (const o of st.orders) if (o.type === 'trailing-stop' && o.active && Number.isNaN(o.extreme)) o.extreme = to
      return
    }
    if (st.orders.length === 0 && (st.position === null || !src.mark)) return
    const id = ++sweepId
    const up = to > from
    // trailing extremes move in the favourable direction (a trailing order cannot fire in that same leg)
    for (const o of st.orders) {
      if (o.type !== 'trailing-stop' || !o.untriggered || !o.active || !srcMatches(o, src)) continue
      if (Number.isNaN(o.extreme)) o.extreme = from
      if (o.dir === 'falling') {
        if (up) o.extreme = Math.max(o.extreme, to)
      } else if (to < from) o.extreme = Math.min(o.extreme, to)
    }
    let cur = from
    for (let guard = 0; guard < 10_000; guard++) {
      const c = nextEvent(st, cur, to, src, id, budget)
      if (c === undefined) return
      cur = c.level
      const execBase = continuous ? c.level : (st.lastPrice ?? to)
      if (c.kind === 2) {
        liquidate(st, st.liqPrice)
        continue
      }
      const o = c.order as SimOrder
      if (c.kind === 0) {
        fireTrigger(st, o, o.price === undefined ? execBase : continuous ? c.level : execBase)
        continue
      }
      // resting limit fill (maker) at its price, limited by participation budget
      const remaining = o.qty - o.filledQty
      const q = Math.min(remaining, budget.qty)
      const step = st.ins.lotStep
      const lots = q === remaining ? q : roundQty({ qty: q, lotStep: step, mode: 'floor' })
      if (lots <= 0) {
        o.exhaustedIn = id
        continue
      }
      const filled = executeFill(st, o, lots, o.price as number, 'maker')
      budget.qty -= filled
      if (!TERMINAL.has(o.status) && budget.qty < step) o.exhaustedIn = id
    }
  }

  const srcMatches = (o: SimOrder, src: { readonly last: boolean; readonly mark: boolean }): boolean => (o.watchesLast ? src.last : src.mark)

  // Hot path (called per price leg): no closures, no allocation unless an event is found.
  const nextEvent = (st: SymbolState, cur: number, to: number, src: { readonly last: boolean; readonly mark: boolean }, id: number, budget: { qty: number }): Candidate | undefined => {
    const up = to >= cur
    let bestLevel = Number.NaN
    let bestDist = Number.POSITIVE_INFINITY
    let bestKind: 0 | 1 | 2 = 0
    let bestOrder: SimOrder | undefined
    const orders = st.orders
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i] as SimOrder
      if (!o.active) continue
      let level = Number.NaN
      let kind: 0 | 1 = 0
      if (o.untriggered) {
        if (!srcMatches(o, src)) continue
        const lvl = triggerLevel(st, o)
        if (lvl === undefined) continue
        const rising = o.dir === 'rising'
        // a trailing stop follows price in its favourable leg and can only fire on the way back
        if (o.type === 'trailing-stop' && rising !== up) continue
        if (rising ? cur >= lvl : cur <= lvl) level = cur
        else if (rising === up && (rising ? to >= lvl : to <= lvl)) level = lvl
        else continue
      } else {
        if (!src.last || o.price === undefined || o.exhaustedIn === id || budget.qty <= 0) continue
        const px = o.price
        const buy = o.side === 'buy'
        const hit = queue === 'touch' ? (buy ? to <= px : to >= px) : buy ? to < px : to > px
        if (!hit) continue
        if (buy ? cur <= px : cur >= px) level = cur
        else if (buy !== up) level = px
        else continue
        kind = 1
      }
      const d = Math.abs(level - cur)
      if (d < bestDist || (d === bestDist && (kind < bestKind || (kind === bestKind && bestOrder !== undefined && o.seq < bestOrder.seq)))) {
        bestDist = d
        bestLevel = level
        bestKind = kind
        bestOrder = o
      }
    }
    if (src.mark && st.position !== null && st.liqPrice > 0 && Number.isFinite(st.liqPrice)) {
      const long = st.position.side === 'long'
      const liq = st.liqPrice
      let level = Number.NaN
      if (long ? cur <= liq : cur >= liq) level = cur
      else if (long ? to <= liq : to >= liq) level = liq
      if (!Number.isNaN(level)) {
        const d = Math.abs(level - cur)
        if (d < bestDist) return { level, kind: 2, order: undefined }
      }
    }
    return Number.isNaN(bestLevel) ? undefined : { level: bestLevel, kind: bestKind, order: bestOrder }
  }

  // ------------------------------------------------------------------ funding
  const settleFunding = (st: SymbolState, timeMs: number, markForFunding: number | undefined): void => {
    const horizon = timeMs + fundingTolerance
    if (st.funding !== undefined) {
      const series = st.funding
      while (st.fundingIdx < series.length && (series[st.fundingIdx] as SimFundingPoint).fundingTimeMs <= horizon) {
        const pt = series[st.fundingIdx++] as SimFundingPoint
        if (pt.fundingTimeMs + fundingTolerance < st.lastTimeMs) continue // before the first data point
        chargeFunding(st, pt.rate, markForFunding)
      }
      return
    }
    if (fixedRate === undefined) return
    if (st.nextFixedFundingMs === undefined) st.nextFixedFundingMs = Math.ceil((timeMs - fundingTolerance) / fundingInterval) * fundingInterval
    while (st.nextFixedFundingMs <= horizon) {
      chargeFunding(st, fixedRate, markForFunding)
      st.nextFixedFundingMs += fundingInterval
    }
  }
  const chargeFunding = (st: SymbolState, rate: number, mark: number | undefined): void => {
    const p = st.position
    if (p === null || mark === undefined) return
    const cost = fundingCost({ contract: st.ins, side: p.side, qty: p.qty, markPrice: mark, fundingRate: rate })
    const amount = cost === 0 ? 0 : -cost
    const asset = st.ins.settle
    wallets.set(asset, (wallets.get(asset) ?? 0) + amount)
    recomputeLiq(asset)
    const now = clock.now()
    emit({ type: 'funding', timestampMs: now, symbol: st.ins.symbol, rate, amount, asset })
    emit({ type: 'balance', timestampMs: now, balance: balanceOf(asset) })
  }

  // ------------------------------------------------------------------ market data
  const budgetFor = (volume: number): { qty: number } => ({ qty: participation === undefined ? Number.POSITIVE_INFINITY : participation * volume })
  const LAST = { last: true, mark: false } as const
  const MARK = { last: false, mark: true } as const
  const BOTH = { last: true, mark: true } as const

  const afterPrices = (st: SymbolState): void => {
    if (crossCount(st.ins.settle) > 1) recomputeLiq(st.ins.settle)
  }

  const applyCandle = ({ symbol, candle }: { readonly symbol: string; readonly candle: Candle }): void => {
    const st = sym(symbol)
    checkCandle(candle)
    stream.poll()
    const t = candle.openTimeMs
    if (t < st.lastTimeMs) throw new InvalidInputError(`candle at ${t} is older than the last update ${st.lastTimeMs}`, { path: 'candle.openTimeMs' })
    const follow = markMode === 'follow-last'
    const src = follow ? BOTH : LAST
    if (st.lastTimeMs === Number.NEGATIVE_INFINITY) st.lastTimeMs = t
    settleFunding(st, t, follow ? candle.open : (st.markPrice ?? candle.open))
    st.lastTimeMs = t
    const budget = budgetFor(candle.volume)
    const { open, high, low, close } = candle
    // fast path: nothing can happen inside the bar
    if (st.orders.length === 0 && st.position === null) {
      st.lastPrice = close
      if (follow) st.markPrice = close
      return
    }
    sweep(st, open, src, false, budget)
    if (high - open < open - low) {
      sweep(st, high, src, true, budget)
      sweep(st, low, src, true, budget)
    } else {
      sweep(st, low, src, true, budget)
      sweep(st, high, src, true, budget)
    }
    sweep(st, close, src, true, budget)
    afterPrices(st)
  }

  const applyTrade = ({ symbol, trade }: { readonly symbol: string; readonly trade: TradeTick }): void => {
    const st = sym(symbol)
    if (!(Number.isFinite(trade.price) && trade.price > 0)) throw new InvalidInputError('must be > 0', { path: 'trade.price' })
    if (!(Number.isFinite(trade.qty) && trade.qty > 0)) throw new InvalidInputError('must be > 0', { path: 'trade.qty' })
    if (!Number.isInteger(trade.timestampMs) || trade.timestampMs < st.lastTimeMs) throw new InvalidInputError('must be an integer not older than the last update', { path: 'trade.timestampMs' })
    stream.poll()
    const follow = markMode === 'follow-last'
    if (st.lastTimeMs === Number.NEGATIVE_INFINITY) st.lastTimeMs = trade.timestampMs
    settleFunding(st, trade.timestampMs, follow ? trade.price : (st.markPrice ?? trade.price))
    st.lastTimeMs = trade.timestampMs
    if (st.orders.length === 0 && st.position === null) {
      st.lastPrice = trade.price
      if (follow) st.markPrice = trade.price
      return
    }
    sweep(st, trade.price, follow ? BOTH : LAST, false, budgetFor(trade.qty))
    afterPrices(st)
  }

  const setMarkPrice = ({ symbol, markPrice, timestampMs }: { readonly symbol: string; readonly markPrice: number; readonly timestampMs: number }): void => {
    const st = sym(symbol)
    if (!(Number.isFinite(markPrice) && markPrice > 0)) throw new InvalidInputError('must be > 0', { path: 'markPrice' })
    if (!Number.isInteger(timestampMs) || timestampMs < st.lastTimeMs) throw new InvalidInputError('must be an integer not older than the last update', { path: 'timestampMs' })
    stream.poll()
    if (st.lastTimeMs === Number.NEGATIVE_INFINITY) st.lastTimeMs = timestampMs
    // funding due strictly before this update was valued at the previous mark; one due now at the new mark
    settleFunding(st, timestampMs - fundingTolerance - 1, st.markPrice)
    settleFunding(st, timestampMs, markPrice)
    st.lastTimeMs = timestampMs
    sweep(st, markPrice, MARK, false, { qty: 0 })
    afterPrices(st)
  }

  // ------------------------------------------------------------------ orders
  const newOrder = (
    st: SymbolState,
    r: Pick<OrderRequest, 'clientOrderId' | 'side' | 'type' | 'qty'> & Partial<Pick<OrderRequest, 'price' | 'triggerPrice' | 'triggerPriceType' | 'timeInForce' | 'reduceOnly' | 'closePosition' | 'trailing'>>,
  ): SimOrder => {
    const now = clock.now()
    const seq = ++orderSeq
    const conditional = isConditionalOrderType(r.type)
    const o: SimOrder = {
      seq,
      symbol: st.ins.symbol,
      clientOrderId: r.clientOrderId,
      venueOrderId: String(1_000_000 + seq),
      kind: st.ins.kind,
      contractSize: st.ins.contractSize,
      side: r.side,
      type: r.type,
      status: conditional ? 'untriggered' : 'open',
      qty: r.qty,
      filledQty: 0,
      filledValue: 0,
      price: r.price,
      triggerPrice: r.triggerPrice,
      triggerPriceType: conditional ? (r.triggerPriceType ?? 'last') : undefined,
      dir: triggerDirection(r),
      watchesLast: (r.triggerPriceType ?? 'last') === 'last',
      timeInForce: r.timeInForce ?? 'GTC',
      reduceOnly: r.reduceOnly ?? false,
      closePosition: r.closePosition ?? false,
      trailing: r.trailing,
      createdAtMs: now,
      updatedAtMs: now,
      rejectReason: undefined,
      untriggered: conditional,
      active: false,
      extreme: Number.NaN,
      exhaustedIn: 0,
    }
    return o
  }

  const createOrderNow = (request: OrderRequest): Order => {
    const raw = request as unknown as Record<string, unknown>
    const st = sym(raw.symbol)
    if (positionMode === 'hedge') throw err('position-mode-mismatch')
    const cid = raw.clientOrderId
    if (typeof cid !== 'string' || !profile.clientOrderIdPattern.test(cid)) throw err('invalid-client-order-id', { ...(typeof cid === 'string' ? { clientOrderId: cid } : {}) })
    const req = validateOrderRequest({ request, instrument: st.ins, ...(st.lastPrice === undefined ? {} : { referencePrice: st.lastPrice }) })
    if (openByKey.has(key(req.symbol, req.clientOrderId))) throw err('duplicate-client-order-id', { clientOrderId: req.clientOrderId })
    const conditional = isConditionalOrderType(req.type)
    const p = st.position
    if (!conditional && req.reduceOnly === true) {
      const reduces = p !== null && (p.side === 'long') !== (req.side === 'buy')
      if (!reduces) throw err('reduce-only-rejected', { clientOrderId: req.clientOrderId })
    }
    if (conditional) {
      const ref = refPrice(st, req.triggerPriceType)
      const dir = triggerDirection(req)
      const trailing = req.type === 'trailing-stop'
      const lvl = trailing ? req.trailing?.activationPrice : req.triggerPrice
      // a trigger fires in `dir`; a trailing activation is reached from the other side (sell: price rises to it)
      const reached = ref !== undefined && lvl !== undefined && ((dir === 'rising') !== trailing ? ref >= lvl : ref <= lvl)
      if (ref !== undefined && lvl !== undefined && reached) {
        // trailing activation "already reached" only rejects on Binance; Bybit activates at once
        if (req.type !== 'trailing-stop' || profile.id === 'binance-usdm') {
          throw err((dir === 'rising') !== trailing ? 'would-trigger-rising' : 'would-trigger-falling', {
            triggerPrice: lvl,
            currentPrice: ref,
            triggerBy: req.triggerPriceType ?? 'last',
            clientOrderId: req.clientOrderId,
          })
        }
      }
    }
    if (req.type === 'market' && st.lastPrice === undefined) throw new PerpkitError('invalid-state', `no market price for ${req.symbol} yet: feed market data before a market order`)
    if (req.timeInForce === 'post-only' && profile.postOnlyCross === 'reject' && st.lastPrice !== undefined && latencyMs === 0) {
      const px = req.price as number
      if (req.side === 'buy' ? px >= st.lastPrice : px <= st.lastPrice) throw err('post-only-rejected', { clientOrderId: req.clientOrderId })
    }
    if (!conditional && req.reduceOnly !== true) {
      const open = openingQty(st, req.side, req.qty)
      const px = req.price ?? st.lastPrice
      if (open > 0 && px !== undefined) {
        const need = initialMargin({ contract: st.ins, qty: open, price: px, leverage: st.leverage }) + fee({ contract: st.ins, qty: open, price: px, feeRate: Math.max(0, st.ins.takerFeeRate) })
        if (need > balanceOf(st.ins.settle).available + 1e-12) throw err('insufficient-margin', { clientOrderId: req.clientOrderId })
      }
    }
    const o = newOrder(st, req)
    openByKey.set(key(o.symbol, o.clientOrderId), o)
    st.orders.push(o)
    emit({ type: 'order', timestampMs: clock.now(), order: toOrder(o) })
    if (latencyMs > 0) {
      clock.setTimer(latencyMs, () => {
        if (!TERMINAL.has(o.status)) activate(st, o)
      })
    } else activate(st, o)
    return toOrder(o)
  }

  const findOpen = (ref: OrderRef): { st: SymbolState; o: SimOrder | undefined } => {
    const raw = ref as unknown as Record<string, unknown>
    const st = sym(raw.symbol)
    if (typeof raw.clientOrderId !== 'string' || raw.clientOrderId.length === 0) throw new InvalidInputError('must be a non-empty string', { path: 'clientOrderId' })
    return { st, o: openByKey.get(key(st.ins.symbol, raw.clientOrderId)) }
  }

  const cancelNow = (ref: OrderRef): Order => {
    const { st, o } = findOpen(ref)
    if (o === undefined) throw err('unknown-order-cancel', { clientOrderId: ref.clientOrderId })
    closeOrder(st, o, 'canceled')
    emit({ type: 'order', timestampMs: clock.now(), order: toOrder(o) })
    return toOrder(o)
  }

  const amendNow = (request: AmendRequest): Order => {
    const { st, o } = findOpen(request)
    const ins = st.ins
    for (const f of ['qty', 'price', 'triggerPrice'] as const) {
      const v = request[f]
      if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new InvalidInputError('must be a finite number > 0', { path: f })
    }
    if (request.qty === undefined && request.price === undefined && request.triggerPrice === undefined) throw new InvalidInputError('an amend must change qty, price or triggerPrice', { path: 'qty' })
    if (o === undefined) throw err('unknown-order-amend', { clientOrderId: request.clientOrderId })
    if (o.untriggered && !profile.capabilities.amendConditionalOrder) {
      throw new PerpkitError('not-supported', `${profile.id} cannot amend conditional orders; cancel and replace`, { details: { clientOrderId: o.clientOrderId } })
    }
    if (request.triggerPrice !== undefined && (o.triggerPrice === undefined || !o.untriggered)) throw new InvalidInputError('only an untriggered stop / take-profit order has a trigger price to amend', { path: 'triggerPrice' })
    if (request.price !== undefined && o.price === undefined) throw new InvalidInputError(`a ${o.type} order has no price`, { path: 'price' })
    if (request.price !== undefined && !isOnStep({ value: request.price, step: ins.tickSize })) throw new InvalidInputError(`price ${request.price} is not a multiple of tick ${ins.tickSize}`, { path: 'price' })
    if (request.triggerPrice !== undefined && !isOnStep({ value: request.triggerPrice, step: ins.tickSize })) throw new InvalidInputError(`triggerPrice ${request.triggerPrice} is not a multiple of tick ${ins.tickSize}`, { path: 'triggerPrice' })
    if (request.qty !== undefined) {
      if (!isOnStep({ value: request.qty, step: ins.lotStep })) throw new InvalidInputError(`qty ${request.qty} is not a multiple of lot step ${ins.lotStep}`, { path: 'qty' })
      if (request.qty <= o.filledQty + 1e-12) throw err('amend-qty-not-above-filled', { clientOrderId: o.clientOrderId })
    }
    if (request.triggerPrice !== undefined) {
      const ref = refPrice(st, o.triggerPriceType)
      const dir = triggerDirection(o)
      if (ref !== undefined && (dir === 'rising' ? ref >= request.triggerPrice : ref <= request.triggerPrice)) {
        throw err(dir === 'rising' ? 'would-trigger-rising' : 'would-trigger-falling', { triggerPrice: request.triggerPrice, currentPrice: ref, triggerBy: o.triggerPriceType ?? 'last' })
      }
    }
    const newPrice = request.price ?? o.price
    if (o.timeInForce === 'post-only' && newPrice !== undefined && st.lastPrice !== undefined && (o.side === 'buy' ? newPrice >= st.lastPrice : newPrice <= st.lastPrice)) {
      throw err('post-only-rejected', { clientOrderId: o.clientOrderId })
    }
    if (request.qty !== undefined) o.qty = request.qty
    if (request.price !== undefined) o.price = request.price
    if (request.triggerPrice !== undefined) o.triggerPrice = request.triggerPrice
    o.updatedAtMs = clock.now()
    emit({ type: 'order', timestampMs: clock.now(), order: toOrder(o) })
    if (o.active && !o.untriggered && o.price !== undefined && st.lastPrice !== undefined && isMarketable(o, st.lastPrice)) takeLiquidity(st, o, st.lastPrice)
    return toOrder(o)
  }

  const setLeverageNow = (args: { readonly symbol: string; readonly leverage: number }): void => {
    const st = sym(args.symbol)
    const lev = args.leverage
    if (typeof lev !== 'number' || !Number.isFinite(lev) || lev <= 0) throw new InvalidInputError('must be a finite number > 0', { path: 'leverage' })
    if (lev < 1 || lev > st.ins.maxLeverage || !isOnStep({ value: lev, step: profile.leverageStep })) throw err('invalid-leverage', { leverage: lev })
    st.leverage = lev
    if (st.position !== null) recomputeLiq(st.ins.settle)
  }

  const setMarginModeNow = (args: { readonly symbol: string; readonly marginMode: MarginMode }): void => {
    const st = sym(args.symbol)
    if (args.marginMode !== 'isolated' && args.marginMode !== 'cross') throw new InvalidInputError("must be 'isolated' or 'cross'", { path: 'marginMode' })
    if (args.marginMode === st.marginMode) return
    if (st.position !== null) throw err('margin-mode-with-position')
    st.marginMode = args.marginMode
  }

  // ------------------------------------------------------------------ call wrapper with faults + call log
  const record = (c: Omit<SimCall, 'seq' | 'atMs'>): void => {
    calls.push({ seq: calls.length + 1, atMs: clock.now(), ...c })
  }
  const faultError = (spec: CallFaultSpec): PerpkitError => {
    switch (spec.kind) {
      case 'reject':
        return new PerpkitError(spec.code ?? 'venue-rejected', spec.message ?? 'injected rejection', {
          ...(spec.venueCode === undefined ? {} : { venueCode: spec.venueCode }),
          retryable: false,
          details: { injected: true },
        })
      case 'network':
        return new PerpkitError('network', 'connect ECONNREFUSED (injected)', { details: { injected: true } })
      case 'timeout-before':
      case 'timeout-after-accept':
        return err('timeout')
      case 'http-5xx-after-accept':
        return err('server-error')
      case 'rate-limited':
        return err('rate-limited', { retryAfterMs: spec.retryAfterMs ?? 1_000 })
      case 'ip-banned': {
        const retryAfterMs = spec.retryAfterMs ?? 60_000
        bannedUntilMs = clock.now() + retryAfterMs
        return err('ip-banned', { retryAfterMs, untilMs: bannedUntilMs })
      }
      case 'clock-skew':
        return err('clock-skew')
    }
  }
  const call = <T>(method: SimMethod | 'setPositionMode', args: unknown, fn: () => T): Promise<T> => {
    stream.poll()
    const cloned = jsonClone(args)
    const fail = (e: unknown, reachedVenue: boolean, fault?: CallFaultSpec['kind']): Promise<T> => {
      const pe = isPerpkitError(e) ? e : undefined
      record({
        method,
        args: cloned,
        outcome: 'error',
        ...(pe === undefined ? {} : { errorCode: pe.code }),
        ...(pe?.venueCode === undefined ? {} : { venueCode: pe.venueCode }),
        ...(fault === undefined ? {} : { fault }),
        reachedVenue,
      })
      return Promise.reject(e)
    }
    if (clock.now() < bannedUntilMs) return fail(err('ip-banned', { retryAfterMs: bannedUntilMs - clock.now(), untilMs: bannedUntilMs }), false)
    const chosen = method === 'setPositionMode' ? undefined : faults.takeCallFault(method)
    if (chosen !== undefined) {
      const kind = chosen.spec.kind
      if (kind === 'timeout-after-accept' || kind === 'http-5xx-after-accept') {
        try {
          fn()
        } catch {
          // the caller only sees the timeout / 5xx either way
        }
        return fail(faultError(chosen.spec), true, kind)
      }
      return fail(faultError(chosen.spec), false, kind)
    }
    try {
      const value = fn()
      record({ method, args: cloned, outcome: 'ok', reachedVenue: true })
      return Promise.resolve(value)
    } catch (e) {
      return fail(e, isPerpkitError(e) && e.venueCode !== undefined, undefined)
    }
  }

  const positionsList = (filter?: readonly string[]): Position[] => {
    const out: Position[] = []
    for (const st of symbols.values()) {
      if (filter !== undefined && !filter.includes(st.ins.symbol)) continue
      const p = toPosition(st)
      if (p !== null) out.push(p)
    }
    return out
  }
  const openOrdersList = (symbol?: string): Order[] => {
    const out: Order[] = []
    for (const st of symbols.values()) {
      if (symbol !== undefined && st.ins.symbol !== symbol) continue
      for (const o of st.orders) out.push(toOrder(o))
    }
    return out
  }
  const balancesList = (): Balance[] => {
    const out: Balance[] = []
    for (const asset of [...wallets.keys()].sort()) {
      const b = balanceOf(asset)
      if (b.total !== 0 || b.unrealizedPnl !== 0) out.push(b)
    }
    return out
  }

  const venue: SimVenue = {
    venue: profile.venue,
    capabilities: profile.capabilities,
    faults,
    loadInstruments: () => call('loadInstruments', undefined, () => instruments.slice()),
    fetchBalances: () => call('fetchBalances', undefined, balancesList),
    fetchPositions: (filter) => call('fetchPositions', filter, () => positionsList(filter)),
    fetchOpenOrders: (symbol) =>
      call('fetchOpenOrders', symbol, () => {
        if (symbol !== undefined) sym(symbol)
        return openOrdersList(symbol)
      }),
    fetchOrder: (ref) =>
      call('fetchOrder', ref, () => {
        const { st, o } = findOpen(ref)
        const found = o ?? closed.get(key(st.ins.symbol, ref.clientOrderId))
        return found === undefined ? null : toOrder(found)
      }),
    fetchFills: (query: FillQuery) =>
      call('fetchFills', query, () => {
        const st = sym(query.symbol)
        const since = query.sinceMs
        let from = 0
        if (since !== undefined) {
          let lo = 0
          let hi = st.fills.length
          while (lo < hi) {
            const mid = (lo + hi) >> 1
            if ((st.fills[mid] as Fill).timestampMs < since) lo = mid + 1
            else hi = mid
          }
          from = lo
        }
        const limit = query.limit
        if (limit === undefined) return st.fills.slice(from)
        return since === undefined ? st.fills.slice(Math.max(0, st.fills.length - limit)) : st.fills.slice(from, from + limit)
      }),
    createOrder: (request) => call('createOrder', request, () => createOrderNow(request)),
    amendOrder: (request) => call('amendOrder', request, () => amendNow(request)),
    cancelOrder: (ref) => call('cancelOrder', ref, () => cancelNow(ref)),
    setLeverage: (args) => call('setLeverage', args, () => setLeverageNow(args)),
    setMarginMode: (args) => call('setMarginMode', args, () => setMarginModeNow(args)),
    getPositionMode: () => call('getPositionMode', undefined, () => positionMode),
    fetchServerTime: () => call('fetchServerTime', undefined, () => clock.now() + serverOffset),
    subscribeUserStream: (listener) => {
      const unsubscribe = stream.subscribe(listener)
      return unsubscribe
    },
    setPositionMode: ({ mode }) =>
      call('setPositionMode', { mode }, () => {
        if (mode !== 'one-way' && mode !== 'hedge') throw new InvalidInputError("must be 'one-way' or 'hedge'", { path: 'mode' })
        if (mode === positionMode) return
        for (const st of symbols.values()) {
          if (st.position !== null || st.orders.length > 0) throw err('position-mode-with-position')
        }
        positionMode = mode
      }),
    applyCandle,
    applyTrade,
    setMarkPrice,
    callLog: () => calls,
    eventLog: () => stream.log(),
    eventLogHash: () => stream.hash(),
    state: () => ({
      balances: Object.fromEntries([...wallets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      positions: positionsList(),
      openOrders: openOrdersList(),
    }),
    balancesNow: balancesList,
  }
  const client: ExchangeClient = venue
  void client
  return venue
}

function nonNeg(v: number, path: string): number {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new InvalidInputError('must be a finite number >= 0', { path })
  return v
}
function pos(v: number, path: string): number {
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new InvalidInputError('must be a finite number > 0', { path })
  return v
}
function checkSeries(series: readonly SimFundingPoint[], symbol: string): readonly SimFundingPoint[] {
  let prev = Number.NEGATIVE_INFINITY
  series.forEach((p, i) => {
    if (!(Number.isInteger(p.fundingTimeMs) && p.fundingTimeMs > prev)) throw new InvalidInputError('funding times must be increasing integers', { path: `funding.rates[${i}].fundingTimeMs` })
    if (!(Number.isFinite(p.rate) && Math.abs(p.rate) < 1)) throw new InvalidInputError(`invalid funding rate for ${symbol}`, { path: `funding.rates[${i}].rate` })
    prev = p.fundingTimeMs
  })
  return series.slice()
}
function checkCandle(c: Candle): void {
  const { open, high, low, close, volume, openTimeMs } = c
  if (!(open > 0 && high > 0 && low > 0 && close > 0 && Number.isFinite(high) && Number.isFinite(open) && Number.isFinite(close) && Number.isFinite(low))) {
    throw new InvalidInputError('candle prices must be finite and > 0', { path: 'candle' })
  }
  if (!(volume >= 0 && Number.isFinite(volume))) throw new InvalidInputError('must be a finite number >= 0', { path: 'candle.volume' })
  if (!Number.isInteger(openTimeMs) || openTimeMs < 0) throw new InvalidInputError('must be an integer epoch ms', { path: 'candle.openTimeMs' })
  if (high < Math.max(open, close) || low > Math.min(open, close)) throw new InvalidInputError('OHLC inconsistent (high/low do not bound open/close)', { path: 'candle' })
}
