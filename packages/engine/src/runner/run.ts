/**
 * The one event flow, shared by backtest and paper: market data → emergency checks → venue events →
 * strategy intents → two-chamber decision (risk) → sizing → OMS → venue port.
 * @module
 */
import { type Instrument, InvalidInputError, roundPrice, type PositionSide, type TestClock, type Timeframe, timeframeMs, type UserStreamEvent } from '@perpkit/core'
import type { OrderManager } from '@perpkit/oms'
import { parseClientOrderId } from '@perpkit/oms'
import type { Decision } from '@perpkit/risk'
import type { SimVenue } from '@perpkit/sim'
import { createCandleAggregator } from '@perpkit/strategy'
import { candleAt, type CandleColumns } from '../data/candles.js'
import { tradeAt, type TradeColumns } from '../data/trades.js'
import { computeMetrics } from '../results/metrics.js'
import type { RunMeta, RunResult, TradeDecisionRef, TradeRecord } from '../results/types.js'
import { createTradeLedger } from './ledger.js'
import type { RiskChamber } from './risk-chamber.js'
import { sizeEntry, type SizingPolicy } from './sizing.js'
import type { DailyRollup, EngineEvent, EngineIntent, EnginePositionView, EngineStrategy } from './types.js'

/** When orders decided on a bar's close reach the venue. */
export type ExecutionTiming = 'next-open' | 'on-close'

/** Options of {@link runSession}. */
export interface RunSessionOptions {
  readonly meta: Omit<RunMeta, 'bars'>
  readonly symbol: string
  readonly instrument: Instrument
  readonly timeframe: Timeframe
  readonly candles: CandleColumns
  readonly strategy: EngineStrategy
  /** A simulated venue (backtest / paper). */
  readonly venue: SimVenue
  /** The virtual clock the venue and OMS were created with. */
  readonly clock: TestClock
  /** An order manager over `venue` (created with `tradingState` reading `risk`). */
  readonly oms: OrderManager
  readonly risk: RiskChamber
  readonly sizing: SizingPolicy
  readonly leverage: number
  /** Stop distance (fraction of price) for entries whose intent has no stop. */
  readonly defaultStopPct: number
  /** `next-open` (default): decided on the close, sent at the next bar's opening price. `on-close`: sent at once. */
  readonly timing?: ExecutionTiming
  /** Bars before this index are fed to the strategy with `warmingUp: true` and their intents ignored. */
  readonly warmupBars?: number
  readonly onEvent?: (event: EngineEvent) => void
  readonly onProgress?: (done: number, total: number) => void
  /**
   * Called before each bar, and before each tick when `tickMs` is set (paper mode paces the replay in real time
   * here). `timeMs` is the virtual time about to be reached.
   */
  readonly pace?: (args: { readonly index: number; readonly openTimeMs: number; readonly timeMs: number }) => Promise<void>
  /**
   * A trade tape merged by time with the candles: within a bar that has trades the venue is fed the trades (the
   * finer price path) instead of the candle, and `strategy.onTrade` sees each one; orders decided on a trade meet
   * the market at the next trade.
   */
  readonly trades?: TradeColumns
  /** Paper: advance the virtual clock in steps of `tickMs` inside each bar (001's 1 s tick loop) so timers run as live. */
  readonly tickMs?: number
  /** Keep OHLC bars in the result for charts (default true). */
  readonly recordBars?: boolean
  /** Stop after this many bars (paper sessions). */
  readonly maxBars?: number
  /** Venue latency reported to the emergency checks (the simulator's configured latency; default 0). */
  readonly venueLatencyMs?: number
  /** Forward OMS and risk events as `oms` / `risk` engine events (default false: they are many). */
  readonly forwardLibraryEvents?: boolean
}

interface Pending {
  readonly kind: 'enter' | 'exit' | 'partial-exit' | 'move-stop'
  readonly side?: PositionSide
  /** `partial-exit`: fraction of the position current when it executes. */
  readonly fraction?: number
  readonly qty?: number
  readonly stopPrice?: number
  readonly takeProfitPrice?: number
  readonly signalId: string
  readonly decision?: TradeDecisionRef
  readonly reason?: string
}

const ref = (d: Decision): TradeDecisionRef => ({ id: d.id, action: d.action, signature: d.signature, reasons: d.verdict.reasons.map((r) => r.code) })

/**
 * Run a strategy over candles through the simulated venue and the OMS, bar by bar, and collect the result.
 * The same code path serves backtests (clock advanced as fast as possible) and paper sessions (`pace`).
 *
 * @param options - see {@link RunSessionOptions}.
 * @returns the run result (equity curve, trades, HALT periods, metrics, bars).
 * @throws InvalidInputError for empty data; PerpkitError from the OMS start (reconciliation) or the venue.
 * @example
 * ```ts
 * const result = await runSession({ meta, symbol, instrument, timeframe: '5m', candles, strategy, venue, clock, oms, risk,
 *   sizing: { mode: 'fixed-qty', qty: 1 }, leverage: 1, defaultStopPct: 0.5 })
 * console.log(result.metrics.totalReturn)
 * ```
 */
export async function runSession(options: RunSessionOptions): Promise<RunResult> {
  const { symbol, instrument: ins, candles: cols, strategy, venue, clock, oms, risk } = options
  const total = options.maxBars === undefined ? cols.length : Math.min(cols.length, options.maxBars)
  if (total === 0) throw new InvalidInputError('no candles to run on', { path: 'candles' })
  const tfMs = timeframeMs(options.timeframe)
  const timing = options.timing ?? 'next-open'
  const emit = options.onEvent ?? (() => {})
  const settle = ins.settle
  const linear = ins.kind === 'linear'
  const cs = ins.contractSize
  const ledger = createTradeLedger({ contractSize: cs, kind: ins.kind })
  const recordBars = options.recordBars ?? true
  const warmup = options.warmupBars ?? 0

  // ---- account view, kept from venue events (no per-bar venue calls)
  let balanceTotal = 0
  let position: { side: PositionSide; qty: number; entryPrice: number; openedAtMs: number } | null = null
  let lastPrice = cols.open[0] as number
  let entryDecision: TradeDecisionRef | undefined
  let exitDecision: TradeDecisionRef | undefined
  let entryRef: number | undefined
  let exitRef: number | undefined
  let venueActivity = false
  /** The strategy's (immutable) view of the position, rebuilt only when a position event changes it. */
  let posView: EnginePositionView | null | undefined
  const onVenue = (e: UserStreamEvent): void => {
    venueActivity = true
    switch (e.type) {
      case 'balance':
        if (e.balance.asset === settle) balanceTotal = e.balance.total
        break
      case 'position':
        if (e.symbol !== symbol) break
        posView = undefined
        position =
          e.position === null
            ? null
            : { side: e.position.side, qty: e.position.qty, entryPrice: e.position.entryPrice, openedAtMs: position?.openedAtMs ?? e.timestampMs }
        break
      case 'fill': {
        if (e.fill.symbol !== symbol) break
        emit({ type: 'fill', timeMs: e.timestampMs, fill: e.fill })
        // who caused the fill comes through the port; the client id only tells the role of our own orders
        const origin = e.fill.origin ?? 'user'
        const parsed = origin === 'user' ? parseClientOrderId(e.fill.clientOrderId) : null
        const role = parsed?.role
        const reason: TradeRecord['exitReason'] =
          origin === 'liquidation' ? 'liquidation' : parsed === null ? 'other' : role === 'stop' ? 'stop' : role === 'take-profit' ? 'take-profit' : role === 'exit' ? 'signal' : role === 'flatten' ? 'halt' : 'signal'
        const isEntry = role === 'entry'
        // the strategy's own closes: a full exit or a partial one (`reduce`), both booked as 'signal' exits
        const isExitOrder = role === 'exit' || role === 'reduce'
        const done = ledger.applyFill({
          fill: e.fill,
          ...(isEntry ? (entryRef !== undefined ? { referencePrice: entryRef } : {}) : isExitOrder && exitRef !== undefined ? { referencePrice: exitRef } : {}),
          ...(isEntry ? (entryDecision !== undefined ? { decision: entryDecision } : {}) : exitDecision !== undefined && isExitOrder ? { decision: exitDecision } : {}),
          ...(isEntry ? {} : { reason }),
        })
        if (isEntry) risk.recordEntry()
        if (done !== null) {
          tradesClosedToday++
          risk.recordExit({ pnlUsd: done.netPnl, exitKind: done.exitReason === 'stop' ? 'stop-loss' : done.exitReason === 'take-profit' ? 'take-profit' : done.exitReason === 'liquidation' ? 'liquidation' : 'other' })
          emit({ type: 'trade', timeMs: e.timestampMs, trade: done })
          exitDecision = undefined
        }
        if (origin === 'liquidation') {
          const tr = risk.recordLiquidation({ timeMs: e.timestampMs, detail: `${symbol} ${e.fill.side} ${e.fill.qty} @ ${e.fill.price} by the venue` })
          if (tr !== null) emit({ type: 'halt', timeMs: e.timestampMs, transition: { ...tr, context: { ...tr.context, position: view(), equity: balanceTotal, omsStatus: oms.status() } } })
        }
        break
      }
      case 'funding':
        if (e.symbol === symbol) {
          ledger.applyFunding({ symbol, amount: e.amount })
          fundingToday += -e.amount
        }
        break
      default:
        break
    }
  }
  const unsubVenue = venue.subscribeUserStream(onVenue)
  const unsubs: (() => void)[] = [unsubVenue]
  if (options.forwardLibraryEvents === true) {
    unsubs.push(oms.subscribe((event) => emit({ type: 'oms', timeMs: clock.now(), event })))
    unsubs.push(risk.subscribe((event) => emit({ type: 'risk', timeMs: clock.now(), event })))
  }
  for (const b of await venue.fetchBalances()) if (b.asset === settle) balanceTotal = b.total
  const initialBalance = balanceTotal
  // the guard needs an equity before the first decision (a trade-driven strategy may decide before any bar closes)
  risk.updateEquity(linear ? initialBalance : initialBalance * (cols.open[0] as number))
  await venue.setLeverage({ symbol, leverage: options.leverage })
  const startReport = await oms.start()
  if (!startReport.ok) throw new InvalidInputError('the OMS could not reconcile with the venue at start-up', { path: 'oms' })

  const equityAt = (price: number): number => {
    if (position === null) return balanceTotal
    const dir = position.side === 'long' ? 1 : -1
    const upnl = linear ? dir * (price - position.entryPrice) * position.qty * cs : dir * position.qty * cs * (1 / position.entryPrice - 1 / price)
    return balanceTotal + upnl
  }
  const equityUsd = (price: number): number => (linear ? equityAt(price) : equityAt(price) * price)

  const drain = async (): Promise<void> => {
    for (let k = 0; k < 200 && oms.inFlight() > 0; k++) await Promise.resolve()
  }

  const curveT: number[] = []
  const curveE: number[] = []
  const bars = { timeMs: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[] }
  let pending: Pending[] = []
  // daily rollup
  let dayKey = ''
  let dayStartEquity = equityAt(lastPrice)
  let tradesClosedToday = 0
  let fundingToday = 0
  let feesAtDayStart = 0
  const feesSoFar = (): number => ledger.trades().reduce((a, t) => a + t.fees, 0)
  const rollDay = (timeMs: number, equityEnd: number): void => {
    const fees = feesSoFar()
    const rollup: DailyRollup = {
      day: dayKey,
      equityStart: dayStartEquity,
      equityEnd,
      pnl: equityEnd - dayStartEquity,
      returnPct: dayStartEquity !== 0 ? ((equityEnd - dayStartEquity) / dayStartEquity) * 100 : 0,
      tradesClosed: tradesClosedToday,
      fees: fees - feesAtDayStart,
      funding: fundingToday,
    }
    emit({ type: 'daily', timeMs, rollup })
    dayStartEquity = equityEnd
    tradesClosedToday = 0
    fundingToday = 0
    feesAtDayStart = fees
  }

  const execute = async (p: Pending): Promise<void> => {
    if (p.kind === 'enter') {
      entryDecision = p.decision
      entryRef = lastPrice
      const r = await oms.submitEntry({
        signalId: p.signalId,
        symbol,
        direction: p.side as PositionSide,
        qty: p.qty as number,
        type: 'market',
        stopPrice: p.stopPrice as number,
        ...(p.takeProfitPrice !== undefined ? { takeProfitPrice: p.takeProfitPrice } : {}),
      })
      if (!r.ok) emit({ type: 'execution-refused', timeMs: clock.now(), action: 'enter', reason: r.reason })
    } else if (p.kind === 'exit') {
      exitDecision = p.decision
      exitRef = lastPrice
      const r = await oms.exit({ symbol, reason: p.reason ?? 'signal' })
      if (!r.ok) emit({ type: 'execution-refused', timeMs: clock.now(), action: 'exit', reason: r.reason })
    } else if (p.kind === 'partial-exit') {
      exitDecision = p.decision
      exitRef = lastPrice
      // fraction of the position current now; the OMS floors it to the lot step, refuses dust, closes all at 1
      const r = await oms.reduce({ symbol, fraction: p.fraction as number, reason: p.reason ?? 'partial-exit' })
      if (!r.ok) emit({ type: 'execution-refused', timeMs: clock.now(), action: 'exit', reason: r.reason })
    } else {
      const r = await oms.moveStop({ symbol, stopPrice: p.stopPrice as number })
      if (!r.ok) emit({ type: 'execution-refused', timeMs: clock.now(), action: 'move-stop', reason: r.reason })
    }
    await drain()
    // fire timers due now (e.g. a zero cooldown after an exit) so a reversal's entry can follow its exit
    clock.advanceTo(clock.now())
    await drain()
  }

  // multi-timeframe: higher timeframes are built from the base candles exactly as the venue does (strategy's aggregator)
  const wanted = strategy.requirements?.timeframes ?? [options.timeframe]
  const aggregator = wanted.some((tf) => tf !== options.timeframe)
    ? createCandleAggregator({ baseTimeframe: options.timeframe, timeframes: [...new Set([options.timeframe, ...wanted])], emitForming: strategy.requirements?.formingBars ?? false })
    : undefined
  let tradeIdx = 0
  let signalSeq = 0
  const wantsTrades = strategy.onTrade !== undefined && strategy.requirements?.trades !== false
  const view = (): EnginePositionView | null => {
    if (posView === undefined) posView = position === null ? null : { side: position.side, qty: position.qty, entryPrice: position.entryPrice, openedAtMs: position.openedAtMs }
    return posView
  }
  const closes: number[] = []
  const k1 = tfMs === 60_000 ? 1 : 0
  const k5 = tfMs <= 300_000 && 300_000 % tfMs === 0 ? 300_000 / tfMs : 0
  /** Percent change of the last close over `k` bars (null when not computable). */
  const changePct = (k: number, close: number): number | null => {
    const n = closes.length
    if (!(k > 0 && n > k)) return null
    const prev = closes[n - 1 - k] as number
    return ((close - prev) / prev) * 100
  }
  const pace = options.pace
  const tape = options.trades
  const tickMs = options.tickMs !== undefined && options.tickMs > 0 ? options.tickMs : 0
  const latencyMs = options.venueLatencyMs ?? 0
  const onProgress = options.onProgress
  const baseTimeframe = options.timeframe
  // UTC day of the current bar as a day number; the ISO day key is only formatted when it changes
  let dayNumber = Number.NaN

  try {
    for (let i = 0; i < total; i++) {
      const candle = candleAt(cols, i)
      const t = candle.openTimeMs
      if (pace !== undefined) await pace({ index: i, openTimeMs: t, timeMs: t })
      if (clock.now() < t) clock.advanceTo(t)
      const dn = Math.floor(t / 86_400_000)
      if (dn !== dayNumber) {
        dayNumber = dn
        const day = new Date(t).toISOString().slice(0, 10)
        if (day !== dayKey) {
          if (dayKey !== '') rollDay(t, equityAt(lastPrice))
          dayKey = day
        }
      }
      // 1. orders decided on the previous close meet the market at this bar's opening print
      if (pending.length > 0) {
        venue.applyTrade({ symbol, trade: { tradeId: `open-${t}`, timestampMs: t, price: candle.open, qty: candle.volume > 0 ? candle.volume : 1, side: 'buy' } })
        lastPrice = candle.open
        oms.onMarkPrice({ symbol, markPrice: candle.open, timestampMs: t })
        const todo = pending
        pending = []
        for (const p of todo) await execute(p)
      }
      // 2. market data: the venue walks the intrabar path (fills, triggers, funding, liquidation) — or the trade tape
      venueActivity = false
      const closeT = t + tfMs
      while (tape !== undefined && tradeIdx < tape.length && (tape.timestampMs[tradeIdx] as number) < t) tradeIdx++
      if (tape !== undefined && tradeIdx < tape.length && (tape.timestampMs[tradeIdx] as number) < closeT) {
        for (; tradeIdx < tape.length && (tape.timestampMs[tradeIdx] as number) < closeT; tradeIdx++) {
          const trade = tradeAt(tape, tradeIdx)
          if (clock.now() < trade.timestampMs) clock.advanceTo(trade.timestampMs)
          venue.applyTrade({ symbol, trade })
          lastPrice = trade.price
          if (pending.length > 0) {
            oms.onMarkPrice({ symbol, markPrice: trade.price, timestampMs: trade.timestampMs })
            const todo = pending
            pending = []
            for (const p of todo) await execute(p)
          } else if (venueActivity || oms.inFlight() > 0) await drain()
          if (wantsTrades && i >= warmup) {
            oms.onMarkPrice({ symbol, markPrice: trade.price, timestampMs: trade.timestampMs })
            const out = strategy.onTrade?.({ symbol, nowMs: trade.timestampMs, position: view(), warmingUp: false }, trade) ?? []
            for (const intent of out) await handleIntent(intent, trade.price, trade.timestampMs, i)
          }
        }
      } else venue.applyCandle({ symbol, candle })
      if (tickMs > 0 && i >= warmup) {
        for (let ts = t + tickMs; ts < closeT; ts += tickMs) {
          if (pace !== undefined) await pace({ index: i, openTimeMs: t, timeMs: ts })
          clock.advanceTo(ts)
          if (oms.inFlight() > 0) await drain()
        }
      }
      clock.advanceTo(closeT)
      lastPrice = candle.close
      oms.onMarkPrice({ symbol, markPrice: candle.close, timestampMs: closeT })
      // 3. emergency checks first
      closes.push(candle.close)
      const eqUsd = equityUsd(candle.close)
      // every chamber call before the next bar's close happens earlier than it: the chamber may defer guard updates
      const nextObservationMs = i + 1 < total ? (cols.openTimeMs[i + 1] as number) + tfMs : null
      const transitions = risk.observe({ timeMs: closeT, change1mPct: changePct(k1, candle.close), change5mPct: changePct(k5, candle.close), equityUsd: eqUsd, latencyMs, nextObservationMs })
      for (const tr of transitions) {
        emit({ type: 'halt', timeMs: closeT, transition: { ...tr, context: { ...tr.context, position: view(), equity: equityAt(candle.close), omsStatus: oms.status() } } })
      }
      // 4. venue events (OMS reactions: protective stops, cancels)
      if (venueActivity || oms.inFlight() > 0) await drain()
      // 5. strategy → decision → sizing → OMS
      const warmingUp = i < warmup
      const ctx = { symbol, nowMs: closeT, position: view(), warmingUp }
      let intents: readonly EngineIntent[]
      if (aggregator === undefined) intents = strategy.onCandle(ctx, { timeframe: baseTimeframe, candle, closed: true, baseBarCount: i + 1 })
      else {
        const all: EngineIntent[] = []
        for (const ev of aggregator.push(candle)) all.push(...strategy.onCandle(ctx, ev))
        intents = all
      }
      if (!warmingUp && intents.length > 0) {
        for (const intent of intents) await handleIntent(intent, candle.close, closeT, i)
      }
      curveT.push(closeT)
      curveE.push(equityAt(candle.close))
      if (recordBars) {
        bars.timeMs.push(t)
        bars.open.push(candle.open)
        bars.high.push(candle.high)
        bars.low.push(candle.low)
        bars.close.push(candle.close)
      }
      if (onProgress !== undefined && (i % 2048 === 0 || i === total - 1)) onProgress(i + 1, total)
    }
  } finally {
    for (const u of unsubs) u()
  }
  const lastClose = cols.close[total - 1] as number
  const endMs = (cols.openTimeMs[total - 1] as number) + tfMs
  rollDay(endMs, equityAt(lastClose))
  const openTrade = ledger.markOpenAtEnd({ symbol, price: lastClose, timeMs: endMs })
  if (openTrade !== null) emit({ type: 'trade', timeMs: endMs, trade: openTrade })
  await oms.stop()
  const trades = ledger.trades()
  const halts = risk.halts()
  const curve = { timeMs: curveT, equity: curveE }
  const initialEquity = initialBalance
  return {
    meta: { ...options.meta, bars: total },
    metrics: computeMetrics({ curve, trades, halts, initialEquity }),
    curve,
    trades,
    halts,
    ...(recordBars ? { bars } : {}),
  }

  async function handleIntent(intent: EngineIntent, close: number, nowMs: number, index: number): Promise<void> {
    // an exit queued earlier in this batch flattens the position before anything after it executes
    const exitQueued = pending.some((p) => p.kind === 'exit')
    const openSide = exitQueued ? null : (position?.side ?? null)
    if (intent.type === 'enter' || intent.type === 'exit') {
      const side: PositionSide = intent.type === 'enter' ? intent.side : (openSide ?? 'long')
      const signalId = `${strategy.id}-${index}-${nowMs}-${signalSeq++}-${intent.type}-${side}`
      const decision = risk.decide({
        proposal: {
          signalId,
          symbol,
          kind: intent.type === 'enter' ? 'entry' : 'exit',
          side,
          confidence: intent.type === 'enter' ? intent.signal.confidence : 1,
          strategy: strategy.id,
          createdAtMs: nowMs,
        },
        openPositionSide: openSide,
        inputs: { close, barOpenTimeMs: nowMs - tfMs, reason: intent.type === 'enter' ? intent.signal.reason : intent.detail },
      })
      if (decision.action === 'skip') {
        emit({ type: 'decision', timeMs: nowMs, decision, sizedQty: null })
        return
      }
      if (decision.action === 'exit') {
        emit({ type: 'decision', timeMs: nowMs, decision, sizedQty: position?.qty ?? null })
        const p: Pending = { kind: 'exit', signalId, decision: ref(decision), reason: intent.type === 'exit' ? intent.reason : 'signal' }
        if (timing === 'on-close') await execute(p)
        else pending.push(p)
        return
      }
      const enter = intent as Extract<EngineIntent, { type: 'enter' }>
      const stopPrice = enter.stopPrice ?? (side === 'long' ? close * (1 - options.defaultStopPct) : close * (1 + options.defaultStopPct))
      const sized = sizeEntry({
        policy: options.sizing,
        instrument: ins,
        price: close,
        stopPrice,
        equity: equityAt(close),
        available: Math.max(0, equityAt(close)),
        leverage: options.leverage,
      })
      if (!sized.ok) {
        emit({ type: 'decision', timeMs: nowMs, decision, sizedQty: null, sizeRefusal: sized.reason })
        return
      }
      emit({ type: 'decision', timeMs: nowMs, decision, sizedQty: sized.qty })
      const p: Pending = {
        kind: 'enter',
        side,
        qty: sized.qty,
        stopPrice: roundStop(stopPrice, side),
        ...(enter.takeProfitPrice !== undefined ? { takeProfitPrice: enter.takeProfitPrice } : {}),
        signalId,
        decision: ref(decision),
      }
      if (timing === 'on-close') await execute(p)
      else pending.push(p)
    } else if (intent.type === 'move-stop') {
      if (position === null) return
      const p: Pending = { kind: 'move-stop', stopPrice: roundStop(intent.stopPrice, position.side), signalId: `${strategy.id}-${index}-${nowMs}-${signalSeq++}-move-stop` }
      if (timing === 'on-close') await execute(p)
      else pending.push(p)
    } else if (intent.type === 'partial-exit') {
      // a partial close is decided by risk like an exit (same decision log), then executed as an OMS reduce
      if (openSide === null) return
      const signalId = `${strategy.id}-${index}-${nowMs}-${signalSeq++}-partial-exit-${openSide}`
      const decision = risk.decide({
        proposal: { signalId, symbol, kind: 'exit', side: openSide, confidence: 1, strategy: strategy.id, createdAtMs: nowMs },
        openPositionSide: openSide,
        inputs: { close, barOpenTimeMs: nowMs - tfMs, reason: intent.detail },
      })
      if (decision.action !== 'exit') {
        emit({ type: 'decision', timeMs: nowMs, decision, sizedQty: null })
        return
      }
      emit({ type: 'decision', timeMs: nowMs, decision, sizedQty: position === null ? null : position.qty * intent.fraction })
      const p: Pending = { kind: 'partial-exit', fraction: intent.fraction, signalId, decision: ref(decision), reason: intent.reason }
      if (timing === 'on-close') await execute(p)
      else pending.push(p)
    }
  }

  function roundStop(price: number, side: PositionSide): number {
    return Math.max(ins.tickSize, roundPrice({ price, tickSize: ins.tickSize, mode: side === 'long' ? 'floor' : 'ceil' }))
  }
}
