import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const APP = join(import.meta.dirname, '..')
const tmp = mkdtempSync(join(tmpdir(), 'perpkit-signals-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const tsx = createRequire(import.meta.url).resolve('tsx/esm')
const cli = (args: readonly string[]): string[] => ['--conditions=@perpkit/source', '--import', tsx, join(APP, 'src', 'cli.ts'), ...args]

/** Spawn the real CLI, send `signal` once stdout shows `marker`, and collect what it printed and its exit code. */
function interruptWhen(args: readonly string[], marker: RegExp, signal: NodeJS.Signals): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done, fail) => {
    const child: ChildProcess = spawn(process.execPath, cli(args), { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    let sent = false
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      if (!sent && marker.test(out)) {
        sent = true
        child.kill(signal)
      }
    })
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', fail)
    child.on('close', (code) => done({ code, out, err }))
  })
}

describe('graceful interruption (a real signal to a child process)', () => {
  it('Ctrl-C (SIGINT) during a backtest: exit 130, one line saying where it stopped, no partial folder left', async () => {
    const out = join(tmp, 'out-int')
    const r = await interruptWhen(['backtest', '--out', out], /^perpkit backtest: /m, 'SIGINT')
    expect(r.code).toBe(130)
    expect(r.err.split('\n')[0]).toMatch(/^perpkit backtest: interrupted by SIGINT at bar [\d,]+ of 51,840 \(2025-\d\d-\d\d \d\d:\d\d UTC\); nothing was kept \(the unfinished run folder was removed\)$/)
    expect(r.err).not.toMatch(/\n\s+at /)
    expect(readdirSync(out)).toEqual([])
  }, 120_000)

  it('SIGTERM during a paper session: exit 143, the run folder removed', async () => {
    const out = join(tmp, 'out-term')
    const r = await interruptWhen(['paper', '--replay', '--minutes', '60', '--speed', '1', '--warmup', '50', '--out', out], /^\[paper\] .* bar 1\/12$/m, 'SIGTERM')
    expect(r.code).toBe(143)
    expect(r.err.split('\n')[0]).toBe('perpkit paper: interrupted by SIGTERM at bar 51 of 62 (2025-12-31 10:35 UTC); nothing was kept (the unfinished run folder was removed)')
    expect(readdirSync(out)).toEqual([])
  }, 120_000)
})
