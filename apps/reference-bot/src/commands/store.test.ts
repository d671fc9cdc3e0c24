import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqliteStore } from '@perpkit/store'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { writeSweepFixture } from '../sweep/test-fixture.js'
import { runCli as run } from '../test-cli.js'

const tmp = mkdtempSync(join(tmpdir(), 'perpkit-store-cli-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

// small.csv = the first 3,000 bars of the embedded real Binance BTCUSDT 5m file: the reference the store must give
// back; bt.yaml runs SmaCrossover (id `bt`) on it into tmp/out
const cfg = writeSweepFixture(tmp, 'bt', 3000)
const csv = join(tmp, 'small.csv')
const csvRows = readFileSync(csv, 'latin1').trim().split('\n').slice(1).map((l) => l.split(',').map(Number))
const SERIES = ['--venue', 'binance-usdm', '--symbol', 'BTC/USDT:USDT', '--timeframe', '5m']

describe('perpkit store', () => {
  it('imports a candle file and gives back the same bars for a half-open time range; a re-import changes nothing', async () => {
    const db = join(tmp, 'import.db')
    const r = await run(['store', 'import', csv, ...SERIES, '--store', db])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^imported 3,000 candles \(binance-usdm BTC\/USDT:USDT 5m from 2025-07-04T11:35:00\.000Z to .*\) into .*import\.db/)
    expect((await run(['store', 'import', csv, ...SERIES, '--store', db])).code).toBe(0)
    const from = csvRows[10]?.[0] as number
    const to = csvRows[13]?.[0] as number
    const c = await run(['store', 'candles', ...SERIES, '--from', new Date(from).toISOString(), '--to', String(to), '--store', db])
    expect(c.code).toBe(0)
    const lines = c.out.trim().split('\n')
    expect(lines[0]).toBe('open_time,open,high,low,close,volume')
    expect(lines.slice(1).map((l) => l.split(',').map(Number))).toEqual(csvRows.slice(10, 13))
    const all = await run(['store', 'candles', ...SERIES, '--store', db])
    expect(all.out.trim().split('\n')).toHaveLength(3001)
  })

  it('refuses a file whose bars do not match --timeframe, and writes nothing', async () => {
    const db = join(tmp, 'wrong-tf.db')
    const r = await run(['store', 'import', csv, '--venue', 'binance-usdm', '--symbol', 'BTC/USDT:USDT', '--timeframe', '1h', '--store', db])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/--timeframe is 1h but .*small\.csv has 5-minute bars/)
    const store = await openSqliteStore({ path: db })
    expect(await store.getCandles({ venue: 'binance-usdm', symbol: 'BTC/USDT:USDT', timeframe: '1h' })).toEqual([])
    await store.close()
  })

  it.each([
    [['store', 'candles', '--venue', 'binance-usdm'], /missing --symbol, --timeframe/],
    [['store', 'import', '--venue', 'x', '--symbol', 'y', '--timeframe', '5m'], /missing argument 'file'/],
    [['store', 'runs', 'extra.csv'], /store runs takes no file/],
    [['store', 'drop'], /value 'drop' is invalid for argument 'action'/],
    [['store', 'candles', ...SERIES, '--timeframe', '7m'], /expected one of 1m/],
  ])('usage error: %j', async (argv, message) => {
    const r = await run([...argv, '--store', join(tmp, 'usage.db')])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(message)
  })

  it('backtest --store writes the run: its trades, decisions and fills as the report has them, and its equity curve', async () => {
    const db = join(tmp, 'runs.db')
    const out = join(tmp, 'out')
    const r = await run(['backtest', '--config', cfg, '--store', db])
    expect(r.code).toBe(0)
    const runId = readdirSync(out)[0] as string
    expect(r.out).toContain(`store:  run ${runId} written to ${db}\n`)
    const result = JSON.parse(readFileSync(join(out, runId, 'result.json'), 'utf8')) as {
      trades: { id: number; netPnl: number; openAtEnd: boolean }[]
      curve: { timestampMs: number[]; equity: number[] }
    }
    const decisionLines = readFileSync(join(out, runId, 'decisions.jsonl'), 'utf8').trim().split('\n')

    const store = await openSqliteStore({ path: db })
    const stored = await store.getRun(runId)
    expect(stored).toMatchObject({ id: runId, mode: 'backtest', strategy: 'bt', venue: 'binance-usdm', symbol: 'BTC/USDT:USDT', startedAtMs: 1_767_000_000_000, endedAtMs: 1_767_000_000_000 })
    const trades = await store.getRecords(runId, { kind: 'trade' })
    expect(trades.length).toBe(result.trades.length)
    expect(trades.length).toBeGreaterThan(0)
    expect(trades.map((t) => (t.payload as { netPnl: number }).netPnl).sort()).toEqual(result.trades.map((t) => t.netPnl).sort())
    expect(await store.getRecords(runId, { kind: 'decision' })).toHaveLength(decisionLines.length)
    const fills = await store.getRecords(runId, { kind: 'fill' })
    const closed = result.trades.filter((t) => !t.openAtEnd).length
    expect(fills.length).toBeGreaterThanOrEqual(2 * closed)
    const orders = await store.getRecords(runId, { kind: 'order' })
    const orderIds = new Set(orders.map((o) => (o.payload as { clientOrderId: string }).clientOrderId))
    for (const f of fills) expect(orderIds.has((f.payload as { clientOrderId: string }).clientOrderId)).toBe(true)
    const equity = await store.getEquity(runId)
    expect(equity).toHaveLength(result.curve.equity.length)
    expect(equity[equity.length - 1]?.equityUsd).toBe(result.curve.equity[result.curve.equity.length - 1])
    await store.close()

    // writing to the store does not change the run: the same config without --store gives the same result
    const plainOut = join(tmp, 'out-plain')
    writeFileSync(join(tmp, 'plain.yaml'), readFileSync(cfg, 'utf8').replace(`output: { dir: ${out} }`, `output: { dir: ${plainOut} }`))
    const plain = await run(['backtest', '--config', join(tmp, 'plain.yaml')])
    expect(plain.code).toBe(0)
    expect(plain.out).not.toContain('store:')
    const plainResult = JSON.parse(readFileSync(join(plainOut, readdirSync(plainOut)[0] as string, 'result.json'), 'utf8')) as typeof result
    expect(plainResult.trades).toEqual(result.trades)
    expect(plainResult.curve).toEqual(result.curve)

    const runs = await run(['store', 'runs', '--store', db])
    expect(runs.code).toBe(0)
    expect(runs.out).toMatch(new RegExp(`\\| ${runId} +\\| backtest +\\| bt +\\| binance-usdm +\\| BTC/USDT:USDT +\\| 2025-12-29T09:20:00Z`))
  })
})

describe('perpkit paper --store', () => {
  it('writes the paper session as a paper run with its equity curve', async () => {
    const db = join(tmp, 'paper.db')
    const r = await run(['paper', '--replay', '--config', cfg, '--minutes', '60', '--speed', '600', '--warmup', '200', '--store', db, '--out', join(tmp, 'out-paper')])
    expect(r.code).toBe(0)
    const runId = readdirSync(join(tmp, 'out-paper'))[0] as string
    expect(r.out).toContain(`store:  run ${runId} written to ${db}\n`)
    const result = JSON.parse(readFileSync(join(tmp, 'out-paper', runId, 'result.json'), 'utf8')) as { curve: { equity: number[] } }
    const store = await openSqliteStore({ path: db })
    expect((await store.getRun(runId))?.mode).toBe('paper')
    expect((await store.getEquity(runId)).map((p) => p.equityUsd)).toEqual(result.curve.equity)
    await store.close()
  })
})

// The same commands against a real PostgreSQL (a `postgres://` URL as --store): `bash .ci/run` starts one and exports
// PERPKIT_TEST_PG_URL; without it this is skipped with one line locally and fails under CI.
const pgUrl = process.env.PERPKIT_TEST_PG_URL
if (pgUrl === undefined && process.env.CI === undefined) console.warn('skipping perpkit store on PostgreSQL: set PERPKIT_TEST_PG_URL (bash .ci/run starts one)')
describe.runIf(pgUrl !== undefined || process.env.CI !== undefined)('perpkit store on PostgreSQL', () => {
  it('imports into and reads back from a postgres:// store', async () => {
    if (pgUrl === undefined) throw new Error('CI: PostgreSQL is required (.ci/run starts it and sets PERPKIT_TEST_PG_URL)')
    const series = ['--venue', `cli-test-${process.pid}`, '--symbol', 'BTC/USDT:USDT', '--timeframe', '5m']
    const r = await run(['store', 'import', csv, ...series, '--store', pgUrl])
    expect(r.err).toBe('')
    expect(r.out).toMatch(/^imported 3,000 candles/)
    const c = await run(['store', 'candles', ...series, '--to', String(csvRows[3]?.[0]), '--store', pgUrl])
    expect(c.out.trim().split('\n').slice(1).map((l) => l.split(',').map(Number))).toEqual(csvRows.slice(0, 3))
    const client = new pg.Client({ connectionString: pgUrl })
    await client.connect()
    await client.query('DELETE FROM candles WHERE series_id IN (SELECT id FROM series WHERE venue = $1)', [`cli-test-${process.pid}`])
    await client.query('DELETE FROM series WHERE venue = $1', [`cli-test-${process.pid}`])
    await client.end()
  })
})
