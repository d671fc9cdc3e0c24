// Mirrors the README examples so they stay true.
import { createTestClock } from '@perpkit/core'
import { expect, it } from 'vitest'
import { createRiskEngine, createRiskGuard, parseRiskConfig, type RiskEvent, verifyDecision } from './index.js'

it('README: RiskGuard on its own', () => {
  const guard = createRiskGuard({ config: parseRiskConfig({ timeZone: 'Asia/Seoul' }), clock: createTestClock(Date.UTC(2025, 0, 1)) })
  guard.updateEquity({ equityUsd: 1000 })
  guard.recordExit({ pnlUsd: -12, exitKind: 'stop-loss' })
  guard.recordExit({ pnlUsd: -9, exitKind: 'stop-loss' })
  guard.recordExit({ pnlUsd: -11, exitKind: 'stop-loss' })
  expect(guard.canOpenPosition()).toMatchObject({ ok: false, reason: 'sl-streak' })
})

it('README: account-builder flow', () => {
  const clock = createTestClock(Date.UTC(2025, 0, 1))
  const risk = createRiskEngine({ config: { timeZone: 'UTC' }, clock })
  const events: RiskEvent[] = []
  risk.subscribe((event) => events.push(event))
  const emergency = risk.observe({ priceChange1mPct: -0.3, priceChange5mPct: -1.2, latencyMs: 180, equityUsd: 150 })
  expect(emergency.cancelPendingEntries).toBe(false)
  const decision = risk.decide(
    { signalId: 'grid-42', symbol: 'BTC/USD:BTC', kind: 'entry', side: 'long', confidence: 0.75, strategy: 'grid', createdAtMs: clock.now() },
    {
      equityBtc: 0.0025,
      markPriceUsd: 60_000,
      dataTimeMs: clock.now(),
      atrPct24h: 3.4,
      ev: { expectedProfitUsd: 0.42, feeEstimateUsd: 0.015 },
      liquidity: 'maker',
      openPositionSide: null,
      backtestWinRate: 0.57,
    },
  )
  expect(decision.action).toBe('enter')
  expect(decision.verdict).toMatchObject({ stage: 1, leverage: 3, sizeMultiplier: 1 })
  expect(verifyDecision({ decision: JSON.parse(JSON.stringify(decision)) })).toBe(true)
  risk.recordEntry({ decision })
  risk.recordExit({ symbol: 'BTC/USD:BTC', pnlUsd: 0.4, exitKind: 'take-profit', actualFeeUsd: 0.015, estimatedFeeUsd: 0.015 })
  const saved = JSON.stringify(risk.snapshot())
  risk.restore(JSON.parse(saved))
  expect(JSON.stringify(risk.snapshot())).toBe(saved)
  expect(events.map((e) => e.type)).toEqual(['stage-changed', 'decision-made'])
})
