/**
 * Test-only fast-check arbitraries for indicator property tests.
 * @module
 */
import fc from 'fast-check'
import type { StreamOp } from './oracle.js'

/** A price-like finite double (covers tiny, large and negative-free ranges typical of markets plus rough edges). */
export const priceArb: fc.Arbitrary<number> = fc.oneof(
  fc.double({ min: 1, max: 200_000, noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: 1e-6, max: 1, noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: 1, max: 5 }).map((x) => x * 100),
)

/** Any finite double in a moderate range, including zero and negatives. */
export const valueArb: fc.Arbitrary<number> = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, 1, -1, 100),
)

/** A sequence of update / replaceLast operations. */
export function opsArb<I>(input: fc.Arbitrary<I>, maxLength = 80): fc.Arbitrary<StreamOp<I>[]> {
  return fc.array(fc.record({ replace: fc.boolean(), input }), { maxLength })
}

/** An OHLC bar (high ≥ max(open, close), low ≤ min) from a price-like base. */
export const hlcArb: fc.Arbitrary<{ high: number; low: number; close: number }> = fc
  .tuple(priceArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([base, a, b, c]) => {
    const range = base * 0.05 * a
    const low = base
    const high = base + range
    const close = low + (high - low) * b * (c > 0.9 ? 0 : 1)
    return { high, low, close }
  })
