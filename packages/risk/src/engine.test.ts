import { createTestClock, type TestClock } from '@perpkit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RiskConfigInput } from './config.js'
import { type AlphaProposal, verifyDecision } from './decision.js'
import { createRiskEngine, type DecisionContext, type RiskEngine } from './engine.js'
import type { RiskEvent } from './events.js'

const T0 = Date.UTC(2025, 6, 1, 2, 0, 0)
const MIN = 60_000
const calm = { priceChange1mPct: -0.5, priceChange5mPct: -1, latencyMs: 150, equityUsd: 150 }

function setup(config: RiskConfigInput = {}) {
  const clock = createTestClock(T0)
  const engine = createRiskEngine({ config, clock })
  const events: RiskEvent[] = []
  engine.subscribe((e) => events.push(e))
  return { clock, engine, events }
}

let seq = 0
function proposal(clock: TestClock, patch: Partial<AlphaProposal> = {}): AlphaProposal {
  seq += 1
  return { signalId: `sig-${seq}`, symbol: 'BTC/USD:BTC', kind: 'entry', side: 'long', confidence: 0.8, strategy: 'grid', createdAtMs: clock.now(), ...patch }
}
function context(clock: TestClock, patch: Partial<DecisionContext> = {}): DecisionContext {
  return {
    equityUsd: 150,
    dataTimeMs: clock.now(),
    atrPct24h: 3.5,
    ev: { expectedProfitUsd: 0.5, feeEstimateUsd: 0.02 },
    liquidity: 'maker',
    openPositionSide: null,
    backtestWinRate: 0.6,
    ...patch,
  }
}
const codes = (engine: RiskEngine, clock: TestClock, p: Partial<AlphaProposal> = {}, c: Partial<DecisionContext> = {}) =>
  engine.decide(proposal(clock, p), context(clock, c)).verdict.reasons.map((r) => r.code)

describe('createRiskEngine', () => {
  it('enters on a clean proposal with stage, leverage and a verifiable signature', () => {
    const { engine, clock, events } = setup()
    engine.observe(calm)
    const d = engine.decide(proposal(clock), context(clock))
    expect(d.action).toBe('enter')
    expect(d.verdict).toMatchObject({ permitted: true, mode: 'ACTIVE', stage: 1, leverage: 3, sizeMultiplier: 1, reasons: [] })
    expect(verifyDecision({ decision: JSON.parse(JSON.stringify(d)) })).toBe(true)
    expect(events.at(-1)).toMatchObject({ type: 'decision-made', action: 'enter' })
  })

  it('inverse equity: equity_btc x mark', () => {
    const { engine, clock } = setup()
    const d = engine.decide(proposal(clock), context(clock, { equityUsd: undefined, equityBtc: 0.005, markPriceUsd: 60_000 }))
    expect(d.verdict.stage).toBe(2)
  })

  it.each<[string, Partial<AlphaProposal>, Partial<DecisionContext>, string[]]>([
    ['stale data', {}, { dataTimeMs: T0 - 5_001 }, ['stale-data']],
    ['data exactly at the max age', {}, { dataTimeMs: T0 - 5_000 }, []],
    ['missing data time', {}, { dataTimeMs: undefined }, ['missing-data']],
    ['missing equity', {}, { equityUsd: undefined }, ['missing-data', 'missing-input']],
    ['low confidence', { confidence: 0.49 }, {}, ['low-confidence']],
    ['insufficient available balance', {}, { availableBalanceUsd: 10, requiredMarginUsd: 12 }, ['insufficient-balance']],
    ['no available balance', {}, { availableBalanceUsd: 0 }, ['insufficient-balance']],
    ['missing ATR', {}, { atrPct24h: undefined }, ['missing-input']],
    ['missing open-position info', {}, { openPositionSide: undefined }, ['missing-input']],
    ['opposite position', {}, { openPositionSide: 'short' }, ['one-way-conflict']],
    ['taker in stage 1', {}, { liquidity: 'taker' }, ['maker-only']],
    ['low EV', {}, { ev: { expectedProfitUsd: 0.039, feeEstimateUsd: 0.02 } }, ['ev-too-low']],
    ['no backtest win rate with < 10 trades', {}, { backtestWinRate: undefined }, ['missing-input']],
  ])('skip reasons: %s', (_l, p, c, expected) => {
    const { engine, clock } = setup()
    expect([...new Set(codes(engine, clock, p, c))]).toEqual(expected)
  })

  it('missing equity reports every affected check', () => {
    const { engine, clock } = setup()
    const reasons = engine.decide(proposal(clock), context(clock, { equityUsd: undefined })).verdict.reasons
    expect(reasons.map((r) => r.message)).toEqual(
      expect.arrayContaining(['equity is missing', 'stage: stage is missing', 'trades-per-day: stage is missing', 'volatility: stage is missing']),
    )
  })

  it('duplicate signal: an executed signal id is skipped afterwards', () => {
    const { engine, clock } = setup()
    const p = proposal(clock)
    const d = engine.decide(p, context(clock))
    engine.recordEntry({ decision: d })
    expect(engine.decide(p, context(clock, { openPositionSide: 'long' })).verdict.reasons.map((r) => r.code)).toEqual(['duplicate-signal'])
    expect(() => engine.recordEntry({ decision: engine.decide(p, context(clock)) })).toThrow(/enter/)
  })

  it('keeps the entry-time stage on the position until exit', () => {
    const { engine, clock } = setup()
    const d = engine.decide(proposal(clock), context(clock, { equityUsd: 299.99 }))
    engine.recordEntry({ decision: d })
    engine.updateEquity({ equityUsd: 320 })
    expect(engine.positionOf('BTC/USD:BTC')).toMatchObject({ stage: 1, side: 'long' })
    const exit = engine.decide(proposal(clock, { kind: 'exit' }), { openPositionSide: 'long' })
    expect(exit).toMatchObject({ action: 'exit', verdict: { stage: 1 } })
    engine.recordExit({ symbol: 'BTC/USD:BTC', pnlUsd: 3, exitKind: 'take-profit' })
    expect(engine.positionOf('BTC/USD:BTC')).toBeNull()
  })

  it('emergency drop: HALT, exits refused too (HALTED allows only cancels/protective stops), auto lift + 30 min cooldown', () => {
    const { engine, clock } = setup()
    expect(engine.observe({ ...calm, priceChange1mPct: -10 }).halted).toBe(true)
    expect(engine.mode()).toBe('HALTED')
    expect(codes(engine, clock)).toContain('halted')
    expect(engine.decide(proposal(clock, { kind: 'exit' }), { openPositionSide: 'long' }).action).toBe('skip')
    for (let m = 1; m <= 6; m++) {
      clock.advance(MIN)
      engine.observe(calm)
    }
    expect(engine.mode()).toBe('ACTIVE')
    expect(codes(engine, clock)).toEqual(['cooldown'])
    clock.advance(30 * MIN)
    expect(codes(engine, clock)).toEqual([])
  })

  it('latency puts the engine in REDUCING: entries skipped, exits allowed', () => {
    const { engine, clock } = setup()
    expect(engine.observe({ ...calm, latencyMs: 5000 }).cancelPendingEntries).toBe(true)
    expect(engine.mode()).toBe('REDUCING')
    expect(codes(engine, clock)).toEqual(['latency'])
    expect(engine.decide(proposal(clock, { kind: 'exit' }), { openPositionSide: 'long' }).action).toBe('exit')
    engine.observe(calm)
    expect(engine.mode()).toBe('ACTIVE')
  })

  it('liquidation: manual-only HALT that calm markets never lift; an operator can', () => {
    const { engine, clock } = setup()
    engine.recordLiquidation({ kind: 'warning' })
    for (let m = 0; m < 60; m++) {
      clock.advance(MIN)
      engine.observe(calm)
    }
    expect(engine.mode()).toBe('HALTED')
    expect(engine.status().holds.map((h) => [h.id, h.liftableBy])).toContainEqual(['emergency', 'manual'])
    expect(engine.lift({ id: 'emergency' }).ok).toBe(true)
    expect(engine.lift({ id: 'final-criteria' }).ok).toBe(true) // liquidation also failed the final criteria
    expect(engine.mode()).toBe('ACTIVE')
  })

  it('reconciliation orphan trips the breaker: skip with breaker-open until manual reset', () => {
    const { engine, clock, events } = setup()
    engine.tripBreaker({ trigger: 'reconciliation', detail: 'orphan position ETH/USD:ETH' })
    expect(codes(engine, clock)).toEqual(['breaker-open'])
    expect(events.some((e) => e.type === 'breaker-tripped')).toBe(true)
    expect(engine.lift({ id: 'breaker' }).ok).toBe(true)
    expect(codes(engine, clock)).toEqual([])
  })

  it('timed breaker resets on its own and lifts the hold', () => {
    const { engine, clock } = setup({ breaker: { resetMode: 'timed', resetAfterMs: 10 * MIN, maxConsecutiveLosses: 2 }, guard: { maxDailyLossPct: 50 } })
    engine.updateEquity({ equityUsd: 150 })
    engine.recordExit({ symbol: 'BTC/USD:BTC', pnlUsd: -1, exitKind: 'manual' })
    engine.recordExit({ symbol: 'BTC/USD:BTC', pnlUsd: -1, exitKind: 'manual' })
    expect(engine.mode()).toBe('HALTED')
    clock.advance(10 * MIN)
    expect(engine.mode()).toBe('ACTIVE')
  })

  it('3 stop-losses: RiskGuard skip; multiplier halves', () => {
    const { engine, clock } = setup({ guard: { maxDailyLossPct: 50 } })
    engine.updateEquity({ equityUsd: 150 })
    for (let i = 0; i < 2; i++) engine.recordExit({ symbol: 'BTC/USD:BTC', pnlUsd: -1, exitKind: 'stop-loss' })
    expect(codes(engine, clock)).toEqual([])
    engine.recordExit({ symbol: 'BTC/USD:BTC', pnlUsd: -1, exitKind: 'stop-loss' })
    const d = engine.decide(proposal(clock), context(clock))
    expect(d.verdict.reasons.map((r) => r.code)).toEqual(['sl-streak'])
    expect(d.verdict.sizeMultiplier).toBe(0.5)
  })

  it.each([
    [9, 'backtest', 1],
    [10, 'soft', 0.5],
    [29, 'soft', 0.5],
  ] as const)('N=%i closed trades (all losses but breaker/guard off): %s gate, size multiplier %d', (n, mode, mult) => {
    const { engine, clock } = setup({ guard: { maxDailyLossPct: 100, maxSlStreak: 1000 }, breaker: { maxLossUsd: 1e9, maxTrades: 1000, maxConsecutiveLosses: 1000 }, sizeMultiplier: { lossStreak: 1000 } })
    engine.updateEquity({ equityUsd: 150 })
    for (let i = 0; i < n; i++) engine.recordExit({ symbol: 'BTC/USD:BTC', pnlUsd: i % 4 === 0 ? 0.1 : -0.1, exitKind: 'manual' })
    const d = engine.decide(proposal(clock), context(clock, { equityUsd: 150 }))
    expect(d.inputs['derived']).toMatchObject({ winRate: { mode } })
    expect(d.verdict.sizeMultiplier).toBe(mult)
  })

  it('N=30 closed trades with a live win rate < 45 % -> manual HALT', () => {
    const { engine, clock } = setup({ guard: { maxDailyLossPct: 100, maxSlStreak: 1000 }, breaker: { maxLossUsd: 1e9, maxTrades: 1000, maxConsecutiveLosses: 1000 } })
    engine.updateEquity({ equityUsd: 150 })
    for (let i = 0; i < 29; i++) engine.recordExit({ symbol: 'BTC/USD:BTC', pnlUsd: i % 3 === 0 ? 0.1 : -0.1, exitKind: 'manual' })
    expect(engine.mode()).toBe('ACTIVE')
    engine.recordExit({ symbol: 'BTC/USD:BTC', pnlUsd: -0.1, exitKind: 'manual' })
    expect(engine.mode()).toBe('HALTED')
    expect(engine.status().holds).toContainEqual(expect.objectContaining({ id: 'win-rate', liftableBy: 'manual' }))
    expect(codes(engine, clock)).toContain('halted')
  })

  it('fee spike tightens entries for 24 h', () => {
    const { engine, clock, events } = setup()
    engine.recordExit({ symbol: 'BTC/USD:BTC', pnlUsd: 1, exitKind: 'take-profit', actualFeeUsd: 0.06, estimatedFeeUsd: 0.01 })
    expect(events.some((e) => e.type === 'fee-spike')).toBe(true)
    // K = 2 x 1.5 = 3 while tightened
    expect(codes(engine, clock, {}, { ev: { expectedProfitUsd: 0.05, feeEstimateUsd: 0.02 } })).toEqual(['ev-too-low'])
    clock.advance(24 * 3_600_000)
    expect(codes(engine, clock, {}, { ev: { expectedProfitUsd: 0.05, feeEstimateUsd: 0.02 } })).toEqual([])
  })

  it('maker timeout fallback grants one taker entry for that signal', () => {
    const { engine, clock } = setup()
    const p = proposal(clock)
    for (let i = 0; i < 3; i++) engine.recordMakerTimeout({ signalId: p.signalId })
    expect(engine.requestTakerFallback({ signalId: p.signalId, expectedProfitUsd: 0.5, takerFeeUsd: 0.06 }).ok).toBe(true)
    expect(engine.decide(p, context(clock, { liquidity: 'taker' })).action).toBe('enter')
    engine.recordTakerResult({ signalId: p.signalId, failed: true })
    expect(codes(engine, clock)).toEqual(['cooldown'])
  })

  it('anti-flap: the 3rd stage change within an hour blocks entries', () => {
    const { engine, clock } = setup()
    const eq = [299.99, 300, 299.99, 300]
    const results = eq.map((equityUsd) => {
      clock.advance(5 * MIN)
      return engine.decide(proposal(clock), context(clock, { equityUsd, atrPct24h: 4.5 })).verdict.reasons.map((r) => r.code)
    })
    expect(results).toEqual([[], [], [], ['stage-flap-block']])
  })

  it('operator HALT and REDUCING', () => {
    const { engine, clock } = setup()
    engine.reduceOnly({ reason: 'maintenance window' })
    expect(codes(engine, clock)).toEqual(['reducing-only'])
    engine.halt({ reason: 'operator' })
    expect(codes(engine, clock)).toEqual(['halted'])
    expect(engine.lift({ id: 'manual' }).ok).toBe(true)
    expect(engine.lift({ id: 'manual' })).toMatchObject({ ok: false, reason: 'not-held' })
  })

  it('throws on bad input rather than deciding', () => {
    const { engine, clock } = setup()
    expect(() => engine.decide(proposal(clock), context(clock, { atrPct24h: Number.NaN }))).toThrow(/atrPct24h/)
    expect(() => engine.decide({ ...proposal(clock), confidence: Number.NaN }, context(clock))).toThrow(/confidence/)
    expect(() => createRiskEngine({ config: { guard: { maxSlStreak: -1 } }, clock })).toThrow(/guard.maxSlStreak/)
  })
})

// --- properties over random operation sequences ---------------------------------------------------------
type Op =
  | { readonly k: 'advance'; readonly ms: number }
  | { readonly k: 'observe'; readonly d1: number; readonly d5: number; readonly latencyMs: number; readonly equityUsd: number | null }
  | { readonly k: 'decide'; readonly equityUsd: number; readonly atr: number; readonly confidence: number; readonly liquidity: 'maker' | 'taker'; readonly sid: number }
  | { readonly k: 'exit'; readonly pnlUsd: number; readonly exitKind: 'stop-loss' | 'take-profit' }
  | { readonly k: 'liquidation' }
  | { readonly k: 'trip' }
  | { readonly k: 'halt' }
  | { readonly k: 'lift'; readonly id: 'manual' | 'breaker' | 'emergency' }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 40 * MIN }) }),
  fc.record({
    k: fc.constant('observe' as const),
    d1: fc.double({ min: -15, max: 5, noNaN: true }),
    d5: fc.double({ min: -25, max: 5, noNaN: true }),
    latencyMs: fc.integer({ min: 0, max: 7000 }),
    equityUsd: fc.option(fc.double({ min: 50, max: 1200, noNaN: true }), { nil: null, freq: 10 }),
  }),
  fc.record({
    k: fc.constant('decide' as const),
    equityUsd: fc.double({ min: 50, max: 1200, noNaN: true }),
    atr: fc.double({ min: 0, max: 8, noNaN: true }),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
    liquidity: fc.constantFrom('maker' as const, 'taker' as const),
    sid: fc.integer({ min: 0, max: 5 }),
  }),
  fc.record({ k: fc.constant('exit' as const), pnlUsd: fc.double({ min: -20, max: 20, noNaN: true }), exitKind: fc.constantFrom('stop-loss' as const, 'take-profit' as const) }),
  fc.constant({ k: 'liquidation' as const }),
  fc.constant({ k: 'trip' as const }),
  fc.constant({ k: 'halt' as const }),
  fc.record({ k: fc.constant('lift' as const), id: fc.constantFrom('manual' as const, 'breaker' as const, 'emergency' as const) }),
)

/** Apply one op; returns the decision signature for decide ops (what must match after restore). */
function apply(engine: RiskEngine, clock: TestClock, op: Op): string | null {
  switch (op.k) {
    case 'advance':
      clock.advance(op.ms)
      return null
    case 'observe':
      engine.observe({ priceChange1mPct: op.d1, priceChange5mPct: op.d5, latencyMs: op.latencyMs, equityUsd: op.equityUsd })
      return null
    case 'decide': {
      const d = engine.decide(
        { signalId: `s${op.sid}`, symbol: 'BTC/USD:BTC', kind: 'entry', side: 'long', confidence: op.confidence, strategy: 'p', createdAtMs: clock.now() },
        { equityUsd: op.equityUsd, dataTimeMs: clock.now(), atrPct24h: op.atr, ev: { expectedProfitUsd: 1, feeEstimateUsd: 0.1 }, liquidity: op.liquidity, openPositionSide: null, backtestWinRate: 0.6 },
      )
      if (d.action === 'enter') engine.recordEntry({ decision: d })
      return `${d.action}:${d.signature}`
    }
    case 'exit':
      engine.recordExit({ symbol: 'BTC/USD:BTC', pnlUsd: op.pnlUsd, exitKind: op.exitKind })
      return null
    case 'liquidation':
      engine.recordLiquidation({ kind: 'event' })
      return null
    case 'trip':
      engine.tripBreaker({ trigger: 'health-check', detail: 'probe failed' })
      return null
    case 'halt':
      engine.halt({ reason: 'operator' })
      return null
    case 'lift':
      engine.lift({ id: op.id })
      return null
  }
}

describe('engine properties', () => {
  it('snapshot -> restore -> same decisions', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), fc.array(opArb, { maxLength: 30 }), (before, after) => {
        const clockA = createTestClock(T0)
        const a = createRiskEngine({ config: { timeZone: 'Asia/Seoul' }, clock: clockA })
        for (const op of before) apply(a, clockA, op)
        const snap = JSON.parse(JSON.stringify(a.snapshot())) as unknown
        const clockB = createTestClock(clockA.now())
        const b = createRiskEngine({ config: { timeZone: 'Asia/Seoul' }, clock: clockB })
        b.restore(snap)
        for (const op of after) {
          const ra = apply(a, clockA, op)
          const rb = apply(b, clockB, op)
          if (ra !== rb) return false
        }
        return JSON.stringify(a.snapshot()) === JSON.stringify(b.snapshot())
      }),
      { numRuns: 300 },
    )
  })

  it('nothing in HALTED permits an entry', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const clock = createTestClock(T0)
        const engine = createRiskEngine({ clock })
        for (const op of ops) {
          if (op.k === 'decide' && engine.mode() === 'HALTED') {
            const d = engine.decide(
              { signalId: 'h', symbol: 'BTC/USD:BTC', kind: 'entry', side: 'long', confidence: 1, strategy: 'p', createdAtMs: clock.now() },
              { equityUsd: op.equityUsd, dataTimeMs: clock.now(), atrPct24h: 9, ev: { passed: true }, liquidity: 'maker', openPositionSide: null, backtestWinRate: 1 },
            )
            if (d.action !== 'skip' || d.verdict.permitted) return false
          }
          apply(engine, clock, op)
        }
        return true
      }),
      { numRuns: 1000 },
    )
  })

  it('a manual-only HALT (liquidation) is never lifted without an operator lift', () => {
    const noLift = opArb.filter((op) => op.k !== 'lift')
    fc.assert(
      fc.property(fc.array(noLift, { maxLength: 40 }), (ops) => {
        const clock = createTestClock(T0)
        const engine = createRiskEngine({ clock })
        engine.recordLiquidation({ kind: 'event' })
        for (const op of ops) {
          apply(engine, clock, op)
          if (engine.mode() !== 'HALTED') return false
          if (!engine.status().holds.some((h) => h.id === 'emergency' && h.liftableBy === 'manual')) return false
        }
        return true
      }),
      { numRuns: 300 },
    )
  })
})

describe('createRiskEngine: general profile', () => {
  const proposal = (clock: { now(): number }, signalId: string) =>
    ({ signalId, symbol: 'BTC/USDT:USDT', kind: 'entry', side: 'long', confidence: 1, strategy: 's', createdAtMs: clock.now() }) as const

  it('permits an entry without account-builder inputs (no ATR, EV, liquidity or backtest win rate) and reports no stage', () => {
    const clock = createTestClock(Date.UTC(2025, 0, 1))
    const general = createRiskEngine({ config: { profile: 'general' }, clock })
    const d = general.decide(proposal(clock, 'g-1'), { equityUsd: 10_000, dataTimeMs: clock.now(), openPositionSide: null })
    expect(d.action).toBe('enter')
    expect(d.verdict.stage).toBeNull()
    expect(d.verdict.leverage).toBeNull()
    // the same proposal under the account-builder profile is refused for every missing input
    const builder = createRiskEngine({ config: {}, clock })
    const b = builder.decide(proposal(clock, 'b-1'), { equityUsd: 10_000, dataTimeMs: clock.now(), openPositionSide: null })
    expect(b.action).toBe('skip')
    expect(b.verdict.reasons.map((r) => r.code)).toContain('missing-input')
  })

  it('keeps the general rules: one-way mode, the loss-streak size multiplier, and no win-rate HALT', () => {
    const clock = createTestClock(Date.UTC(2025, 0, 1))
    const risk = createRiskEngine({ config: { profile: 'general', breaker: { maxLossUsd: 10_000, maxTrades: 1_000, maxConsecutiveLosses: 1_000 } }, clock })
    const conflict = risk.decide({ ...proposal(clock, 'g-2'), side: 'short' }, { equityUsd: 10_000, dataTimeMs: clock.now(), openPositionSide: 'long' })
    expect(conflict.verdict.reasons.map((r) => r.code)).toEqual(['one-way-conflict'])
    // 35 losing trades: the account-builder profile would HALT on the live win rate; here only the multiplier falls
    for (let i = 0; i < 35; i++) risk.recordExit({ symbol: 'BTC/USDT:USDT', pnlUsd: -1, exitKind: 'other' })
    expect(risk.mode()).toBe('ACTIVE')
    const d = risk.decide(proposal(clock, 'g-3'), { equityUsd: 10_000, dataTimeMs: clock.now(), openPositionSide: null })
    expect(d.action).toBe('enter')
    expect(d.verdict.sizeMultiplier).toBe(0.25)
  })
})
