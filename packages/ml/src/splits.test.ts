import { InvalidInputError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { purgedWalkForwardSplits } from './splits.js'

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i)

describe('purgedWalkForwardSplits', () => {
  it('walk-forward: trains only before each test block, minus the purged rows (hand-built)', () => {
    expect(purgedWalkForwardSplits({ rows: 12, folds: 2, purgeRows: 1, embargoRows: 3 })).toEqual([
      { train: range(0, 3), testFrom: 4, testTo: 8 },
      { train: range(0, 7), testFrom: 8, testTo: 12 },
    ])
  })

  it('k-fold: also trains after the block, past the embargo; the last block takes the remainder', () => {
    expect(purgedWalkForwardSplits({ rows: 13, folds: 3, purgeRows: 2, embargoRows: 1, mode: 'k-fold' })).toEqual([
      { train: [0, ...range(7, 13)], testFrom: 3, testTo: 6 },
      { train: [...range(0, 4), ...range(10, 13)], testFrom: 6, testTo: 9 },
      { train: range(0, 7), testFrom: 9, testTo: 13 },
    ])
  })

  it('never lets a training row fall within purgeRows before or embargoRows after a test block', () => {
    for (const mode of ['walk-forward', 'k-fold'] as const) {
      for (const s of purgedWalkForwardSplits({ rows: 1000, folds: 5, purgeRows: 12, embargoRows: 7, mode })) {
        for (const i of s.train) expect(i < s.testFrom - 12 || i >= s.testTo + 7).toBe(true)
      }
    }
  })

  it('refuses bad sizes with a typed error', () => {
    expect(() => purgedWalkForwardSplits({ rows: 2, folds: 2, purgeRows: 0, embargoRows: 0 })).toThrow(InvalidInputError)
    expect(() => purgedWalkForwardSplits({ rows: 10, folds: 2, purgeRows: -1, embargoRows: 0 })).toThrow(InvalidInputError)
  })
})
