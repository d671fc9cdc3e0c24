/**
 * Makes sizing's silent adjustments visible: a warning the first time an entry is cut (venue maximum or margin) or
 * refused (below minimum quantity or notional, not enough margin), and one summary line after the run. The details
 * of every decision stay in `decisions.jsonl`.
 * @module
 */
import type { EngineEvent } from '@perpkit/engine'

type DecisionEvent = Extract<EngineEvent, { type: 'decision' }>

/** Counts of cut and refused entries. */
export interface SizingLog {
  onDecision(e: DecisionEvent): void
  /** `sizing: …` when anything was cut or refused; undefined otherwise. */
  summary(): string | undefined
}

/**
 * Create the counter; `warn` receives the first warning of each kind.
 *
 * @param warn - where warnings go (stderr).
 */
export function createSizingLog(warn: (line: string) => void): SizingLog {
  let entries = 0
  let cut = 0
  const refused = new Map<string, number>()
  const at = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ')
  return {
    onDecision(e) {
      if (e.decision.action !== 'enter' && e.sizeRefusal === undefined) return
      entries++
      if (e.sizeRefusal !== undefined) {
        if (refused.size === 0) warn(`warning: sizing refused the entry at ${at(e.timeMs)} UTC (${e.sizeRefusal}); further refusals are counted in the summary and listed in decisions.jsonl`)
        refused.set(e.sizeRefusal, (refused.get(e.sizeRefusal) ?? 0) + 1)
      } else if (e.sizeClampedFrom !== undefined) {
        if (cut === 0) warn(`warning: sizing cut the entry at ${at(e.timeMs)} UTC from ${e.sizeClampedFrom} to ${e.sizedQty} (venue maximum or available margin); further cuts are counted in the summary`)
        cut++
      }
    },
    summary() {
      const nRefused = [...refused.values()].reduce((a, b) => a + b, 0)
      if (cut === 0 && nRefused === 0) return undefined
      const why = [...refused].map(([k, n]) => `${k} ${n}`).join(', ')
      return `sizing: of ${entries} entries, ${cut} cut to a smaller size, ${nRefused} refused${why !== '' ? ` (${why})` : ''} — see decisions.jsonl`
    },
  }
}
