/**
 * The order of one candle subscription: a closed bar is delivered once, a forming bar never after its close,
 * and a missing bar open time (a bar that closed without a frame, or the bars a reconnect missed) is announced
 * as a gap and filled from REST before any later data of the subscription. Pure logic over injected effects.
 * @module
 */
import type { Candle } from '@perpkit/core'

/** What the sequencer does with the outside world. */
export interface SequencerEffects {
  /** Deliver a candle (in order). */
  deliver(candle: Candle, closed: boolean, backfill: boolean): void
  /** Announce the hole `[fromMs, toMs)`. */
  gap(fromMs: number, toMs: number): void
  /** Fetch closed bars with open time in `[fromMs, toMs)` (REST). */
  backfill(fromMs: number, toMs: number): Promise<readonly Candle[]>
  /** The current time (bars whose close is after it are still forming). */
  nowMs(): number
}

/** One subscription's sequencer. */
export interface CandleSequencer {
  /** A live frame's candle. */
  push(candle: Candle, closed: boolean): void
  /** The socket reconnected at `nowMs`: bars that opened and closed meanwhile are a gap. */
  reconnected(): void
  /** Open time of the last closed bar delivered (before any closed bar: the bar before the first one seen). */
  lastClosedOpenMs(): number | undefined
  /** Whether a backfill is running (live data is held back meanwhile). */
  backfilling(): boolean
}

/**
 * Create a sequencer for bars of `timeframeMs`.
 * @param args.timeframeMs - bar length
 * @param args.effects - see {@link SequencerEffects}
 * @returns the sequencer
 * @throws never
 * @example
 * ```ts
 * const seq = createCandleSequencer({ timeframeMs: 60_000, effects })
 * seq.push(candle, true)
 * ```
 */
export function createCandleSequencer(args: { readonly timeframeMs: number; readonly effects: SequencerEffects }): CandleSequencer {
  const { timeframeMs: tf, effects } = args
  let last: number | undefined
  let filling = false
  const held: { candle: Candle; closed: boolean }[] = []

  const fill = (fromMs: number, toMs: number): void => {
    filling = true
    effects.gap(fromMs, toMs)
    const finish = (): void => {
      filling = false
      const queue = held.splice(0)
      for (const h of queue) push(h.candle, h.closed)
    }
    effects.backfill(fromMs, toMs).then(
      (candles) => {
        const now = effects.nowMs()
        for (const c of [...candles].sort((a, b) => a.openTimeMs - b.openTimeMs)) {
          if (c.openTimeMs < fromMs || c.openTimeMs >= toMs || c.openTimeMs + tf > now) continue
          if (last !== undefined && c.openTimeMs <= last) continue
          effects.deliver(c, true, true)
          last = c.openTimeMs
        }
        // what REST could not give stays a hole (announced above); do not ask again for it
        last = Math.max(last ?? toMs - tf, toMs - tf)
        finish()
      },
      () => {
        last = Math.max(last ?? toMs - tf, toMs - tf)
        finish()
      },
    )
  }
  const push = (candle: Candle, closed: boolean): void => {
    if (filling) {
      held.push({ candle, closed })
      return
    }
    const open = candle.openTimeMs
    // the first bar seen anchors the sequence: the bars before it are history, not a hole
    if (last === undefined) last = open - tf
    if (open <= last) return // a closed bar again, or a late update of a closed bar
    if (open > last + tf) {
      held.push({ candle, closed })
      fill(last + tf, open)
      return
    }
    effects.deliver(candle, closed, false)
    if (closed) last = open
  }
  return {
    push,
    reconnected() {
      if (last === undefined || filling) return
      const currentOpen = Math.floor(effects.nowMs() / tf) * tf
      if (currentOpen > last + tf) fill(last + tf, currentOpen)
    },
    lastClosedOpenMs: () => last,
    backfilling: () => filling,
  }
}
