import { isPerpkitError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { nextPositionPhase, POSITION_EVENTS, POSITION_PHASES, type PositionEvent, type PositionPhase, transitionPosition } from './position-state.js'

const LEGAL: readonly (readonly [PositionPhase, PositionEvent, PositionPhase])[] = [
  ['FLAT', 'entry-submitted', 'ENTRY_PENDING'],
  ['FLAT', 'position-opened', 'IN_POSITION'],
  ['FLAT', 'halt', 'HALT'],
  ['ENTRY_PENDING', 'entry-ended-flat', 'FLAT'],
  ['ENTRY_PENDING', 'position-opened', 'IN_POSITION'],
  ['ENTRY_PENDING', 'exit-submitted', 'EXIT_PENDING'],
  ['ENTRY_PENDING', 'halt', 'HALT'],
  ['IN_POSITION', 'exit-submitted', 'EXIT_PENDING'],
  ['IN_POSITION', 'position-closed', 'COOLDOWN'],
  ['IN_POSITION', 'halt', 'HALT'],
  ['EXIT_PENDING', 'exit-aborted', 'IN_POSITION'],
  ['EXIT_PENDING', 'position-closed', 'COOLDOWN'],
  ['EXIT_PENDING', 'entry-ended-flat', 'FLAT'],
  ['EXIT_PENDING', 'halt', 'HALT'],
  ['COOLDOWN', 'cooldown-elapsed', 'FLAT'],
  ['COOLDOWN', 'position-opened', 'IN_POSITION'],
  ['COOLDOWN', 'halt', 'HALT'],
  ['HALT', 'resume', 'FLAT'],
  ['HALT', 'halt', 'HALT'],
]

describe('position lifecycle table', () => {
  const legal = new Map(LEGAL.map(([f, e, t]) => [`${f}|${e}`, t]))
  const pairs = POSITION_PHASES.flatMap((p) => POSITION_EVENTS.map((e) => [p, e] as const))
  it('covers 6 phases × 9 events', () => expect(pairs).toHaveLength(54))
  it.each(pairs)('%s + %s', (phase, event) => {
    const expected = legal.get(`${phase}|${event}`)
    expect(nextPositionPhase(phase, event)).toBe(expected)
    if (expected !== undefined) expect(transitionPosition(phase, event)).toBe(expected)
    else {
      let caught: unknown
      try {
        transitionPosition(phase, event)
      } catch (e) {
        caught = e
      }
      expect(isPerpkitError(caught, 'invalid-transition')).toBe(true)
    }
  })
})
