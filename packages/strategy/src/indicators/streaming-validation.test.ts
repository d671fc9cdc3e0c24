/**
 * Streaming EMA / MACD / ATR / NATR reject non-finite inputs in every phase (warm-up and ready, update and replaceLast),
 * and a rejected input leaves the indicator untouched: it then continues bit-identically to a twin that never saw it.
 */
import { describe, expect, it } from 'vitest'
import { InvalidInputError } from '@perpkit/core'
import { createAtr, createNatr } from './atr.js'
import { createEma } from './ema.js'
import { createMacd } from './macd.js'

const BAD = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]
const series = Array.from({ length: 60 }, (_, i) => 100 + Math.sin(i / 3) * 5 + (i % 7) * 0.25)
const bar = (i: number) => ({ high: (series[i] as number) + 1.5, low: (series[i] as number) - 1.25, close: series[i] as number })

describe('streaming MACD input validation', () => {
  // 3 = inside the EMA warm-up, 10 = inside the signal warm-up, 40 = ready (hot path)
  it.each([3, 10, 40])('rejects NaN/±Infinity after %i updates and stays unchanged', (k) => {
    for (const bad of BAD) {
      const m = createMacd({ fastPeriod: 5, slowPeriod: 8, signalPeriod: 4 })
      const twin = createMacd({ fastPeriod: 5, slowPeriod: 8, signalPeriod: 4 })
      for (let i = 0; i < k; i++) {
        m.update(series[i] as number)
        twin.update(series[i] as number)
      }
      expect(() => m.update(bad)).toThrow(InvalidInputError)
      expect(() => m.replaceLast(bad)).toThrow(InvalidInputError)
      expect(m.count).toBe(k)
      for (let i = k; i < series.length; i++) {
        expect(Object.is(m.update(series[i] as number), twin.update(series[i] as number))).toBe(true)
        expect(Object.is(m.signal, twin.signal)).toBe(true)
        expect(Object.is(m.histogram, twin.histogram)).toBe(true)
      }
    }
  })
})

describe('streaming EMA input validation', () => {
  it.each([0, 3, 40])('rejects NaN/±Infinity after %i updates and stays unchanged', (k) => {
    for (const seed of ['sma', 'first'] as const) {
      for (const bad of BAD) {
        const e = createEma({ period: 10, seed })
        const twin = createEma({ period: 10, seed })
        for (let i = 0; i < k; i++) {
          e.update(series[i] as number)
          twin.update(series[i] as number)
        }
        expect(() => e.update(bad)).toThrow(InvalidInputError)
        if (k > 0) expect(() => e.replaceLast(bad)).toThrow(InvalidInputError)
        expect(e.count).toBe(k)
        for (let i = k; i < series.length; i++) expect(Object.is(e.update(series[i] as number), twin.update(series[i] as number))).toBe(true)
      }
    }
  })
})

describe('streaming ATR / NATR input validation', () => {
  it.each([
    ['ATR', createAtr],
    ['NATR', createNatr],
  ] as const)('%s rejects a non-finite high, low or close in warm-up and when ready, and stays unchanged', (_name, create) => {
    for (const k of [0, 5, 30]) {
      for (const field of ['high', 'low', 'close'] as const) {
        for (const bad of BAD) {
          const a = create({ period: 14 })
          const twin = create({ period: 14 })
          for (let i = 0; i < k; i++) {
            a.update(bar(i))
            twin.update(bar(i))
          }
          const b = { ...bar(k), [field]: bad }
          expect(() => a.update(b)).toThrow(new RegExp(`input\\.${field}`))
          if (k > 0) expect(() => a.replaceLast(b)).toThrow(InvalidInputError)
          expect(a.count).toBe(k)
          for (let i = k; i < series.length; i++) {
            expect(Object.is(a.update(bar(i)), twin.update(bar(i)))).toBe(true)
            expect(Object.is(a.trueRange, twin.trueRange)).toBe(true)
          }
        }
      }
    }
  })
})
