import { InvalidInputError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { classificationMetrics } from './metrics.js'

describe('classificationMetrics', () => {
  it('matches hand-computed accuracy, log-loss and precision at a threshold', () => {
    const m = classificationMetrics({ probabilities: [0.9, 0.2, 0.6, 0.4], labels: [1, 0, 0, 1], threshold: 0.55 })
    expect(m.accuracy).toBe(0.5)
    // −(ln 0.9 + ln 0.8 + ln 0.4 + ln 0.4) / 4, computed separately in Python: 0.5402713826800865
    expect(m.logLoss).toBeCloseTo(0.5402713826800865, 14)
    expect(m.precisionAtThreshold).toBe(0.5)
    expect(m.signals).toBe(2)
  })

  it('clips certain mistakes like scikit-learn (−ln 1e-15) and reports null precision without signals', () => {
    const m = classificationMetrics({ probabilities: [0], labels: [1], threshold: 0.9 })
    expect(m.logLoss).toBeCloseTo(-Math.log(1e-15), 10)
    expect(m.precisionAtThreshold).toBeNull()
  })

  it('refuses bad input with a typed error', () => {
    expect(() => classificationMetrics({ probabilities: [0.5], labels: [2] })).toThrow(InvalidInputError)
    expect(() => classificationMetrics({ probabilities: [1.5], labels: [1] })).toThrow(InvalidInputError)
    expect(() => classificationMetrics({ probabilities: [], labels: [] })).toThrow(InvalidInputError)
  })
})
