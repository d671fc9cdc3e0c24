import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { type Io, main } from './cli.js'

const APP = join(import.meta.dirname, '..')
const tmp = mkdtempSync(join(tmpdir(), 'perpkit-cli-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

// a small real slice: the first 3,000 bars of the embedded Binance BTCUSDT 5m file
const fullCsv = gunzipSync(readFileSync(join(APP, 'data', 'binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz'))).toString('latin1')
const smallCsv = `${fullCsv.split('\n').slice(0, 3001).join('\n')}\n`
writeFileSync(join(tmp, 'small.csv'), smallCsv)

function config(over: string, name: string): string {
  const file = join(tmp, `${name}.yaml`)
  writeFileSync(
    file,
    `mode: backtest
venue: binance-usdm
testnet: true
symbols: [BTC]
data: { candles: small.csv, timeframe: 5m, cache: false }
strategy: { id: t, class: SmaCrossover, parameters: { fastPeriod: 10, slowPeriod: 40, mode: long-short } }
account: { initialBalance: 10000, leverage: 3 }
sizing: { mode: risk-fraction, riskFraction: 0.01, stopDistancePct: 0.03 }
output: { dir: ${join(tmp, `out-${name}`)} }
${over}`,
  )
  return file
}

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: Io = { out: (t) => (out += t), err: (t) => (err += t), env, isTty: false, nowMs: () => 1_767_000_000_000, sleep: async () => {} }
  const code = await main(argv, io)
  return { code, out, err }
}

const runDirs = (name: string): string[] => (existsSync(join(tmp, `out-${name}`)) ? readdirSync(join(tmp, `out-${name}`)) : [])

describe('perpkit CLI', () => {
  it('backtest writes a complete report and signed decision logs', async () => {
    const r = await run(['backtest', '--config', config('', 'ok')])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/report: .*report\.html/)
    const dirs = runDirs('ok')
    expect(dirs).toHaveLength(1)
    const dir = join(tmp, 'out-ok', dirs[0] as string)
    for (const f of ['report.html', 'result.json', 'metrics.json', 'trades.csv', 'equity.csv', 'trades.jsonl', 'decisions.jsonl', 'halts.jsonl', 'daily.jsonl']) expect(existsSync(join(dir, f))).toBe(true)
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { meta: { bars: number }; trades: unknown[] }
    expect(result.meta.bars).toBe(3000)
    expect(result.trades.length).toBeGreaterThan(0)
    const decisions = readFileSync(join(dir, 'decisions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { decision: { signature: string } })
    expect(decisions.length).toBeGreaterThan(0)
    for (const d of decisions) expect(d.decision.signature).toMatch(/^[0-9a-f]{64}$/)
    expect(readFileSync(join(dir, 'daily.jsonl'), 'utf8').trim().split('\n').length).toBeGreaterThan(5)

    // report re-renders a saved run
    const rep = await run(['report', dir])
    expect(rep.code).toBe(0)
    expect(rep.out).toMatch(/report: .*-report\/report\.html/)
  })

  it.each([
    ['missing data file', 'data: { candles: nope.csv, timeframe: 5m, cache: false }', /data file not found: .*nope\.csv/],
    ['unknown strategy class', 'strategy: { id: t, class: NoSuchStrategy }', /unknown strategy class NoSuchStrategy/],
    ['invalid config value', 'account: { initialBalance: 10000, leverage: -2 }', /bad-value\.yaml: invalid config\n\s+account\.leverage: .*>=1/],
    ['bad strategy parameter', 'strategy: { id: t, class: SmaCrossover, parameters: { fastPeriod: 60, slowPeriod: 40 } }', /parameters\.slowPeriod: slowPeriod must be greater than fastPeriod/],
    ['secret in the config file', 'apiKey: abc123', /apiKey: secrets are not allowed in the config file/],
  ])('%s → clear message, exit ≠ 0, no run output', async (_what, override, message) => {
    const name = _what === 'invalid config value' ? 'bad-value' : _what.replace(/\W+/g, '-')
    // the override replaces a top-level key: rewrite the base config without that key
    const key = override.split(':')[0] as string
    const base = readFileSync(config('', name), 'utf8').split('\n').filter((l) => !l.startsWith(`${key}:`)).join('\n')
    writeFileSync(join(tmp, `${name}.yaml`), `${base}\n${override}\n`)
    const r = await run(['backtest', '--config', join(tmp, `${name}.yaml`)])
    expect(r.code).not.toBe(0)
    expect(r.err).toMatch(message)
    expect(r.err).not.toMatch(/\n\s+at /) // no stack trace for bad input
    expect(runDirs(name)).toEqual([])
    if (_what === 'secret in the config file') expect(r.err).not.toContain('abc123')
  })

  it('a malformed CSV row names file and line, and leaves no partial output', async () => {
    const lines = smallCsv.split('\n')
    lines[1500] = '1752077100000,108000.1,108100.0,oops,108050.0,12.5'
    writeFileSync(join(tmp, 'bad.csv'), lines.join('\n'))
    const file = config('', 'badcsv').replace(/\.yaml$/, '2.yaml')
    writeFileSync(file, readFileSync(config('', 'badcsv'), 'utf8').replace('small.csv', 'bad.csv'))
    const r = await run(['backtest', '--config', file])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/corrupt data: .*bad\.csv:1501: column 4: "oops" is not a number/)
    expect(runDirs('badcsv')).toEqual([])
  })

  it('check reports mode, network, markets, leverage and whether keys are present — never their values', async () => {
    const file = config('', 'check')
    const r = await run(['check', '--config', file], { PERPKIT_TESTNET_API_KEY: 'k-SECRET-1', PERPKIT_TESTNET_API_SECRET: 's-SECRET-2' })
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/binance-usdm TESTNET — settle USDT/)
    expect(r.out).toMatch(/market BTC\/USDT:USDT/)
    expect(r.out).toMatch(/leverage BTC\/USDT:USDT +\| ok +\| 3x/)
    expect(r.out).toMatch(/API key present, secret present/)
    expect(r.out).not.toMatch(/SECRET-1|SECRET-2/)
    const prod = config('testnet: false', 'check-prod').replace(/\.yaml$/, '')
    const text = readFileSync(`${prod}.yaml`, 'utf8').replace('testnet: true\n', '')
    writeFileSync(`${prod}.yaml`, text)
    const p = await run(['check', '--config', `${prod}.yaml`])
    expect(p.out).toMatch(/PRODUCTION — settle USDC/)
    expect(p.out).toMatch(/market BTC\/USDC:USDC/)
    expect(p.out).toMatch(/API key absent/)
    const lev = config('', 'check-lev')
    writeFileSync(lev, readFileSync(lev, 'utf8').replace('leverage: 3', 'leverage: 126').replace('initialBalance: 10000', 'initialBalance: 10000'))
    const l = await run(['check', '--config', lev])
    expect(l.code).not.toBe(0)
  })

  it('paper --replay runs an accelerated session on replayed data', async () => {
    const r = await run(['paper', '--replay', '--config', config('', 'paper'), '--minutes', '60', '--speed', '600', '--warmup', '200'])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/60-minute-equivalent session at 600× — 12 bar\(s\)/)
    expect(r.out.match(/\[paper\] 20/g)).toHaveLength(12)
    expect(r.out).toMatch(/session done: 3600 one-second ticks/)
    expect(runDirs('paper')).toHaveLength(1)
  })

  it('backtests from a trade tape (candles built from trades, trades fed to the venue)', async () => {
    const file = join(tmp, 'tape.yaml')
    writeFileSync(
      file,
      `symbols: [BTC]
data: { trades: ${join(APP, 'test', 'fixtures', 'binance_usdm_BTCUSDT_trades_head2000.csv')}, timeframe: 1m, cache: false }
strategy: { id: tape, class: SmaCrossover, parameters: { fastPeriod: 2, slowPeriod: 3, mode: long-short } }
sizing: { mode: fixed-qty, qty: 0.01, stopDistancePct: 0.05 }
output: { dir: ${join(tmp, 'out-tape')} }
`,
    )
    const r = await run(['backtest', '--config', file])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/binance_usdm_BTCUSDT_trades_head2000\.csv|tape/)
    const dirs = runDirs('tape')
    expect(dirs).toHaveLength(1)
    const result = JSON.parse(readFileSync(join(tmp, 'out-tape', dirs[0] as string, 'result.json'), 'utf8')) as { meta: { bars: number; dataSource: string } }
    expect(result.meta.dataSource).toBe('binance_usdm_BTCUSDT_trades_head2000.csv')
    expect(result.meta.bars).toBeGreaterThan(0)
  })

  it('unfinished run folders of dead processes are removed at the next run; those of live processes are kept', async () => {
    const file = config('', 'stale')
    const out = join(tmp, 'out-stale')
    const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout)
    const dead = `.backtest-t-20250101T000000Z.partial-${deadPid}`
    const live = `.backtest-t-20250101T000000Z.partial-${process.ppid}`
    mkdirSync(join(out, dead), { recursive: true })
    writeFileSync(join(out, dead, 'trades.jsonl'), '{}\n')
    mkdirSync(join(out, live))
    const r = await run(['backtest', '--config', file])
    expect(r.code).toBe(0)
    expect(r.err.split('\n')[0]).toBe(`removed 1 unfinished run folder(s) left by runs that died: ${dead}`)
    expect(existsSync(join(out, dead))).toBe(false)
    expect(existsSync(join(out, live))).toBe(true)
  })

  it('an output directory that cannot be created is one line, exit 1, no stack trace', async () => {
    writeFileSync(join(tmp, 'a-file'), 'x')
    const r = await run(['backtest', '--config', config('', 'fserr'), '--out', join(tmp, 'a-file', 'x')])
    expect(r.code).toBe(1)
    expect(r.err).toBe(`perpkit backtest: cannot create the output directory ${join(tmp, 'a-file', 'x')}: not a directory (ENOTDIR)\n`)
  })

  it('live explains that it arrives with the exchange adapters', async () => {
    const r = await run(['live'])
    expect(r.code).toBe(3)
    expect(r.err).toMatch(/arrive with the\s+exchange issue|exchange issue/)
  })

  it('the real process exits non-zero on bad input (spawned)', () => {
    const tsx = createRequire(import.meta.url).resolve('tsx/esm')
    mkdirSync(join(tmp, 'spawn'), { recursive: true })
    const res = spawnSync(process.execPath, ['--conditions=@perpkit/source', '--import', tsx, join(APP, 'src', 'cli.ts'), 'backtest', '--config', join(tmp, 'missing.yaml')], {
      cwd: join(tmp, 'spawn'),
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(res.status).toBe(1)
    expect(res.stderr).toMatch(/config file not found: .*missing\.yaml/)
    const live = spawnSync(process.execPath, ['--conditions=@perpkit/source', '--import', tsx, join(APP, 'src', 'cli.ts'), 'live'], { cwd: join(tmp, 'spawn'), encoding: 'utf8', timeout: 60_000 })
    expect(live.status).toBe(3)
  })
})
