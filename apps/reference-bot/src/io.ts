/**
 * The I/O surface the CLI commands use (tests inject their own), and error rendering.
 * @module
 */
import { isPerpkitError } from '@perpkit/core'
import type { InterruptSource } from './interrupt.js'

/** I/O the commands use (tests inject their own). */
export interface Io {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly env: NodeJS.ProcessEnv
  readonly isTty: boolean
  readonly nowMs: () => number
  readonly sleep: (ms: number) => Promise<void>
  /** Ask the operator a question on the terminal and return the answer; absent when stdin is not a terminal. */
  readonly prompt?: (question: string) => Promise<string>
  /** Stop signals (SIGINT/SIGTERM) of the real process; absent in tests that do not send any. */
  readonly interrupt?: InterruptSource
}

/** One clear line (plus detail lines) for an error; never a stack trace for expected bad input. */
export function describeError(e: unknown): string {
  if (isPerpkitError(e)) {
    const path = e.code === 'invalid-input' && e.path !== undefined && e.path !== '' && !e.message.includes(e.path) ? ` (at ${e.path})` : ''
    return `${e.code === 'corrupt-data' ? 'corrupt data: ' : ''}${e.message}${path}`
  }
  // a filesystem error (ENOENT, EACCES, ENOTDIR, ENOSPC …) is bad input or environment, not a bug: one line
  if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string') return e.message
  if (e instanceof Error) return `${e.message}\n${e.stack ?? ''}`
  return String(e)
}
