/**
 * Test helper (not part of the CLI): run `perpkit` in-process with captured output and a fixed clock.
 * @module
 */
import { type Io, main } from './cli.js'

/**
 * Run the CLI on `argv`; returns the exit code and what it printed. The environment is empty and `nowMs` is fixed at
 * 2025-12-29T09:20Z unless `options` gives them.
 */
export async function runCli(argv: readonly string[], options: { readonly env?: NodeJS.ProcessEnv; readonly nowMs?: () => number } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: Io = { out: (t) => (out += t), err: (t) => (err += t), env: options.env ?? {}, isTty: false, nowMs: options.nowMs ?? (() => 1_767_000_000_000), sleep: async () => {} }
  const code = await main(argv, io)
  return { code, out, err }
}
