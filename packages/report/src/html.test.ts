/// <reference lib="dom" />
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { computeMetrics, parseCandles, type RunResult, type TradeRecord, writeReportFiles } from '@perpkit/engine'
import { writeHtmlReport } from './write.js'

// the engine's recorded Binance 5m candles (same repository; test-only)
const FIX = join(import.meta.dirname, '../../engine/test/fixtures')

// This test needs a local Chromium (Debian: `apt-get install chromium`). `PERPKIT_CHROMIUM` names another binary.
// Without one it is skipped with one loud line, except when `CI` is set: there the browser is required and the
// test fails, so CI can never go green without having rendered the report.
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome']
function findChromium(): string | undefined {
  const wanted = process.env.PERPKIT_CHROMIUM
  for (const path of wanted !== undefined && wanted !== '' ? [wanted] : CHROMIUM_CANDIDATES) {
    try {
      accessSync(path, constants.X_OK)
      return path
    } catch {
      // not there: try the next one
    }
  }
  return undefined
}
const chromiumPath = findChromium()
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false'
if (chromiumPath === undefined && !inCi) {
  console.warn(`⚠ SKIPPED HTML report test: no Chromium found (${process.env.PERPKIT_CHROMIUM ?? CHROMIUM_CANDIDATES.join(', ')}); install Debian's \`chromium\` or set PERPKIT_CHROMIUM (required when CI is set)`)
}
const tmp = mkdtempSync(join(tmpdir(), 'perpkit-html-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function sampleResult(): RunResult {
  const text = gunzipSync(readFileSync(join(FIX, 'binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz'))).toString('latin1')
  const all = parseCandles({ text, source: 'btc5m' })
  const n = 1500
  const bars = { openTimeMs: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[] }
  for (let i = 0; i < n; i++) {
    bars.openTimeMs.push(all.openTimeMs[i] as number)
    bars.open.push(all.open[i] as number)
    bars.high.push(all.high[i] as number)
    bars.low.push(all.low[i] as number)
    bars.close.push(all.close[i] as number)
  }
  // trades: long 1 BTC held for 100 bars, every 200 bars (7 trades), entered/exited at bar opens
  const trades: TradeRecord[] = []
  for (let k = 0, i = 100; i + 100 < n; i += 200, k++) {
    const e = bars.open[i] as number
    const x = bars.open[i + 100] as number
    trades.push({
      id: k + 1, symbol: 'BTC/USDT:USDT', side: 'long', qty: 1, entryTimeMs: bars.openTimeMs[i] as number, entryPrice: e,
      exitTimeMs: bars.openTimeMs[i + 100] as number, exitPrice: x, grossPnl: x - e, fees: 0, funding: 0, slippage: 0, netPnl: x - e,
      exitReason: 'signal', openAtEnd: false,
    })
  }
  const equity: number[] = []
  let cash = 10_000
  let t = 0
  for (let i = 0; i < n; i++) {
    const tr = trades[t]
    if (tr !== undefined && bars.openTimeMs[i] === tr.exitTimeMs) {
      cash += tr.netPnl
      t++
    }
    const open = trades[t] !== undefined && (bars.openTimeMs[i] as number) >= (trades[t] as TradeRecord).entryTimeMs
    equity.push(open ? cash + (bars.close[i] as number) - (trades[t] as TradeRecord).entryPrice : cash)
  }
  const curve = { timestampMs: bars.openTimeMs, equity }
  return {
    meta: { mode: 'backtest', venue: 'binance-usdm', symbol: 'BTC/USDT:USDT', settle: 'USDT', timeframe: '5m', strategy: { id: 't', className: 'Test', parameters: { a: 1 } }, dataSource: 'btc5m', bars: n },
    metrics: computeMetrics({ curve, trades }),
    curve,
    trades,
    halts: [],
    bars,
  }
}

describe('HTML report', () => {
  it.skipIf(chromiumPath === undefined && !inCi)('renders candles with trade markers, equity and drawdown in headless Chromium', async () => {
    if (chromiumPath === undefined) {
      throw new Error(`CI is set but no Chromium was found (${process.env.PERPKIT_CHROMIUM ?? CHROMIUM_CANDIDATES.join(', ')}): install Debian's \`chromium\` or set PERPKIT_CHROMIUM`)
    }
    const result = sampleResult()
    const files = { ...writeReportFiles({ result, dir: join(tmp, 'r') }), html: writeHtmlReport({ result, dir: join(tmp, 'r') }) }
    const html = readFileSync(files.html, 'utf8')
    expect(html).not.toMatch(/<script[^>]+src=/) // self-contained
    expect(readFileSync(files.trades, 'utf8').trim().split('\n')).toHaveLength(result.trades.length + 1)
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(String(e)))
      await page.goto(pathToFileURL(files.html).href)
      await page.waitForFunction(() => (window as unknown as { __perpkitReport?: { ready: boolean } }).__perpkitReport?.ready === true, undefined, { timeout: 20_000 })
      const info = (await page.evaluate(() => (window as unknown as { __perpkitReport: unknown }).__perpkitReport)) as {
        charts: number
        series: { candles: number; markers: number; equity: number; drawdown: number }
      }
      expect(errors).toEqual([])
      expect(info.charts).toBe(3)
      expect(info.series).toEqual({ candles: 1500, markers: 2 * result.trades.length, equity: 1500, drawdown: 1500 })
      await page.waitForTimeout(300)
      // every chart container has drawn non-background pixels on its canvases
      const painted = await page.evaluate(() =>
        ['c-price', 'c-equity', 'c-dd'].map((id) => {
          let count = 0
          document.getElementById(id)?.querySelectorAll('canvas').forEach((cv) => {
            const ctx = cv.getContext('2d')
            if (ctx === null || cv.width === 0 || cv.height === 0) return
            const px = ctx.getImageData(0, 0, cv.width, cv.height).data
            for (let i = 0; i < px.length; i += 4) if ((px[i + 3] ?? 0) > 0 && ((px[i] ?? 255) < 200 || (px[i + 1] ?? 255) < 200 || (px[i + 2] ?? 255) < 200)) count++
          })
          return count
        }),
      )
      for (const p of painted) expect(p).toBeGreaterThan(2000)
      const shot = await page.screenshot({ fullPage: false })
      writeFileSync(join(tmpdir(), 'perpkit-report-screenshot.png'), shot)
      expect(shot.length).toBeGreaterThan(20_000) // a blank page compresses to a few KB
    } finally {
      await browser.close()
    }
  })
})
