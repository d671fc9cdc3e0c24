import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type Io, main } from '../cli.js'
import { expandGrid, parseGridAxis } from './grid.js'
import { runSweepLocal } from './pool.js'
import { sweepCsv } from './results.js'
import { writeSweepFixture } from './test-fixture.js'

const tmp = mkdtempSync(join(tmpdir(), 'perpkit-sweep-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
// the first 3,000 bars of the embedded real Binance BTCUSDT 5m file
const configFile = writeSweepFixture(tmp, 't', 3000)

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: Io = { out: (t) => (out += t), err: (t) => (err += t), env: {}, isTty: false, nowMs: () => 1_767_000_000_000, sleep: async () => {} }
  const code = await main(argv, io)
  return { code, out, err }
}

describe('sweep grid', () => {
  it('parses lists and inclusive ranges (decimal steps without float noise), and expands in a fixed order', () => {
    expect(parseGridAxis('fastPeriod=10:30:10')).toEqual({ name: 'fastPeriod', values: [10, 20, 30] })
    expect(parseGridAxis('riskFraction=0.1:0.3:0.1').values).toEqual([0.1, 0.2, 0.3])
    expect(parseGridAxis('mode=long-only, long-short')).toEqual({ name: 'mode', values: ['long-only', 'long-short'] })
    expect(expandGrid([parseGridAxis('a=1,2'), parseGridAxis('b=x,y')])).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
    ])
  })

  it('refuses a bad spec, a reversed range, an empty list and a repeated name', () => {
    expect(() => parseGridAxis('fastPeriod')).toThrow(/name=v1,v2/)
    expect(() => parseGridAxis('fastPeriod=30:10:10')).toThrow(/from <= to/)
    expect(() => parseGridAxis('fastPeriod=,')).toThrow(/no values/)
    expect(() => expandGrid([parseGridAxis('a=1'), parseGridAxis('a=2')])).toThrow(/twice/)
  })
})

describe('perpkit sweep (worker threads)', () => {
  const points = expandGrid([parseGridAxis('fastPeriod=10,20'), parseGridAxis('slowPeriod=40,60')])
  const spec = { configPath: configFile, seed: 1 }

  it('2 workers give the same rows as 1, in grid order; a point equals the same config run by perpkit backtest', async () => {
    const one = await runSweepLocal({ spec, points, workers: 1 })
    const two = await runSweepLocal({ spec, points, workers: 2 })
    expect(two).toEqual(one)
    expect(one.map((r) => r.index)).toEqual([0, 1, 2, 3])
    expect(one.map((r) => r.params)).toEqual(points)
    // point 0 is the config's own parameters: the single backtest (report path, no workers) must agree exactly
    const bt = await cli(['backtest', '--config', configFile])
    expect(bt.code).toBe(0)
    const dir = /files:\s+(\S+)\//.exec(bt.out)?.[1] as string
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as Record<string, number>
    expect(one[0]?.metrics.finalEquity).toBe(metrics.finalEquity)
    expect(one[0]?.metrics.trades).toBe(metrics.trades)
    expect(one[0]?.metrics.sharpe).toBe(metrics.sharpe)
    // different parameters trade differently
    expect(new Set(one.map((r) => r.metrics.finalEquity)).size).toBeGreaterThan(1)
    const csv = sweepCsv(one).trim().split('\n')
    expect(csv[0]).toBe('index,fastPeriod,slowPeriod,finalEquity,totalReturn,maxDrawdown,sharpe,trades,winRate,profitFactor,fees')
    expect(csv).toHaveLength(5)
  }, 120_000)

  it('the command prints the best rows and writes the CSV; a bad parameter value fails with the point named', async () => {
    const csvFile = join(tmp, 'rows.csv')
    const r = await cli(['sweep', '--config', configFile, '--param', 'fastPeriod=10,20', '--param', 'slowPeriod=40', '--workers', '2', '--csv', csvFile, '--top', '1'])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toContain('2 points on 2 worker thread(s), seed 1')
    expect(r.out).toContain('best 1 of 2 by total return')
    expect(readFileSync(csvFile, 'utf8').trim().split('\n')).toHaveLength(3)
    const bad = await cli(['sweep', '--config', configFile, '--param', 'fastPeriod=0', '--workers', '1'])
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/sweep point 0 \{"fastPeriod":0\}/)
    const none = await cli(['sweep', '--config', configFile])
    expect(none.code).toBe(2)
  }, 120_000)
})
