import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from './test-cli.js'

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

const run = (argv: string[], env: NodeJS.ProcessEnv = {}) => runCli(argv, { env })

const runDirs = (name: string): string[] => (existsSync(join(tmp, `out-${name}`)) ? readdirSync(join(tmp, `out-${name}`)) : [])

describe('perpkit CLI', () => {
  it('backtest writes a complete report and signed decision logs', async () => {
    const r = await run(['backtest', '--config', config('', 'ok')])
    // nothing on stderr but HALT lines (the risk package's default circuit breaker trips on this 10,000 USDT account)
    expect(r.err.split('\n').filter((l) => l !== '' && !/^HALT( lifted)? at /.test(l))).toEqual([])
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

  describe('silent-wrong inputs now refuse or warn', () => {
    const lines = smallCsv.split('\n')
    const edited = (name: string, line: number, edit: (fields: string[]) => string[]): string => {
      const copy = [...lines]
      copy[line - 1] = edit((copy[line - 1] as string).split(',')).join(',')
      writeFileSync(join(tmp, name), copy.join('\n'))
      return name
    }
    const withData = (name: string, data: string, over = ''): string => {
      const file = config(over, name)
      writeFileSync(file, readFileSync(file, 'utf8').replace('candles: small.csv', `candles: ${data}`))
      return file
    }
    const replaceKey = (name: string, key: string, line: string): string => {
      const file = config('', name)
      writeFileSync(file, `${readFileSync(file, 'utf8').split('\n').filter((l) => !l.startsWith(`${key}:`)).join('\n')}\n${line}\n`)
      return file
    }

    it('a price of 1e308 → exit 1, refused with file:line', async () => {
      const file = withData('absurd', edited('absurd.csv', 1500, ([t, o, , l, , v]) => [t as string, o as string, '1e308', l as string, '1e308', v as string]))
      const r = await run(['backtest', '--config', file])
      expect(r.code).toBe(1)
      expect(r.err.split('\n')[0]).toBe(`perpkit backtest: data.candles: ${join(tmp, 'absurd.csv')}:1500: absurd value (o=${Number(lines[1499]?.split(',')[1])} h=1e+308 l=${Number(lines[1499]?.split(',')[3])} c=1e+308 v=${Number(lines[1499]?.split(',')[5])}): above 9007199254740991, no market quotes that (1 problem(s) in ${join(tmp, 'absurd.csv')})`)
      expect(runDirs('absurd')).toEqual([])
    })

    it('a price 10× the previous close → exit 1 (price jump), and passes when data.maxJumpFactor allows it', async () => {
      const prev = Number(lines[1498]?.split(',')[4])
      const data = edited('jump.csv', 1500, ([t, o, , l, , v]) => [t as string, o as string, String(prev * 10), l as string, o as string, v as string])
      const r = await run(['backtest', '--config', withData('jump', data)])
      expect(r.code).toBe(1)
      expect(r.err.split('\n')[0]).toBe(`perpkit backtest: data.candles: ${join(tmp, 'jump.csv')}:1500: price jump: ${prev * 10} is 10.0× above the previous close ${prev} (line 1499); the bound is 5× (1 problem(s) in ${join(tmp, 'jump.csv')})`)
      const loose = withData('jump-ok', data)
      writeFileSync(loose, readFileSync(loose, 'utf8').replace('cache: false', 'cache: false, maxJumpFactor: 20'))
      expect((await run(['backtest', '--config', loose])).code).toBe(0)
    })

    it('initialBalance 1e300 → exit 1, the field and the bound named', async () => {
      const r = await run(['backtest', '--config', replaceKey('rich', 'account', 'account: { initialBalance: 1e300, leverage: 3 }')])
      expect(r.code).toBe(1)
      expect(r.err.split('\n').slice(0, 2)).toEqual([`perpkit backtest: ${join(tmp, 'rich.yaml')}: invalid config`, '  account.initialBalance: at most 1e+10: no venue holds an account, or accepts a position, that large'])
    })

    it('a fixed quantity no venue accepts → exit 1 before anything runs', async () => {
      const r = await run(['backtest', '--config', replaceKey('huge-qty', 'sizing', 'sizing: { mode: fixed-qty, qty: 1000000, stopDistancePct: 0.03 }')])
      expect(r.code).toBe(1)
      expect(r.err.split('\n')[0]).toMatch(new RegExp(`^perpkit backtest: ${join(tmp, 'huge-qty.yaml').replace(/[.]/g, '\\.')}: sizing\\.qty: 1000000 is worth 1\\.\\d{3}e\\+11 at the first price \\d+(\\.\\d+)?; no venue accepts an order above 1e\\+10$`))
      expect(runDirs('huge-qty')).toEqual([])
    })

    it('a fixed quantity the margin cannot carry is refused on every entry → a warning and a summary line', async () => {
      // 10 BTC at ~108,000 and 3x needs ~360,000 USDT of margin on a 10,000 USDT account
      const r = await run(['backtest', '--config', replaceKey('cut', 'sizing', 'sizing: { mode: fixed-qty, qty: 10, stopDistancePct: 0.03 }')])
      expect(r.code).toBe(0)
      expect(r.err.split('\n')[0]).toMatch(/^warning: sizing refused the entry at 2025-07-\d\d \d\d:\d\d UTC \(insufficient-margin\); further refusals are counted in the summary and listed in decisions\.jsonl$/)
      const decisions = readFileSync(join(tmp, 'out-cut', runDirs('cut')[0] as string, 'decisions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { sizeRefusal?: string; decision: { action: string } })
      const entries = decisions.filter((d) => d.decision.action === 'enter')
      expect(entries.length).toBeGreaterThan(0)
      expect(entries.every((d) => d.sizeRefusal === 'insufficient-margin')).toBe(true)
      expect(r.out).toContain(`\nsizing: of ${entries.length} entries, ${entries.length} refused (insufficient-margin ${entries.length}) — see decisions.jsonl\n`)
    })

    it('a fixed notional of 50 USDT (below the 0.001 BTC minimum quantity) refuses every entry → a warning and a summary line', async () => {
      const r = await run(['backtest', '--config', replaceKey('refused', 'sizing', 'sizing: { mode: fixed-notional, notional: 50, stopDistancePct: 0.03 }')])
      expect(r.code).toBe(0)
      expect(r.err.split('\n')[0]).toMatch(/^warning: sizing refused the entry at 2025-07-\d\d \d\d:\d\d UTC \(below-min-qty\); further refusals are counted in the summary and listed in decisions\.jsonl$/)
      expect(r.out).toMatch(/\nsizing: of (\d+) entries, \1 refused \(below-min-qty \1\) — see decisions\.jsonl\n/)
    })

    it('symbols: [ETH] on BTCUSDT data → exit 1, nothing run', async () => {
      writeFileSync(join(tmp, 'binance_usdm_BTCUSDT_5m_small.csv'), smallCsv)
      const file = withData('eth', 'binance_usdm_BTCUSDT_5m_small.csv')
      writeFileSync(file, readFileSync(file, 'utf8').replace('symbols: [BTC]', 'symbols: [ETH]'))
      const r = await run(['backtest', '--config', file])
      expect(r.code).toBe(1)
      expect(r.err.split('\n')[0]).toBe(`perpkit backtest: ${file}: symbols: [ETH] but binance_usdm_BTCUSDT_5m_small.csv is BTC data (by its name); run it with symbols: [BTC] or give ETH data`)
      expect(runDirs('eth')).toEqual([])
      const check = await run(['check', '--config', file])
      expect(check.code).toBe(1)
      expect(check.out).toMatch(/data symbol +\| FAIL +\| .*symbols: \[ETH\] but binance_usdm_BTCUSDT_5m_small\.csv is BTC data/)
    })

    it('binary garbage in a CSV → exit 1, file:line, no raw bytes on the terminal', async () => {
      const copy = Buffer.concat([Buffer.from(lines.slice(0, 1000).join('\n')), Buffer.from('\n\u001b[2J\u001b]0;owned\u0007'), Buffer.from([0, 0xff, 0xfe]), Buffer.from('\n')])
      writeFileSync(join(tmp, 'garbage.csv'), copy)
      const r = await run(['backtest', '--config', withData('garbage', 'garbage.csv')])
      expect(r.code).toBe(1)
      expect(r.err.split('\n')[0]).toBe(`perpkit backtest: corrupt data: ${join(tmp, 'garbage.csv')}:1001: binary data (a NUL byte) in a text data file; is it compressed without a .gz name, or not CSV at all?`)
      expect([...r.err].filter((ch) => (ch < " " && ch !== "\n") || ch > "~")).toEqual([])
    })

    it('--out /dev/null/x → exit 1, one line', async () => {
      const r = await run(['backtest', '--config', config('', 'devnull'), '--out', '/dev/null/x'])
      expect(r.code).toBe(1)
      expect(r.err).toBe('perpkit backtest: cannot create the output directory /dev/null/x: not a directory (ENOTDIR)\n')
    })
  })

  it('live without keys is refused with one line naming the variables (exit 1)', async () => {
    const r = await run(['live'])
    expect(r.code).toBe(1)
    expect(r.err).toBe('perpkit live: API keys missing: set PERPKIT_TESTNET_API_KEY / PERPKIT_TESTNET_API_SECRET (or PERPKIT_API_KEY / PERPKIT_API_SECRET) in the environment\n')
  })

  it('live --production without PERPKIT_CONFIRM_PRODUCTION=yes is refused before anything else (exit 1)', async () => {
    const r = await run(['live', '--production'], { PERPKIT_API_KEY: 'k', PERPKIT_API_SECRET: 's' })
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/^perpkit live: production needs both the --production flag and PERPKIT_CONFIRM_PRODUCTION=yes/)
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
    const live = spawnSync(process.execPath, ['--conditions=@perpkit/source', '--import', tsx, join(APP, 'src', 'cli.ts'), 'live'], { cwd: join(tmp, 'spawn'), encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '' } })
    expect(live.status).toBe(1)
    expect(live.stderr).toMatch(/API keys missing/)
  })
})
