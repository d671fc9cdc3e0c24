import { describe, expect, it } from 'vitest'
import { BOT_METRIC_NAMES, createBotMetrics } from '../src/metrics.js'
import { serveMetrics } from '../src/metrics-server.js'
import { parsePromText } from './prom-text.js'

describe('bot metrics served over HTTP', () => {
  it('serves every bot metric on 127.0.0.1 and the values parse back', async () => {
    const m = createBotMetrics({ defaultLabels: { bot: 'btc-bot' } })
    m.setEquity({ account: 'main', currency: 'USDT', equity: 10_250.5 })
    m.setPosition({ symbol: 'BTC/USDT:USDT', qtyContracts: -0.015 })
    m.setPnl({ symbol: 'BTC/USDT:USDT', currency: 'USDT', realized: 120.25, unrealized: -3.5 })
    m.setOrders({ symbol: 'BTC/USDT:USDT', byState: { open: 1, untriggered: 1, filled: 12 } })
    m.setStopStatus({ symbol: 'BTC/USDT:USDT', status: 'ACTIVE' })
    m.recordHalt({ scope: 'account', reason: 'daily-loss' })
    m.recordHalt({ scope: 'account', reason: 'daily-loss' })
    m.recordResume({ scope: 'account' })
    m.setRiskMode('REDUCING')
    m.setStreamStaleness({ stream: 'user-stream', seconds: 2.5 })
    m.setRequestBudgetUsed({ venue: 'binance-usdm', ratio: 0.42 })
    m.setEventLoopLagMs(12)
    for (const ms of [0.5, 3, 3, 40, 7000]) m.observeDecisionLatencyMs(ms)

    const server = await serveMetrics({ registry: m.registry, port: 0 })
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`)
      const res = await fetch(server.url)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain('text/plain')
      const { samples, types } = parsePromText(await res.text())
      const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
        samples.find((s) => s.name === name && Object.entries({ bot: 'btc-bot', ...labels }).every(([k, v]) => s.labels[k] === v))?.value

      for (const name of BOT_METRIC_NAMES) expect(types.has(name), name).toBe(true)
      expect(types.get('perpkit_decision_latency_seconds')).toBe('histogram')
      expect(types.get('perpkit_halts_total')).toBe('counter')
      expect(value('perpkit_equity', { account: 'main', currency: 'USDT' })).toBe(10_250.5)
      expect(value('perpkit_position_contracts', { symbol: 'BTC/USDT:USDT' })).toBe(-0.015)
      expect(value('perpkit_realized_pnl', { symbol: 'BTC/USDT:USDT' })).toBe(120.25)
      expect(value('perpkit_unrealized_pnl', { symbol: 'BTC/USDT:USDT' })).toBe(-3.5)
      expect(value('perpkit_orders', { state: 'open' })).toBe(1)
      expect(value('perpkit_orders', { state: 'filled' })).toBe(12)
      expect(value('perpkit_orders', { state: 'canceled' })).toBe(0)
      expect(samples.filter((s) => s.name === 'perpkit_stop_status').map((s) => [s.labels.status, s.value])).toEqual([
        ['NONE', 0],
        ['ACTIVE', 1],
        ['PENDING', 0],
        ['MISSING', 0],
        ['ERROR', 0],
      ])
      expect(value('perpkit_halts_total', { scope: 'account', reason: 'daily-loss' })).toBe(2)
      expect(value('perpkit_halted', { scope: 'account' })).toBe(0)
      expect(value('perpkit_risk_mode', { mode: 'REDUCING' })).toBe(1)
      expect(value('perpkit_risk_mode', { mode: 'ACTIVE' })).toBe(0)
      expect(value('perpkit_ws_staleness_seconds', { stream: 'user-stream' })).toBe(2.5)
      expect(value('perpkit_request_budget_used_ratio', { venue: 'binance-usdm' })).toBe(0.42)
      expect(value('perpkit_event_loop_lag_seconds')).toBe(0.012)
      // 5 observations: 0.5 ms, 3 ms, 3 ms, 40 ms, 7 s → le=0.001: 1, le=0.005: 3, le=0.05: 4, le=5: 4, +Inf: 5
      expect(value('perpkit_decision_latency_seconds_bucket', { le: '0.001' })).toBe(1)
      expect(value('perpkit_decision_latency_seconds_bucket', { le: '0.005' })).toBe(3)
      expect(value('perpkit_decision_latency_seconds_bucket', { le: '0.05' })).toBe(4)
      expect(value('perpkit_decision_latency_seconds_bucket', { le: '5' })).toBe(4)
      expect(value('perpkit_decision_latency_seconds_bucket', { le: '+Inf' })).toBe(5)
      expect(value('perpkit_decision_latency_seconds_count')).toBe(5)
      expect(value('perpkit_decision_latency_seconds_sum')).toBeCloseTo(7.0465, 10)
      expect(types.has('process_cpu_user_seconds_total')).toBe(true)

      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404)
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(405)
    } finally {
      await server.close()
    }
  })

  it('keeps registries apart and can skip the default process metrics', async () => {
    const a = createBotMetrics({ defaultMetrics: false })
    const b = createBotMetrics({ defaultMetrics: false })
    a.setEquity({ account: 'a', currency: 'BTC', equity: 1.5 })
    const textB = await b.registry.metrics()
    expect(textB).not.toContain('account="a"')
    expect(textB).not.toContain('process_cpu')
    expect(parsePromText(await a.registry.metrics()).samples.find((s) => s.name === 'perpkit_equity')?.value).toBe(1.5)
  })

  it('refuses a port that is taken with a network error', async () => {
    const m = createBotMetrics({ defaultMetrics: false })
    const first = await serveMetrics({ registry: m.registry, port: 0 })
    await expect(serveMetrics({ registry: m.registry, port: first.port })).rejects.toMatchObject({ code: 'network' })
    await first.close()
  })
})
