import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isPerpkitError } from './errors.js'
import { decimalsOf, formatDecimal, formatToStep, isOnStep, roundPrice, roundQty, roundToStep } from './precision.js'

/** Exact decimal text of n × step, built with integer arithmetic only (independent of the code under test). */
function exactMultiple(n: bigint, stepText: string): string {
  const [intPart, frac = ''] = stepText.split('.')
  const units = BigInt(`${intPart}${frac}`) * n
  const d = frac.length
  const neg = units < 0n
  const digits = (neg ? -units : units).toString().padStart(d + 1, '0')
  const text = d === 0 ? digits : `${digits.slice(0, digits.length - d)}.${digits.slice(digits.length - d)}`
  return neg ? `-${text}` : text
}

const STEPS: readonly { step: number; text: string }[] = [
  { step: 0.1, text: '0.1' },
  { step: 0.5, text: '0.5' },
  { step: 0.01, text: '0.01' },
  { step: 25, text: '25' },
  { step: 1e-8, text: '0.00000001' },
  { step: 0.001, text: '0.001' },
  { step: 0.25, text: '0.25' },
  { step: 1, text: '1' },
]
const RUNS = { numRuns: 1000 }

describe('decimalsOf', () => {
  it.each([
    [0.1, 1],
    [0.5, 1],
    [0.01, 2],
    [25, 0],
    [1e-8, 8],
    [1.5e-7, 8],
    [0.0001, 4],
    [10, 0],
  ])('decimalsOf(%s) = %s', (step, d) => {
    expect(decimalsOf(step)).toBe(d)
  })
  it('rejects non-positive and non-finite steps', () => {
    for (const bad of [0, -0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => decimalsOf(bad)).toThrowError(/step/)
    }
  })
})

describe('roundToStep exactness (fast-check)', () => {
  for (const { step, text } of STEPS) {
    it(`multiples of ${text} round to themselves and are on step`, () => {
      fc.assert(
        fc.property(fc.bigInt({ min: -10_000_000n, max: 10_000_000n }), (n) => {
          const exact = Number(exactMultiple(n, text))
          for (const mode of ['floor', 'ceil', 'nearest'] as const) {
            expect(roundToStep({ value: exact, step, mode })).toBe(exact)
          }
          expect(isOnStep({ value: exact, step })).toBe(true)
        }),
        RUNS,
      )
    })

    it(`floor/ceil/nearest of arbitrary values land on exact multiples of ${text}`, () => {
      fc.assert(
        fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), (x) => {
          const d = decimalsOf(step)
          const floor = roundToStep({ value: x, step, mode: 'floor' })
          const ceil = roundToStep({ value: x, step, mode: 'ceil' })
          const nearest = roundToStep({ value: x, step, mode: 'nearest' })
          for (const r of [floor, ceil, nearest]) {
            // the result is the double nearest to an exact decimal multiple: its shortest text has ≤ d decimals
            const s = String(r)
            if (!s.includes('e')) expect((s.split('.')[1] ?? '').length).toBeLessThanOrEqual(d)
            expect(isOnStep({ value: r, step })).toBe(true)
            expect(formatDecimal({ value: r, decimals: d })).toBe(exactMultiple(BigInt(Math.round(r / step)), text).replace(/^-(0(\.0*)?)$/, '$1'))
          }
          const tol = Math.abs(x) * 1e-12 + step * 1e-9
          expect(floor).toBeLessThanOrEqual(x + tol)
          expect(ceil).toBeGreaterThanOrEqual(x - tol)
          expect(x - floor).toBeLessThan(step + tol)
          expect(ceil - x).toBeLessThan(step + tol)
          expect(Math.abs(nearest - x)).toBeLessThanOrEqual(step / 2 + tol)
          expect(ceil - floor === 0 || Math.abs(ceil - floor - step) <= tol).toBe(true)
        }),
        RUNS,
      )
    })
  }

  it('classic float noise is removed', () => {
    expect(roundToStep({ value: 0.1 + 0.2, step: 0.1 })).toBe(0.3)
    expect(roundToStep({ value: 0.1 + 0.2, step: 0.1, mode: 'ceil' })).toBe(0.3)
    expect(roundToStep({ value: 1.005 * 100, step: 0.01, mode: 'floor' })).toBe(100.5)
    expect(roundToStep({ value: 0.29, step: 0.01, mode: 'floor' })).toBe(0.29)
    expect(roundToStep({ value: 0.57, step: 0.01, mode: 'floor' })).toBe(0.57)
    expect(roundToStep({ value: 101, step: 25, mode: 'nearest' })).toBe(100)
    expect(roundToStep({ value: 112.5, step: 25, mode: 'nearest' })).toBe(125)
    expect(roundToStep({ value: -112.5, step: 25, mode: 'nearest' })).toBe(-125)
    expect(roundToStep({ value: 0.123456789, step: 1e-8, mode: 'ceil' })).toBe(0.12345679)
    expect(roundToStep({ value: -0.04, step: 0.1, mode: 'ceil' })).toBe(0)
    expect(Object.is(roundToStep({ value: -0.04, step: 0.1, mode: 'ceil' }), 0)).toBe(true)
  })

  it('floor is idempotent and monotone', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e5, noNaN: true }), fc.double({ min: 0, max: 1e5, noNaN: true }), fc.constantFrom(...STEPS), (a, b, { step }) => {
        const ra = roundQty({ qty: a, lotStep: step })
        expect(roundQty({ qty: ra, lotStep: step })).toBe(ra)
        if (a <= b) expect(ra).toBeLessThanOrEqual(roundQty({ qty: b, lotStep: step }))
      }),
      RUNS,
    )
  })
})

describe('isOnStep', () => {
  it('tells on-tick from off-tick prices', () => {
    expect(isOnStep({ value: 65000.1, step: 0.1 })).toBe(true)
    expect(isOnStep({ value: 65000.15, step: 0.1 })).toBe(false)
    expect(isOnStep({ value: 0.35, step: 0.1 })).toBe(false)
    expect(isOnStep({ value: 125, step: 25 })).toBe(true)
    expect(isOnStep({ value: 130, step: 25 })).toBe(false)
    expect(isOnStep({ value: Number.NaN, step: 0.1 })).toBe(false)
  })
})

describe('roundPrice / roundQty defaults', () => {
  it('prices round to nearest, quantities floor', () => {
    expect(roundPrice({ price: 65000.37, tickSize: 0.1 })).toBe(65000.4)
    expect(roundQty({ qty: 0.0129, lotStep: 0.001 })).toBe(0.012)
    expect(roundQty({ qty: 0.0121, lotStep: 0.001, mode: 'ceil' })).toBe(0.013)
  })
  it('rejects NaN and Infinity with a typed error naming the field', () => {
    try {
      roundQty({ qty: Number.NaN, lotStep: 0.001 })
      expect.unreachable()
    } catch (e) {
      expect(isPerpkitError(e, 'invalid-input')).toBe(true)
      expect((e as { path: string }).path).toBe('value')
    }
    expect(() => roundPrice({ price: Number.POSITIVE_INFINITY, tickSize: 0.1 })).toThrow(/finite/)
    expect(() => roundPrice({ price: 1, tickSize: 0 })).toThrow(/step/)
  })
})

describe('formatDecimal / formatToStep', () => {
  it('formats with fixed decimals and no exponent', () => {
    expect(formatDecimal({ value: 0.3, decimals: 2 })).toBe('0.30')
    expect(formatDecimal({ value: 1e-8, decimals: 8 })).toBe('0.00000001')
    expect(formatDecimal({ value: 123456789.5, decimals: 1 })).toBe('123456789.5')
    expect(formatDecimal({ value: -0, decimals: 2 })).toBe('0.00')
    expect(formatToStep({ value: 65000.04, step: 0.1, mode: 'nearest' })).toBe('65000.0')
    expect(formatToStep({ value: 0.0129, step: 0.001 })).toBe('0.012')
    expect(formatToStep({ value: 1234, step: 25 })).toBe('1225')
    expect(formatToStep({ value: 0.1 + 0.2, step: 1e-8 })).toBe('0.30000000')
  })
  it('rejects bad decimals and huge values', () => {
    expect(() => formatDecimal({ value: 1, decimals: -1 })).toThrow(/decimals/)
    expect(() => formatDecimal({ value: 1, decimals: 1.5 })).toThrow(/decimals/)
    expect(() => formatDecimal({ value: 1e22, decimals: 0 })).toThrow(/too large/)
  })
  it('round-trips: the formatted string parses back to the rounded value (fast-check)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e7, max: 1e7, noNaN: true }), fc.constantFrom(...STEPS), (x, { step }) => {
        const s = formatToStep({ value: x, step, mode: 'nearest' })
        expect(s).toMatch(decimalsOf(step) === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${decimalsOf(step)}}$`))
        expect(Number(s)).toBe(roundToStep({ value: x, step, mode: 'nearest' }))
      }),
      RUNS,
    )
  })
})
