/**
 * The per-symbol position lifecycle: FLAT → ENTRY_PENDING → IN_POSITION → EXIT_PENDING → COOLDOWN → FLAT,
 * HALT from anywhere. Transitions are driven by venue events (fills, order updates), never by polling.
 * @module
 */
import { PerpkitError } from '@perpkit/core'

/** Lifecycle state of one symbol. */
export type PositionPhase = 'FLAT' | 'ENTRY_PENDING' | 'IN_POSITION' | 'EXIT_PENDING' | 'HALT' | 'COOLDOWN'

/**
 * Events of the lifecycle.
 * - `entry-submitted`: an entry order was journaled. - `entry-ended-flat`: the entry ended with nothing filled.
 * - `position-opened`: a fill made the position non-zero. - `exit-submitted`: an exit was requested.
 * - `exit-aborted`: the exit ended without closing. - `position-closed`: fills made the position flat.
 * - `cooldown-elapsed`, `halt`, `resume` (manual, only when flat).
 */
export type PositionEvent =
  | 'entry-submitted'
  | 'entry-ended-flat'
  | 'position-opened'
  | 'exit-submitted'
  | 'exit-aborted'
  | 'position-closed'
  | 'cooldown-elapsed'
  | 'halt'
  | 'resume'

/**
 * Every lifecycle phase.
 * @example
 * ```ts
 * import { POSITION_PHASES } from '@perpkit/oms'
 * POSITION_PHASES[0] // 'FLAT'
 * ```
 */
export const POSITION_PHASES: readonly PositionPhase[] = ['FLAT', 'ENTRY_PENDING', 'IN_POSITION', 'EXIT_PENDING', 'HALT', 'COOLDOWN']

/**
 * Every lifecycle event.
 * @example
 * ```ts
 * import { POSITION_EVENTS } from '@perpkit/oms'
 * POSITION_EVENTS.includes('halt') // true
 * ```
 */
export const POSITION_EVENTS: readonly PositionEvent[] = [
  'entry-submitted',
  'entry-ended-flat',
  'position-opened',
  'exit-submitted',
  'exit-aborted',
  'position-closed',
  'cooldown-elapsed',
  'halt',
  'resume',
]

/**
 * `POSITION_TRANSITIONS[phase][event]` is the next phase; a missing entry is illegal.
 * @example
 * ```ts
 * import { POSITION_TRANSITIONS } from '@perpkit/oms'
 * POSITION_TRANSITIONS.HALT.resume // 'FLAT'
 * ```
 */
export const POSITION_TRANSITIONS: Readonly<Record<PositionPhase, Readonly<Partial<Record<PositionEvent, PositionPhase>>>>> = {
  FLAT: { 'entry-submitted': 'ENTRY_PENDING', 'position-opened': 'IN_POSITION', halt: 'HALT' },
  ENTRY_PENDING: {
    'entry-ended-flat': 'FLAT',
    'position-opened': 'IN_POSITION',
    'exit-submitted': 'EXIT_PENDING',
    halt: 'HALT',
  },
  IN_POSITION: { 'exit-submitted': 'EXIT_PENDING', 'position-closed': 'COOLDOWN', halt: 'HALT' },
  EXIT_PENDING: { 'exit-aborted': 'IN_POSITION', 'position-closed': 'COOLDOWN', 'entry-ended-flat': 'FLAT', halt: 'HALT' },
  COOLDOWN: { 'cooldown-elapsed': 'FLAT', 'position-opened': 'IN_POSITION', halt: 'HALT' },
  HALT: { resume: 'FLAT', halt: 'HALT' },
}

/**
 * Next lifecycle phase, or `undefined` when illegal.
 * @param phase - current phase
 * @param event - event
 * @returns next phase or undefined
 * @example
 * ```ts
 * import { nextPositionPhase } from '@perpkit/oms'
 * nextPositionPhase('FLAT', 'entry-submitted') // 'ENTRY_PENDING'
 * ```
 */
export function nextPositionPhase(phase: PositionPhase, event: PositionEvent): PositionPhase | undefined {
  return POSITION_TRANSITIONS[phase]?.[event]
}

/**
 * Apply a lifecycle event.
 * @param phase - current phase
 * @param event - event
 * @returns the next phase
 * @throws PerpkitError `invalid-transition` when illegal
 * @example
 * ```ts
 * import { transitionPosition } from '@perpkit/oms'
 * transitionPosition('IN_POSITION', 'exit-submitted') // 'EXIT_PENDING'
 * ```
 */
export function transitionPosition(phase: PositionPhase, event: PositionEvent): PositionPhase {
  const next = nextPositionPhase(phase, event)
  if (next === undefined) {
    throw new PerpkitError('invalid-transition', `position event '${event}' is illegal in phase '${phase}'`, { details: { from: phase, event } })
  }
  return next
}
