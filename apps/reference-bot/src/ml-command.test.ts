import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from './test-cli.js'

const APP = join(import.meta.dirname, '..')
const tmp = mkdtempSync(join(tmpdir(), 'perpkit-ml-cli-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

// the first 3,000 bars of the embedded Binance BTCUSDT 5m file (2025-07-04 11:35 → 2025-07-14 21:30 UTC)
const fullCsv = gunzipSync(readFileSync(join(APP, 'data', 'binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz'))).toString('latin1')
writeFileSync(join(tmp, 'small.csv'), `${fullCsv.split('\n').slice(0, 3001).join('\n')}\n`)
// bars of the training window (open time up to 2025-07-09 23:55 UTC), counted from the file itself
const TRAIN_BARS = fullCsv.split('\n').slice(1, 3001).filter((l) => Number(l.split(',')[0]) <= Date.parse('2025-07-09T23:55:00Z')).length

const CONFIG = join(tmp, 'ml.yaml')
writeFileSync(
  CONFIG,
  `mode: backtest
venue: binance-usdm
symbols: [BTC]
data: { candles: small.csv, timeframe: 5m, cache: false }
strategy:
  id: ml-t
  class: MlSignal
  parameters: { registry: models, enterAbove: 0.55, shortBelow: 0.45, maxHoldBars: 24 }
ml:
  label: { kind: forward-return, horizonBars: 12, thresholdPct: 0 }
  forest: { trees: 4, maxDepth: 3, seed: 1 }
  train: { to: 2025-07-09T23:55:00Z }
  folds: 2
account: { initialBalance: 10000, leverage: 3 }
sizing: { mode: risk-fraction, riskFraction: 0.005, stopDistancePct: 0.015 }
risk: { enabled: false }
output: { dir: ${join(tmp, 'reports')} }
`,
)

const run = (argv: string[]) => runCli(argv)

describe('perpkit ml', { timeout: 300_000 }, () => {
  it('train → list → promote → rollback, and a backtest of the MlSignal config runs on the current model', async () => {
    expect((await run(['ml', 'list', '-c', CONFIG])).out).toMatch(/no models in .*models/)
    const backtestFirst = await run(['backtest', '-c', CONFIG])
    expect(backtestFirst.code).toBe(1)
    expect(backtestFirst.err).toMatch(/no usable model in .*models \(promote one first\)/)

    const t1 = await run(['ml', 'train', '-c', CONFIG, '--promote'])
    expect(t1.err).toBe('')
    expect(t1.code).toBe(0)
    expect(t1.out).toContain(`${TRAIN_BARS.toLocaleString('en-US')} bars 2025-07-04 11:35 → 2025-07-09 23:55 UTC`)
    // rows: every bar with features (19 warm-up bars without) and a known 12-bar-ahead label
    expect(t1.out).toMatch(new RegExp(`saved v000001 in .*models: ${(TRAIN_BARS - 19 - 12).toLocaleString('en-US')} rows, 10 features`))
    expect(t1.out).toMatch(/current model: v000001 \(previous: none\)/)
    const meta = JSON.parse(readFileSync(join(tmp, 'models', 'models', 'v000001', 'meta.json'), 'utf8')) as { training: { fromMs: number; toMs: number; symbol: string }; label: unknown; createdAtMs: number }
    expect(meta.training).toMatchObject({ fromMs: Date.parse('2025-07-04T11:35:00Z'), toMs: Date.parse('2025-07-09T23:55:00Z'), symbol: 'BTC/USDT:USDT' })
    expect(meta.createdAtMs).toBe(1_767_000_000_000)

    const t2 = await run(['ml', 'train', '-c', CONFIG, '--seed', '7', '--folds', '2'])
    expect(t2.code).toBe(0)
    expect(t2.out).toMatch(/walk-forward, 2 purged folds/)
    expect(t2.out).toMatch(/not promoted: perpkit ml promote v000002/)
    const meta2 = JSON.parse(readFileSync(join(tmp, 'models', 'models', 'v000002', 'meta.json'), 'utf8')) as { metrics: Record<string, number> }
    expect(Object.keys(meta2.metrics).sort()).toEqual(['controlAccuracy', 'controlLogLoss', 'folds', 'oosAccuracy', 'oosLogLoss'])

    const c = await run(['ml', 'train', '-c', CONFIG, '--control', '3'])
    expect(c.out).toMatch(/saved v000003 \(CONTROL: labels shuffled with seed 3\)/)
    const list = await run(['ml', 'list', '-c', CONFIG])
    expect(list.out).toMatch(/v000003 .*forward-return 12 \(control\)/)
    expect(list.out).toMatch(/\* v000001/)
    expect(list.out).toMatch(/ {3}v000002/)
    expect((await run(['ml', 'promote', 'v000002', '-c', CONFIG])).out).toMatch(/current model: v000002 \(previous: v000001\)/)
    expect((await run(['ml', 'rollback', '-c', CONFIG])).out).toMatch(/rolled back v000002 → v000001/)
    const again = await run(['ml', 'rollback', '-c', CONFIG])
    expect(again.code).toBe(1)
    expect(again.err).toMatch(/no previous model to roll back to/)

    const bt = await run(['backtest', '-c', CONFIG])
    expect(bt.code).toBe(0)
    expect(bt.err).toMatch(/model v000001 in use from 2025-07-04T/)
    const dir = join(tmp, 'reports', readdirSync(join(tmp, 'reports')).find((d) => d.startsWith('backtest-')) as string)
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { meta: { bars: number }; trades: { exitReason: string }[] }
    expect(result.meta.bars).toBe(3000)
    expect(result.trades.length).toBeGreaterThan(0)
    // the ML exit closes trades (exit reason 'signal'), next to the time exit and the stop
    expect(result.trades.some((t) => t.exitReason === 'signal')).toBe(true)
    type Decision = { decision: { action: string; proposal: { confidence: number; strategy: string } } }
    const entries = readFileSync(join(dir, 'decisions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Decision).filter((d) => d.decision.action === 'enter')
    expect(entries.length).toBeGreaterThan(0)
    // an entry's confidence is the model's probability for its side: at least enterAbove (long) or 1 − shortBelow (short)
    for (const e of entries) expect([e.decision.proposal.strategy, e.decision.proposal.confidence >= 0.55]).toEqual(['ml-t', true])
  })

  it('refuses a damaged model with one line (exit 1) and lists it as damaged', async () => {
    const artefact = join(tmp, 'models', 'models', 'v000002', 'model.json')
    truncateSync(artefact, 200)
    const r = await run(['ml', 'promote', 'v000002', '-c', CONFIG])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/^perpkit ml: corrupt data: .*v000002\/model\.json: does not match the checksum/)
    expect((await run(['ml', 'list', '-c', CONFIG])).out).toMatch(/v000002 +\| DAMAGED/)
  })

  it('evaluate writes a JSON and an HTML report of the walk-forward folds next to the shuffled control', async () => {
    const out = join(tmp, 'eval')
    const r = await run(['ml', 'evaluate', '-c', CONFIG, '--folds', '2', '--out', out])
    expect(r.code).toBe(0)
    const [name] = readdirSync(out)
    const doc = JSON.parse(readFileSync(join(out, name as string, 'evaluation.json'), 'utf8')) as { walkForward: { folds: unknown[]; outOfSample: { count: number }; control: { count: number } }; data: { bars: number }; beatsControl: Record<string, boolean> }
    expect(doc.data.bars).toBe(TRAIN_BARS)
    expect(doc.walkForward.folds).toHaveLength(2)
    expect(doc.walkForward.control.count).toBe(doc.walkForward.outOfSample.count)
    expect(Object.keys(doc.beatsControl).sort()).toEqual(['accuracy', 'logLoss'])
    expect(readFileSync(join(out, name as string, 'evaluation.html'), 'utf8')).toMatch(/<h1>Walk-forward evaluation<\/h1>/)
  })

  it('usage errors: unknown action, promote without or with a bad version, a version where none is taken', async () => {
    for (const argv of [['ml', 'fly'], ['ml', 'promote', '-c', CONFIG], ['ml', 'promote', 'v1', '-c', CONFIG], ['ml', 'list', 'v000001', '-c', CONFIG]]) {
      const r = await run(argv)
      expect(r.code).toBe(2)
    }
    expect(existsSync(join(tmp, 'models', 'models', 'v000004'))).toBe(false)
  })
})
