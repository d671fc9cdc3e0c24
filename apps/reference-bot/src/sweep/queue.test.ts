import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { expandGrid, parseGridAxis } from './grid.js'
import { runSweepLocal } from './pool.js'
import { redisConnection, runSweepQueue } from './queue.js'
import { APP_DIR, writeSweepFixture } from './test-fixture.js'

// A real redis-server on 127.0.0.1 (Debian package `redis-server`): the one CI starts (PERPKIT_TEST_REDIS_URL), or
// one this test starts on a free port. Without it the test is skipped with one line locally, and fails under CI.
const hasRedisBinary = spawnSync('redis-server', ['--version']).status === 0
const external = process.env.PERPKIT_TEST_REDIS_URL
const available = external !== undefined || hasRedisBinary
if (!available && process.env.CI === undefined) console.warn('skipping the BullMQ sweep test: redis-server is not installed (apt-get install redis-server)')

const children: ChildProcess[] = []
const tmp = mkdtempSync(join(tmpdir(), 'perpkit-queue-'))
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM')
  rmSync(tmp, { recursive: true, force: true })
})

async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address()
      srv.close(() => resolvePort(typeof a === 'object' && a !== null ? a.port : 0))
    })
  })
}

/** Spawn a process and resolve once a line of its stdout matches `ready`. */
async function start(cmd: string, argv: string[], ready: RegExp, cwd = APP_DIR): Promise<{ proc: ChildProcess; out: () => string }> {
  const proc = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(proc)
  let out = ''
  let err = ''
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  await new Promise<void>((resolveReady, reject) => {
    const check = (): void => {
      if (ready.test(out)) resolveReady()
    }
    proc.stdout?.on('data', check)
    proc.once('exit', (code) => reject(new Error(`${cmd} exited (${code}) before it was ready: ${out}${err}`)))
  })
  return { proc, out: () => out }
}

describe.runIf(available || process.env.CI !== undefined)('perpkit sweep --queue (BullMQ on a real Redis, two worker processes)', () => {
  it('gives the same rows as the local sweep', async () => {
    if (!available) throw new Error('CI: redis-server is required (apt-get install redis-server, or set PERPKIT_TEST_REDIS_URL)')
    let url = external
    if (url === undefined) {
      const port = await freePort()
      await start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], /Ready to accept connections/)
      url = `redis://127.0.0.1:${port}`
    }
    expect(redisConnection(url)).toMatchObject({ host: '127.0.0.1' })
    // the first 2,000 bars of the embedded real Binance BTCUSDT 5m file
    const configFile = writeSweepFixture(tmp, 'q', 2000)
    const workerArgs = ['--conditions=@perpkit/source', '--import', 'tsx', 'src/cli.ts', 'worker', '--queue', url]
    const w1 = await start(process.execPath, workerArgs, /ready on/)
    const w2 = await start(process.execPath, workerArgs, /ready on/)
    const points = expandGrid([parseGridAxis('fastPeriod=8,12,16'), parseGridAxis('slowPeriod=30,50')])
    const spec = { configPath: configFile, seed: 1 }
    const viaQueue = await runSweepQueue({ url, spec, points })
    const local = await runSweepLocal({ spec, points, workers: 1 })
    expect(viaQueue).toEqual(local)
    expect(viaQueue.map((r) => r.params)).toEqual(points)
    // every point was run by one of the two worker processes, once
    const ran = [w1.out(), w2.out()].join('').match(/point \d+/g) ?? []
    expect(ran.sort()).toEqual(points.map((_, i) => `point ${i}`).sort())
    // a point the strategy rejects fails the sweep with the point named
    await expect(runSweepQueue({ url, spec, points: [{ fastPeriod: 0 }] })).rejects.toThrow(/sweep point 0 \{"fastPeriod":0\}/)
  }, 180_000)
})
