import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RESTORE_TERMINAL } from './interrupt.js'

const tsx = createRequire(import.meta.url).resolve('tsx/esm')
const module = join(import.meta.dirname, 'interrupt.ts')

/** A child that installs the handlers as on a terminal, optionally holds a run, and sends itself `signals`. */
function child(hold: boolean, signals: readonly string[]): { status: number | null; stdout: string } {
  const script = `
    import { installSignalHandlers } from ${JSON.stringify(module)}
    const source = installSignalHandlers({ write: (t) => process.stdout.write(t), isTty: true, exit: (c) => process.exit(c) })
    if (${hold}) source.hold()
    source.signal.addEventListener('abort', () => process.stdout.write('[aborted ' + source.signal.reason + ']'))
    for (const s of ${JSON.stringify(signals)}) { process.kill(process.pid, s); await new Promise((r) => setTimeout(r, 200)) }
    process.stdout.write('[run ended]')
  `
  const r = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 })
  return { status: r.status, stdout: r.stdout }
}

describe('signal handlers (real signals to a child process)', () => {
  it('outside a run: restore the terminal (cursor shown, wrapping on), one line, exit 130', () => {
    const r = child(false, ['SIGINT'])
    expect(r.status).toBe(130)
    expect(r.stdout).toBe(`${RESTORE_TERMINAL}\nperpkit: interrupted by SIGINT; nothing was written\n`)
    expect(RESTORE_TERMINAL).toBe('\u001b[?25h\u001b[?7h')
  })

  it('during a run: the first SIGTERM only asks the run to stop; a second one exits at once with 143', () => {
    const r = child(true, ['SIGTERM', 'SIGTERM'])
    expect(r.status).toBe(143)
    expect(r.stdout).toBe(`${RESTORE_TERMINAL}[aborted SIGTERM]${RESTORE_TERMINAL}\nperpkit: SIGTERM again: stopping now; the unfinished run folder is left and removed by the next run\n`)
  })
})
