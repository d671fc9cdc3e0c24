import { type Clock, InvalidInputError } from '@perpkit/core'

/** Why the process is shutting down. */
export type ShutdownReason =
  | { readonly type: 'signal'; readonly signal: 'SIGINT' | 'SIGTERM' }
  | { readonly type: 'fatal'; readonly source: 'uncaughtException' | 'unhandledRejection'; readonly error: unknown }
  | { readonly type: 'requested'; readonly note: string }

/** What to do with open risk when the process hits an error nobody caught. */
export type FatalAction = 'halt' | 'flatten'

/** One ordered shutdown step, e.g. "stop new entries", "flush journal", "close streams". */
export interface ShutdownStep {
  /** Name used in the report. */
  readonly name: string
  /** Do the step; a step that takes longer than the step timeout is abandoned and reported `timed-out`. */
  run(reason: ShutdownReason): Promise<void> | void
}

/** How one step ended. */
export interface StepOutcome {
  /** The step's name (or `fatal:halt` / `fatal:flatten` for the fatal action). */
  readonly name: string
  /** `done`, `failed` (threw) or `timed-out`. */
  readonly outcome: 'done' | 'failed' | 'timed-out'
  /** The error message of a failed step. */
  readonly error?: string
}

/** What a shutdown did. */
export interface ShutdownReport {
  /** Why it ran. */
  readonly reason: ShutdownReason
  /** Each step in the order run (the fatal action first, when there was one). */
  readonly steps: readonly StepOutcome[]
  /** The exit code handed to `exit`. */
  readonly exitCode: number
}

/** Events for the app's logs and alerts. */
export type LifecycleEvent =
  | { readonly type: 'shutdown-started'; readonly reason: ShutdownReason }
  | { readonly type: 'fatal-error'; readonly source: 'uncaughtException' | 'unhandledRejection'; readonly message: string; readonly action: FatalAction }
  | { readonly type: 'step-finished'; readonly step: StepOutcome }
  | { readonly type: 'shutdown-finished'; readonly report: ShutdownReport }
  | { readonly type: 'forced-exit'; readonly signal: 'SIGINT' | 'SIGTERM' }

/** The part of `process` the lifecycle uses (so tests can hand in an `EventEmitter`). */
export type ProcessEvents = Pick<NodeJS.EventEmitter, 'on' | 'removeListener'>

/** Options of {@link createLifecycle}. */
export interface LifecycleOptions {
  /** Clock for step timeouts. */
  readonly clock: Clock
  /** Graceful shutdown, in order. Keep protective orders on the venue: no step should cancel stops. */
  readonly steps: readonly ShutdownStep[]
  /** Longest time one step may take (default 10,000 ms). */
  readonly stepTimeoutMs?: number
  /** On an uncaught exception or unhandled rejection: halt (no new entries, stops kept) or flatten. */
  readonly fatalAction: FatalAction
  /** Halt trading: no new entries, protective orders kept. */
  readonly halt: (reason: ShutdownReason) => Promise<void> | void
  /** Close every position (reduce-only). */
  readonly flatten: (reason: ShutdownReason) => Promise<void> | void
  /** Lifecycle events (log them, alert on them); an error thrown here is ignored. */
  readonly onEvent?: (event: LifecycleEvent) => Promise<void> | void
  /** End the process (default `process.exit`). */
  readonly exit?: (code: number) => void
  /** Where signals and process errors come from (default `process`). */
  readonly process?: ProcessEvents
  /** Exit code after a fatal error (default 70, EX_SOFTWARE). */
  readonly fatalExitCode?: number
  /** Exit code when a second signal forces the exit (default 130). */
  readonly forcedExitCode?: number
}

/** The installed process hooks. */
export interface Lifecycle {
  /** Listen for SIGINT, SIGTERM, uncaughtException and unhandledRejection. */
  install(): void
  /** Stop listening. */
  uninstall(): void
  /** Shut down now (runs once; later calls return the same report). */
  shutdown(reason: ShutdownReason): Promise<ShutdownReport>
}

/**
 * Process-level exception hook and graceful shutdown. On SIGINT/SIGTERM the steps run in order, each bounded by
 * `stepTimeoutMs`, then `exit(0)` (1 if a step failed or timed out); a second signal exits at once with
 * `forcedExitCode`. On an uncaught exception or unhandled rejection the `fatalAction` runs first (`halt` keeps
 * protective orders, `flatten` closes the positions), then the steps, then `exit(fatalExitCode)`. Throws
 * `InvalidInputError` for a non-positive step timeout or duplicate step names.
 *
 * @example
 * ```ts
 * import { createLifecycle } from '@perpkit/ops'
 * import { systemClock } from '@perpkit/core'
 * const lifecycle = createLifecycle({
 *   clock: systemClock,
 *   fatalAction: 'halt',
 *   halt: async () => {}, // e.g. halt the order manager: no new entries, stops stay on the venue
 *   flatten: async () => {}, // e.g. close every position reduce-only
 *   steps: [
 *     { name: 'stop new entries', run: async () => {} },
 *     { name: 'flush journal', run: async () => {} },
 *   ],
 *   onEvent: (event) => console.error(event.type),
 * })
 * lifecycle.install()
 * ```
 */
export function createLifecycle(options: LifecycleOptions): Lifecycle {
  const stepTimeoutMs = options.stepTimeoutMs ?? 10_000
  if (!Number.isFinite(stepTimeoutMs) || stepTimeoutMs <= 0) throw new InvalidInputError('must be a positive number of ms', { path: 'stepTimeoutMs' })
  const names = options.steps.map((s) => s.name)
  if (new Set(names).size !== names.length) throw new InvalidInputError(`step names must be unique (${names.join(', ')})`, { path: 'steps' })
  const proc: ProcessEvents = options.process ?? process
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const fatalExitCode = options.fatalExitCode ?? 70
  const forcedExitCode = options.forcedExitCode ?? 130
  let running: Promise<ShutdownReport> | undefined

  const emit = async (event: LifecycleEvent): Promise<void> => {
    try {
      await options.onEvent?.(event)
    } catch {
      // an alert that fails must not stop the shutdown
    }
  }
  const runStep = async (name: string, fn: () => Promise<void> | void): Promise<StepOutcome> => {
    let cancel = (): void => {}
    const timeout = new Promise<StepOutcome>((resolve) => {
      cancel = options.clock.setTimer(stepTimeoutMs, () => resolve({ name, outcome: 'timed-out' }))
    })
    const work = (async (): Promise<StepOutcome> => {
      try {
        await fn()
        return { name, outcome: 'done' }
      } catch (e) {
        return { name, outcome: 'failed', error: e instanceof Error ? e.message : String(e) }
      }
    })()
    const outcome = await Promise.race([work, timeout])
    cancel()
    await emit({ type: 'step-finished', step: outcome })
    return outcome
  }
  const shutdown = (reason: ShutdownReason): Promise<ShutdownReport> => {
    running ??= (async () => {
      await emit({ type: 'shutdown-started', reason })
      const steps: StepOutcome[] = []
      if (reason.type === 'fatal') {
        const action = options.fatalAction
        const message = reason.error instanceof Error ? reason.error.message : String(reason.error)
        await emit({ type: 'fatal-error', source: reason.source, message, action })
        steps.push(await runStep(`fatal:${action}`, () => (action === 'flatten' ? options.flatten(reason) : options.halt(reason))))
      }
      for (const step of options.steps) steps.push(await runStep(step.name, () => step.run(reason)))
      const clean = steps.every((s) => s.outcome === 'done')
      const exitCode = reason.type === 'fatal' ? fatalExitCode : clean ? 0 : 1
      const report: ShutdownReport = { reason, steps, exitCode }
      await emit({ type: 'shutdown-finished', report })
      exit(exitCode)
      return report
    })()
    return running
  }
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => () => {
    if (running !== undefined) {
      void emit({ type: 'forced-exit', signal })
      exit(forcedExitCode)
      return
    }
    void shutdown({ type: 'signal', signal })
  }
  const onInt = onSignal('SIGINT')
  const onTerm = onSignal('SIGTERM')
  const onException = (error: unknown): void => {
    void shutdown({ type: 'fatal', source: 'uncaughtException', error })
  }
  const onRejection = (error: unknown): void => {
    void shutdown({ type: 'fatal', source: 'unhandledRejection', error })
  }
  return {
    install() {
      proc.on('SIGINT', onInt)
      proc.on('SIGTERM', onTerm)
      proc.on('uncaughtException', onException)
      proc.on('unhandledRejection', onRejection)
    },
    uninstall() {
      proc.removeListener('SIGINT', onInt)
      proc.removeListener('SIGTERM', onTerm)
      proc.removeListener('uncaughtException', onException)
      proc.removeListener('unhandledRejection', onRejection)
    },
    shutdown,
  }
}
