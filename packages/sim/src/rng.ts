/**
 * Seeded pseudo-random numbers (mulberry32): the only randomness in the simulator, so the same seed and
 * inputs always give the same run.
 * @module
 */

/**
 * A deterministic random source.
 * @example
 * ```ts
 * import { createSeededRandom, type SeededRandom } from '@perpkit/sim'
 * const r: SeededRandom = createSeededRandom(42)
 * r.next() // deterministic float in [0, 1)
 * ```
 */
export interface SeededRandom {
  /** Next float in [0, 1). */
  next(): number
  /** Internal 32-bit state (for snapshots). */
  state(): number
}

/**
 * Create a mulberry32 generator from a 32-bit seed.
 *
 * @param seed - any finite number; it is truncated to 32 bits
 * @returns a {@link SeededRandom}
 * @throws never
 * @example
 * ```ts
 * import { createSeededRandom } from '@perpkit/sim'
 * const a = createSeededRandom(42), b = createSeededRandom(42)
 * a.next() === b.next() // true
 * ```
 */
export function createSeededRandom(seed: number): SeededRandom {
  let s = (Number.isFinite(seed) ? Math.trunc(seed) : 0) >>> 0
  return {
    next() {
      s = (s + 0x6d2b79f5) >>> 0
      let t = s
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
    },
    state: () => s,
  }
}
