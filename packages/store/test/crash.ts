import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import type { TradeStore } from '../src/index.js'

/**
 * Kills a child writing 100-point equity batches (one transaction each) with SIGKILL after it reported 21
 * committed batches, then reopens the store: every reported batch is there and no batch is partial.
 */
export function crashTest(name: string, writerArgs: readonly string[], reopen: () => Promise<TradeStore>): void {
  it(`${name}: a writer killed with SIGKILL mid-write loses nothing it committed and the store still opens`, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-writer.ts'), ...writerArgs], { stdio: ['ignore', 'pipe', 'inherit'] })
    let committed = -1
    let out = ''
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        const lines = out.split('\n').filter((l) => l !== '')
        committed = Number(lines[lines.length - 1])
        if (committed >= 20) child.kill('SIGKILL')
      })
      child.on('exit', () => resolve())
    })
    expect(child.signalCode).toBe('SIGKILL')
    const store = await reopen()
    const points = await store.getEquity('crash')
    expect(points.length).toBeGreaterThanOrEqual((committed + 1) * 100)
    expect(points.length % 100).toBe(0)
    await store.close()
  })
}
