/**
 * Makes sizing's refusals visible: a warning the first time an entry risk permitted is refused by sizing (below the
 * minimum quantity or notional, not enough margin, liquidation too close, …), and one summary line after the run.
 * The details of every decision stay in `decisions.jsonl`.
 * @module
 */
import type { EngineEvent } from '@perpkit/engine'

type DecisionEvent = Extract<EngineEvent, { type: 'decision' }>

/** Counts of refused entries. */
export interface SizingLog {
  onDecision(e: DecisionEvent): void
  /** `sizing: …` when anything was refused; undefined otherwise. */
  summary(): string | undefined
}

/**
 * Create the counter; `warn` receives the first warning.
 *
 * @param warn - where warnings go (stderr).
 */
export function createSizingLog(warn: (line: string) => void): SizingLog {
  let entries = 0
  const refused = new Map<string, number>()
  const at = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ')
  return {
    onDecision(e) {
      if (e.decision.action !== 'enter') return
      entries++
      if (e.sizeRefusal !== undefined) {
        if (refused.size === 0) warn(`warning: sizing refused the entry at ${at(e.timestampMs)} UTC (${e.sizeRefusal}); further refusals are counted in the summary and listed in decisions.jsonl`)
        refused.set(e.sizeRefusal, (refused.get(e.sizeRefusal) ?? 0) + 1)
      }
    },
    summary() {
      const nRefused = [...refused.values()].reduce((a, b) => a + b, 0)
      if (nRefused === 0) return undefined
      const why = [...refused].map(([k, n]) => `${k} ${n}`).join(', ')
      return `sizing: of ${entries} entries, ${nRefused} refused (${why}) — see decisions.jsonl`
    },
  }
}
