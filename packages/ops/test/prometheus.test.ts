// A real Prometheus (Debian's `prometheus` package) scrapes a real /metrics server with the shipped scrape config,
// and its HTTP API answers with the bot's equity and order metrics; every dashboard query is evaluated by it too.
// Locally without Prometheus: skipped with one line. In CI (CI=true): required.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { createBotMetrics } from '../src/metrics.js'
import { type MetricsServer, serveMetrics } from '../src/metrics-server.js'
import { dashboardPanels } from './dashboard.js'
import { inCi, prometheusTools, repoRoot } from './tools.js'

const tools = prometheusTools()

describe.runIf(inCi)('Prometheus in CI', () => {
  it('prometheus and promtool are installed (.ci/run installs the Debian package)', () => {
    expect(tools, 'prometheus/promtool not on PATH: .ci/run must install the Debian `prometheus` package').toBeDefined()
  })
})

interface QueryAnswer {
  status: 'success' | 'error'
  error?: string
  data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }
}

async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const port = (srv.address() as { port: number }).port
  await new Promise((resolve) => srv.close(resolve))
  return port
}

describe.skipIf(tools === undefined)('a real Prometheus scraping the bot metrics', () => {
  const shipped = join(repoRoot, 'deploy', 'prometheus.yml')
  let dir = ''
  let metrics: MetricsServer | undefined
  let prom: ChildProcess | undefined
  let promLog = ''
  let api = ''

  const query = async (expr: string): Promise<QueryAnswer> => (await (await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as QueryAnswer

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'perpkit-prom-'))
    const bot = createBotMetrics({ defaultLabels: { bot: 'test-bot' } })
    bot.setEquity({ account: 'main', currency: 'USDT', equity: 10_250.5 })
    bot.setOrders({ symbol: 'BTC/USDT:USDT', byState: { open: 2, untriggered: 1, filled: 7 } })
    bot.setStopStatus({ symbol: 'BTC/USDT:USDT', status: 'ACTIVE' })
    bot.setRiskMode('ACTIVE')
    bot.recordHalt({ scope: 'account', reason: 'daily-loss' })
    bot.observeDecisionLatencyMs(4)
    metrics = await serveMetrics({ registry: bot.registry, port: 0 })

    // the shipped config with its target pointed at the test server and a 1 s scrape interval
    const config = parse(readFileSync(shipped, 'utf8')) as {
      global: Record<string, string>
      scrape_configs: { static_configs: { targets: string[] }[] }[]
    }
    config.global.scrape_interval = '1s'
    config.global.scrape_timeout = '1s'
    const job = config.scrape_configs[0]
    const target = job?.static_configs[0]
    if (target === undefined) throw new Error('deploy/prometheus.yml has no static target')
    target.targets = [`127.0.0.1:${metrics.port}`]
    const configFile = join(dir, 'prometheus.yml')
    writeFileSync(configFile, stringify(config))

    const port = await freePort()
    api = `http://127.0.0.1:${port}`
    prom = spawn(
      tools?.prometheus ?? 'prometheus',
      [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    prom.stdout?.on('data', (d: Buffer) => (promLog += d.toString()))
    prom.stderr?.on('data', (d: Buffer) => (promLog += d.toString()))
  })

  afterAll(async () => {
    if (prom !== undefined && prom.exitCode === null) {
      const gone = new Promise((resolve) => prom?.once('exit', resolve))
      prom.kill('SIGTERM')
      await gone
    }
    await metrics?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('promtool accepts the shipped scrape config', () => {
    const r = spawnSync(tools?.promtool ?? 'promtool', ['check', 'config', shipped], { encoding: 'utf8' })
    expect(`${r.stdout}${r.stderr}`).toContain('SUCCESS')
    expect(r.status).toBe(0)
  })

  it('scrapes the metrics server and answers equity and order queries over its HTTP API', async () => {
    // wait (bounded) until the first scrape is in: readiness, then a non-empty answer
    let equity: QueryAnswer | undefined
    for (let i = 0; i < 240; i++) {
      if (prom?.exitCode !== null) throw new Error(`prometheus exited (${prom?.exitCode}): ${promLog}`)
      try {
        equity = await query('perpkit_equity')
        if (equity.data.result.length > 0) break
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    expect(equity?.status).toBe('success')
    expect(equity?.data.result).toHaveLength(1)
    expect(equity?.data.result[0]?.metric).toMatchObject({
      __name__: 'perpkit_equity',
      account: 'main',
      currency: 'USDT',
      bot: 'test-bot',
      job: 'perpkit',
      service: 'perpkit-reference-bot',
      instance: `127.0.0.1:${metrics?.port}`,
    })
    expect(Number(equity?.data.result[0]?.value[1])).toBe(10_250.5)

    const orders = await query('sum by (state) (perpkit_orders)')
    const byState = Object.fromEntries((orders.data.result ?? []).map((r) => [r.metric.state, Number(r.value[1])]))
    expect(byState).toEqual({ open: 2, untriggered: 1, triggered: 0, 'partially-filled': 0, filled: 7, canceled: 0, rejected: 0, expired: 0 })

    const up = await query('up{job="perpkit"}')
    expect(up.data.result.map((r) => r.value[1])).toEqual(['1'])
  })

  it('evaluates every dashboard query without an error', async () => {
    for (const panel of dashboardPanels()) {
      for (const target of panel.targets) {
        const answer = await query(target.expr)
        expect(answer.status, `${panel.title}: ${target.expr}: ${answer.error ?? ''}`).toBe('success')
      }
    }
    const stop = await query('perpkit_stop_status == 1')
    expect(stop.data.result.map((r) => r.metric.status)).toEqual(['ACTIVE'])
  })
})
