import { isPerpkitError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { createSignal, type CreateSignalInput } from './create-signal.js'

const base: CreateSignalInput = {
  type: 'buy',
  source: 'technical',
  confidence: 0.75,
  reason: 'RSI oversold at 28.5',
  timestampMs: 1758240000000,
  symbol: 'BTC/USDT:USDT',
  strategyId: 'rsi-001',
}

function pathOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    if (isPerpkitError(e) && e.code === 'invalid-input') return e.path
    throw e
  }
  return undefined
}

describe('createSignal', () => {
  it('builds a frozen signal with empty metadata by default', () => {
    const s = createSignal(base)
    expect(s).toMatchObject({ type: 'buy', source: 'technical', confidence: 0.75, metadata: {} })
    expect(Object.isFrozen(s)).toBe(true)
  })
  it('requires a closeFraction in (0, 1] for partial-close only', () => {
    const s = createSignal({ ...base, type: 'partial-close', closeFraction: 0.33 })
    expect(s.type === 'partial-close' && s.closeFraction).toBe(0.33)
    expect(pathOf(() => createSignal({ ...base, type: 'partial-close' }))).toBe('closeFraction')
    expect(pathOf(() => createSignal({ ...base, type: 'partial-close', closeFraction: 0 }))).toBe('closeFraction')
    expect(pathOf(() => createSignal({ ...base, type: 'partial-close', closeFraction: 1.01 }))).toBe('closeFraction')
    expect(pathOf(() => createSignal({ ...base, closeFraction: 0.5 }))).toBe('closeFraction')
  })
  it('refuses bad fields with their path', () => {
    expect(pathOf(() => createSignal({ ...base, confidence: 1.2 }))).toBe('confidence')
    expect(pathOf(() => createSignal({ ...base, confidence: Number.NaN }))).toBe('confidence')
    expect(pathOf(() => createSignal({ ...base, confidence: -0.1 }))).toBe('confidence')
    expect(pathOf(() => createSignal({ ...base, source: 'astrology' as never }))).toBe('source')
    expect(pathOf(() => createSignal({ ...base, type: 'hold' as never }))).toBe('type')
    expect(pathOf(() => createSignal({ ...base, timestampMs: 1.5 }))).toBe('timestampMs')
    expect(pathOf(() => createSignal({ ...base, symbol: '' }))).toBe('symbol')
    expect(pathOf(() => createSignal({ ...base, reason: '' }))).toBe('reason')
  })
})
