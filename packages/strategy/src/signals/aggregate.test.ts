import fc from 'fast-check'
import { isPerpkitError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { aggregateSignals, signalFromVerdict } from './aggregate.js'
import { createSignal } from './create-signal.js'
import type { Signal, SignalSource, SignalType } from './types.js'

const SYM = 'BTC/USDT:USDT'
function sig(type: SignalType, confidence: number, source: SignalSource = 'technical', strategyId = 's'): Signal {
  return createSignal({
    type,
    source,
    confidence,
    reason: `${type} ${confidence}`,
    timestampMs: 0,
    symbol: SYM,
    strategyId,
    ...(type === 'partial-close' ? { closeFraction: 0.5 } : {}),
  })
}

describe('aggregateSignals', () => {
  // Worked example: three BUY signals 0.75 / 0.82 / 0.68 → BUY at 0.75, "weighted average exceeds threshold".
  it('reproduces the 004 worked example in weighted mode', () => {
    const v = aggregateSignals({
      signals: [sig('buy', 0.75, 'technical'), sig('buy', 0.82, 'ml'), sig('buy', 0.68, 'orderbook')],
      config: { mode: 'weighted', threshold: 0.6 },
    })
    expect(v.decision).toBe('buy')
    expect(v.outcome).toBe('agreed')
    expect(v.confidence).toBeCloseTo(0.75, 12)
    expect(v.votes.map((x) => x.source)).toEqual(['technical', 'ml', 'orderbook'])
    expect(v.explanation).toContain('>= threshold 0.6')
  })
  it('weighted: source and strategy weights change the outcome and are reported', () => {
    const signals = [sig('buy', 0.9, 'technical', 'a'), sig('sell', 0.9, 'ml', 'b')]
    expect(aggregateSignals({ signals, config: { mode: 'weighted', threshold: 0.1 } }).outcome).toBe('tie')
    const v = aggregateSignals({ signals, config: { mode: 'weighted', threshold: 0.5, sourceWeights: { ml: 3 } } })
    expect(v.decision).toBe('sell')
    expect(v.tally.sell).toBeCloseTo((3 * 0.9) / 4, 12)
    expect(v.votes[1]?.weight).toBe(3)
    const w = aggregateSignals({ signals, config: { mode: 'weighted', threshold: 0.5, sourceWeights: { ml: 3 }, strategyWeights: { a: 9 } } })
    expect(w.decision).toBe('buy')
    const below = aggregateSignals({ signals, config: { mode: 'weighted', threshold: 0.8, sourceWeights: { ml: 3 } } })
    expect(below).toMatchObject({ decision: 'none', outcome: 'below-threshold' })
  })
  it('voting: strict majority wins, ties and pluralities do not', () => {
    expect(aggregateSignals({ signals: [sig('buy', 0.6), sig('buy', 0.8), sig('sell', 0.9)], config: { mode: 'voting' } })).toMatchObject({
      decision: 'buy',
      confidence: 0.7,
      tally: { buy: 2, sell: 1 },
    })
    expect(aggregateSignals({ signals: [sig('buy', 0.6), sig('sell', 0.9)], config: { mode: 'voting' } }).outcome).toBe('tie')
    expect(aggregateSignals({ signals: [sig('buy', 0.6), sig('buy', 0.6), sig('sell', 0.9), sig('close', 0.9), sig('partial-close', 1)], config: { mode: 'voting' } }).outcome).toBe('no-majority')
    expect(aggregateSignals({ signals: [sig('buy', 0.6)], config: { mode: 'voting', minVotes: 2 } }).outcome).toBe('too-few-signals')
  })
  it('unanimous: one dissent blocks and is named', () => {
    const v = aggregateSignals({ signals: [sig('buy', 0.6, 'technical', 'a'), sig('close', 0.9, 'ml', 'b')], config: { mode: 'unanimous' } })
    expect(v).toMatchObject({ decision: 'none', outcome: 'not-unanimous' })
    expect(v.explanation).toContain('b/ml says close')
    expect(aggregateSignals({ signals: [sig('partial-close', 0.6), sig('partial-close', 0.8)], config: { mode: 'unanimous', minSignals: 2 } })).toMatchObject({
      decision: 'partial-close',
      closeFraction: 0.5,
    })
    expect(aggregateSignals({ signals: [sig('buy', 0.6)], config: { mode: 'unanimous', minSignals: 2 } }).outcome).toBe('too-few-signals')
  })
  it('threshold: weak signals are ignored, strong ones must agree', () => {
    const v = aggregateSignals({ signals: [sig('buy', 0.7), sig('sell', 0.4)], config: { mode: 'threshold', threshold: 0.6 } })
    expect(v).toMatchObject({ decision: 'buy', confidence: 0.7 })
    expect(v.votes.map((x) => x.counted)).toEqual([true, false])
    expect(aggregateSignals({ signals: [sig('buy', 0.7), sig('sell', 0.65)], config: { mode: 'threshold', threshold: 0.6 } }).outcome).toBe('conflict')
    expect(aggregateSignals({ signals: [sig('buy', 0.5)], config: { mode: 'threshold', threshold: 0.6 } }).outcome).toBe('below-threshold')
  })
  it('no signals → none; bad thresholds and mixed symbols throw with a path', () => {
    expect(aggregateSignals({ signals: [], config: { mode: 'voting' } }).outcome).toBe('no-signals')
    const path = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        return isPerpkitError(e) ? e.path : 'other'
      }
      return undefined
    }
    expect(path(() => aggregateSignals({ signals: [], config: { mode: 'threshold', threshold: 2 } }))).toBe('config.threshold')
    expect(path(() => aggregateSignals({ signals: [], config: { mode: 'weighted', threshold: 0.5, sourceWeights: { ml: -1 } } }))).toBe('config.sourceWeights.ml')
    const other = createSignal({ type: 'buy', source: 'ml', confidence: 0.5, reason: 'x', timestampMs: 0, symbol: 'ETH/USDT:USDT', strategyId: 's' })
    expect(path(() => aggregateSignals({ signals: [sig('buy', 0.5), other], config: { mode: 'voting' } }))).toBe('signals[1].symbol')
  })
  it('property: when every signal agrees, every mode agrees (given a reachable threshold) with mean confidence', () => {
    const types: SignalType[] = ['buy', 'sell', 'close']
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }), (type, confs) => {
        const signals = confs.map((c) => sig(type, c))
        const mean = confs.reduce((a, b) => a + b, 0) / confs.length
        for (const config of [{ mode: 'voting' } as const, { mode: 'unanimous' } as const, { mode: 'threshold', threshold: 0 } as const]) {
          const v = aggregateSignals({ signals, config })
          expect(v.decision).toBe(type)
          expect(v.confidence).toBeCloseTo(mean, 9)
        }
        const w = aggregateSignals({ signals, config: { mode: 'weighted', threshold: 0 } })
        expect(w.decision).toBe(mean > 0 ? type : "none")
      }),
      { numRuns: 1000 },
    )
  })
  it('signalFromVerdict carries the explanation and common source', () => {
    const v = aggregateSignals({ signals: [sig('sell', 0.8, 'ml'), sig('sell', 0.6, 'ml')], config: { mode: 'unanimous' } })
    const s = signalFromVerdict({ verdict: v, symbol: SYM, strategyId: 'combo', timestampMs: 5 })
    expect(s).toMatchObject({ type: 'sell', source: 'ml', strategyId: 'combo', reason: v.explanation, metadata: { 'tally.sell': 2 } })
    expect(s?.confidence).toBeCloseTo(0.7, 12)
  })
})
