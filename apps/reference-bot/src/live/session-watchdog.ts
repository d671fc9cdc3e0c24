/**
 * The live session's watchdog (`@perpkit/ops`'s `createWatchdog`): a stalled event loop or a silent market-data
 * stream halts trading — an external trip of risk's circuit breaker (`health-check`), which risk keeps until an
 * operator lifts it (`perpkit resume`) — and says so at error level (the `HALT` line, `halts.jsonl`, the heartbeat's
 * `halted` status and the halt metric follow from risk's transition). Recovery is logged; trading stays halted.
 * @module
 */
import type { Clock } from '@perpkit/core'
import type { LiveServices } from '@perpkit/engine'
import { createWatchdog, type Logger, type Stall } from '@perpkit/ops'

/** The watched stream. */
export const MARKET_DATA = 'market-data'

/** Reason prefix of the breaker trips of the watchdog (risk writes `health-check: <detail>`). */
export const WATCHDOG_TRIP = 'health-check:'

/** Options of {@link createSessionWatchdog}. */
export interface SessionWatchdogOptions {
  readonly clock: Clock
  readonly log: Logger
  /** The longest silence of the market-data stream. */
  readonly streamSilenceMs: number
  /** The largest event-loop lag. */
  readonly maxLoopLagMs: number
}

/** The session's watchdog. */
export interface SessionWatchdog {
  /** The market-data stream delivered something. */
  activity(): void
  /** The session's services exist: start watching (stalls halt through `services.risk`). */
  attach(services: LiveServices): void
  stop(): void
}

const describeStall = (s: Stall): string =>
  s.type === 'event-loop-lag' ? `event loop stalled ${Math.round(s.lagMs)} ms (limit ${s.limitMs} ms)` : `${s.stream} silent for ${Math.round(s.silentMs / 1000)} s (limit ${Math.round(s.limitMs / 1000)} s)`

/** Create the watchdog (it checks nothing until {@link SessionWatchdog.attach}). */
export function createSessionWatchdog(options: SessionWatchdogOptions): SessionWatchdog {
  const { log } = options
  let services: LiveServices | undefined
  const watchdog = createWatchdog({
    clock: options.clock,
    streams: { [MARKET_DATA]: options.streamSilenceMs },
    maxEventLoopLagMs: options.maxLoopLagMs,
    onStall: (stall) => {
      const detail = describeStall(stall)
      log.error({ stall }, `watchdog: ${detail}: trading halted (protective orders stay on the venue; \`perpkit resume\` lifts it)`)
      services?.risk.engine.tripBreaker({ trigger: 'health-check', detail })
    },
    onRecover: (stall) => log.warn({ stall }, `watchdog: recovered from: ${describeStall(stall)}; trading stays halted until \`perpkit resume\``),
  })
  let started = false
  return {
    activity() {
      if (started) watchdog.reportActivity(MARKET_DATA)
    },
    attach(s) {
      services = s
      started = true
      watchdog.start()
    },
    stop() {
      watchdog.stop()
    },
  }
}
