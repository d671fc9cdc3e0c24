/**
 * Graceful interruption: SIGINT (Ctrl-C) and SIGTERM stop a run at the next bar, the run's unfinished output folder
 * is removed, the terminal is restored and one line says where the run stopped and what was kept.
 * @module
 */

/** The signals the CLI handles. */
export type StopSignal = 'SIGINT' | 'SIGTERM'

/** Raised inside a run when a stop signal arrived; the run unwinds, removes its partial output and exits 130/143. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError'
  constructor(
    readonly signal: StopSignal,
    /** Where the run was, e.g. "bar 12,289 of 51,840 (2025-08-15 10:05 UTC)". */
    readonly where: string,
  ) {
    super(`interrupted by ${signal} at ${where}`)
  }
}

/**
 * Where a run learns about stop signals. `hold()` marks a stoppable run in progress (a signal then stops it at the
 * next bar); outside a hold a signal exits at once.
 */
export interface InterruptSource {
  readonly signal: AbortSignal
  hold(): () => void
}

/** Show the cursor and turn line wrapping back on (a progress bar hides the one and may turn off the other). */
export const RESTORE_TERMINAL = '\u001b[?25h\u001b[?7h'

/**
 * Install SIGINT/SIGTERM handlers for the real process.
 *
 * @param args - `{ write, isTty, exit }`: stderr, whether it is a terminal, and the exit function.
 * @returns the interrupt source handed to the commands.
 */
export function installSignalHandlers(args: { readonly write: (text: string) => void; readonly isTty: boolean; readonly exit: (code: number) => never }): InterruptSource {
  const controller = new AbortController()
  let holds = 0
  const on = (s: StopSignal): void => {
    if (args.isTty) args.write(RESTORE_TERMINAL)
    if (holds === 0 || controller.signal.aborted) {
      args.write(
        controller.signal.aborted
          ? `\nperpkit: ${s} again: stopping now; the unfinished run folder is left and removed by the next run\n`
          : `\nperpkit: interrupted by ${s}; nothing was written\n`,
      )
      args.exit(interruptedExitCode(s))
    }
    controller.abort(s)
  }
  process.on('SIGINT', () => on('SIGINT'))
  process.on('SIGTERM', () => on('SIGTERM'))
  return {
    signal: controller.signal,
    hold() {
      holds++
      return () => {
        holds--
      }
    },
  }
}

/** The exit code for an interruption (128 + signal number, as shells report it). */
export function interruptedExitCode(signal: StopSignal): number {
  return signal === 'SIGINT' ? 130 : 143
}
