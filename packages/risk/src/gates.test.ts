import { describe, expect, it } from 'vitest'
import { DEFAULT_STAGE_BUNDLES, parseRiskConfig } from './config.js'
import { type EntryGateInput, evaluateEntryGates, GATE_IDS, type GateDenialReason, type GateId } from './gates.js'
import { evaluateWinRate } from './win-rate.js'

const stage1 = DEFAULT_STAGE_BUNDLES[0]!
const stage3 = DEFAULT_STAGE_BUNDLES[2]!
const winRate = evaluateWinRate({ outcomes: [], backtestWinRate: 0.6, config: parseRiskConfig().winRate })

const passing: EntryGateInput = {
  nowMs: 1_000,
  side: 'long',
  stage: stage1,
  stageBlockedUntilMs: null,
  tradesToday: 0,
  atrPct24h: 3.01,
  ev: { expectedProfitUsd: 0.02, feeEstimateUsd: 0.01 }, // exactly K = 2
  liquidity: 'maker',
  winRate,
  cooldownUntilMs: null,
  openPositionSide: null,
}

const denials = (input: EntryGateInput): [GateId, GateDenialReason][] => {
  const r = evaluateEntryGates(input)
  return r.ok ? [] : r.details.denials.map((d) => [d.gate, d.reason])
}

describe('entry gates (001 Risk Gate)', () => {
  it('all gates pass on a good entry', () => {
    expect(evaluateEntryGates(passing)).toEqual({ ok: true, value: { passed: GATE_IDS } })
  })

  it.each<[string, Partial<EntryGateInput>, [GateId, GateDenialReason][]]>([
    ['anti-flap block', { stageBlockedUntilMs: 1_001 }, [['stage', 'stage-flap-block']]],
    ['anti-flap block ended', { stageBlockedUntilMs: 1_000 }, []],
    ['4 trades in stage 1', { tradesToday: 4 }, []],
    ['5 trades in stage 1', { tradesToday: 5 }, [['trades-per-day', 'trades-per-day']]],
    ['ATR% at the threshold', { atrPct24h: 3 }, [['volatility', 'volatility-too-low']]],
    ['ATR% 4 in stage 3 (needs > 5)', { stage: stage3, atrPct24h: 4 }, [['volatility', 'volatility-too-low'], ['ev', 'ev-too-low']]],
    ['EV just below K x fee', { ev: { expectedProfitUsd: 0.0199, feeEstimateUsd: 0.01 } }, [['ev', 'ev-too-low']]],
    ['EV with explicit k', { ev: { expectedProfitUsd: 0.02, feeEstimateUsd: 0.01, k: 2.5 } }, [['ev', 'ev-too-low']]],
    ['EV verdict from sizing: false', { ev: { passed: false } }, [['ev', 'ev-too-low']]],
    ['EV verdict from sizing: true', { ev: { passed: true } }, []],
    ['taker entry in a maker-only stage', { liquidity: 'taker' }, [['maker-only', 'maker-only']]],
    ['taker entry with a granted fallback', { liquidity: 'taker', takerFallbackGranted: true }, []],
    ['taker entry in stage 3 (maker optional)', { stage: stage3, atrPct24h: 6, ev: { passed: true }, liquidity: 'taker' }, []],
    ['cooldown running', { cooldownUntilMs: 1_001 }, [['cooldown', 'cooldown']]],
    ['cooldown over', { cooldownUntilMs: 1_000 }, []],
    ['opposite open position (one-way)', { openPositionSide: 'short' }, [['one-way', 'one-way-conflict']]],
    ['same-side open position', { openPositionSide: 'long' }, []],
    [
      'win-rate hard gate',
      { winRate: evaluateWinRate({ outcomes: Array.from({ length: 30 }, (_, i) => i < 10), config: parseRiskConfig().winRate }) },
      [['win-rate', 'win-rate-too-low']],
    ],
  ])('%s', (_l, patch, expected) => {
    expect(denials({ ...passing, ...patch })).toEqual(expected)
  })

  it('fee-spike tightening multiplies K and forces maker entries', () => {
    const spike = { feeSpikeActive: true, feeSpikeEvFactor: 1.5 }
    expect(denials({ ...passing, ...spike, ev: { expectedProfitUsd: 0.0299, feeEstimateUsd: 0.01 } })).toEqual([['ev', 'ev-too-low']])
    expect(denials({ ...passing, ...spike, ev: { expectedProfitUsd: 0.03, feeEstimateUsd: 0.01 } })).toEqual([])
    expect(denials({ ...passing, ...spike, stage: stage3, atrPct24h: 6, ev: { expectedProfitUsd: 1, feeEstimateUsd: 0.01 }, liquidity: 'taker' })).toEqual([
      ['maker-only', 'maker-only'],
    ])
    // a boolean EV verdict cannot be tightened: fail-closed
    expect(denials({ ...passing, ...spike, ev: { passed: true } })).toEqual([['ev', 'missing-input']])
  })

  it('every missing input is its own denial and every gate is reported', () => {
    const r = evaluateEntryGates({ nowMs: 0, side: 'short' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.reason).toBe('missing-input')
    expect(r.details.denials.every((d) => d.reason === 'missing-input')).toBe(true)
    expect(new Set(r.details.denials.map((d) => d.gate))).toEqual(new Set(GATE_IDS))
  })

  it('NaN counts as missing, never as a pass', () => {
    expect(denials({ ...passing, atrPct24h: Number.NaN })).toEqual([['volatility', 'missing-input']])
    expect(denials({ ...passing, ev: { expectedProfitUsd: Number.NaN, feeEstimateUsd: 0.01 } })).toEqual([['ev', 'missing-input']])
  })

  it('reports several failing gates together', () => {
    expect(denials({ ...passing, tradesToday: 9, atrPct24h: 1, liquidity: 'taker', openPositionSide: 'short', cooldownUntilMs: 5_000 })).toEqual([
      ['trades-per-day', 'trades-per-day'],
      ['volatility', 'volatility-too-low'],
      ['maker-only', 'maker-only'],
      ['cooldown', 'cooldown'],
      ['one-way', 'one-way-conflict'],
    ])
  })
})
