// The shipped operations artefacts (deploy/, Dockerfile) against what the package really exports and does.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestClock } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { createHeartbeat } from '../src/heartbeat.js'
import { BOT_METRIC_NAMES } from '../src/metrics.js'
import { dashboardPanels, metricsInExpr } from './dashboard.js'
import { repoRoot } from './tools.js'

const deploy = join(repoRoot, 'deploy')

const HISTOGRAMS = new Set(['perpkit_decision_latency_seconds'])
const baseName = (name: string): string => {
  const m = /^(.*)_(bucket|sum|count)$/.exec(name)
  return m?.[1] !== undefined && HISTOGRAMS.has(m[1]) ? m[1] : name
}

describe('Grafana dashboard', () => {
  const panels = dashboardPanels()
  const exported = new Set<string>(BOT_METRIC_NAMES)

  it('is a provisionable dashboard: uid, unique panel ids, grid positions, the provisioned datasource', () => {
    const dash = JSON.parse(readFileSync(join(deploy, 'grafana', 'perpkit-dashboard.json'), 'utf8')) as { uid: string; title: string; schemaVersion: number }
    expect(dash.uid).toBe('perpkit-bot')
    expect(dash.schemaVersion).toBeGreaterThan(30)
    const ds = parse(readFileSync(join(deploy, 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8')) as { datasources: { uid: string; type: string; url: string }[] }
    const uid = ds.datasources[0]?.uid
    expect(ds.datasources[0]).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' })
    expect(panels.length).toBeGreaterThan(10)
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length)
    for (const p of panels) {
      expect(p.gridPos.w, p.title).toBeGreaterThan(0)
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24)
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid })
      expect(p.targets.length, p.title).toBeGreaterThan(0)
      for (const t of p.targets) expect(t.datasource?.uid, p.title).toBe(uid)
    }
  })

  it('every panel query names only metrics that @perpkit/ops exports, and every exported metric is on the board', () => {
    const used = new Set<string>()
    for (const p of panels) {
      for (const t of p.targets) {
        const names = metricsInExpr(t.expr)
        expect(names.length, `${p.title}: ${t.expr}`).toBeGreaterThan(0)
        for (const n of names) {
          expect(exported.has(baseName(n)), `${p.title}: ${n} is not exported (${t.expr})`).toBe(true)
          used.add(baseName(n))
        }
      }
    }
    expect([...used].sort()).toEqual([...exported].sort())
  })

  it('the metric extractor sees through functions, groupings, matchers and ranges', () => {
    expect(metricsInExpr('histogram_quantile(0.99, sum by (le) (rate(perpkit_decision_latency_seconds_bucket[5m])))')).toEqual(['perpkit_decision_latency_seconds_bucket'])
    expect(metricsInExpr('sum(perpkit_stop_status{status=~"MISSING|ERROR"}) or vector(0)')).toEqual(['perpkit_stop_status'])
    expect(metricsInExpr('rate(a_sum[5m]) / rate(b_count[5m])')).toEqual(['a_sum', 'b_count'])
    expect(metricsInExpr('up == 1')).toEqual(['up'])
  })
})

describe('docker compose, Prometheus config and Dockerfile', () => {
  it('compose runs the bot, Prometheus and Grafana with files that exist, published on loopback only', () => {
    const compose = parse(readFileSync(join(deploy, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { build?: { context: string; dockerfile: string }; volumes?: string[]; ports?: string[]; image?: string }>
    }
    expect(Object.keys(compose.services).sort()).toEqual(['bot', 'grafana', 'prometheus'])
    const bot = compose.services.bot
    expect(existsSync(join(deploy, bot?.build?.context ?? '', bot?.build?.dockerfile ?? ''))).toBe(true)
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const v of svc.volumes ?? []) {
        const source = v.split(':')[0] ?? ''
        if (source.startsWith('.')) expect(existsSync(join(deploy, source)), `${name}: ${v}`).toBe(true)
      }
      for (const p of svc.ports ?? []) expect(p.startsWith('127.0.0.1:'), `${name}: ${p}`).toBe(true)
    }
    expect(compose.services.prometheus?.volumes).toContain('./prometheus.yml:/etc/prometheus/prometheus.yml:ro')
    expect(compose.services.grafana?.volumes).toContain('./grafana/perpkit-dashboard.json:/etc/grafana/dashboards/perpkit-dashboard.json:ro')
    const provider = parse(readFileSync(join(deploy, 'grafana', 'provisioning', 'dashboards', 'perpkit.yml'), 'utf8')) as { providers: { options: { path: string } }[] }
    expect(provider.providers[0]?.options.path).toBe('/etc/grafana/dashboards')
  })

  it('the scrape config targets the bot service on the metrics port', () => {
    const prom = parse(readFileSync(join(deploy, 'prometheus.yml'), 'utf8')) as { scrape_configs: { job_name: string; metrics_path: string; static_configs: { targets: string[] }[] }[] }
    expect(prom.scrape_configs).toHaveLength(1)
    expect(prom.scrape_configs[0]).toMatchObject({ job_name: 'perpkit', metrics_path: '/metrics', static_configs: [{ targets: ['bot:9464'] }] })
  })

  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))

  it('the image runs as a non-root user', () => {
    const users = [...finalStage.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1])
    expect(users.length).toBeGreaterThan(0)
    expect(['root', '0', '0:0']).not.toContain(users.at(-1))
  })

  it('the HEALTHCHECK command passes on a fresh heartbeat and fails on a stale or missing one', () => {
    const m = /^HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])$/m.exec(finalStage)
    expect(m).not.toBeNull()
    const argv = JSON.parse(m?.[1] ?? '[]') as string[]
    expect(argv[0]).toBe('node')
    const dir = mkdtempSync(join(tmpdir(), 'perpkit-health-'))
    try {
      const path = join(dir, 'heartbeat.json')
      // the command runs the package as installed in the image; here it resolves to the source (same code)
      const run = (): number | null =>
        spawnSync(process.execPath, ['--conditions=@perpkit/source', '--import', 'tsx', ...argv.slice(1)], { cwd: repoRoot, env: { ...process.env, PERPKIT_HEARTBEAT_FILE: path }, encoding: 'utf8' }).status
      expect(run()).toBe(1) // missing
      createHeartbeat({ path, clock: createTestClock(Date.now()) }).beat()
      expect(run()).toBe(0)
      createHeartbeat({ path, clock: createTestClock(Date.now() - 60_000) }).beat()
      expect(run()).toBe(1) // a minute old
      writeFileSync(path, 'not json')
      expect(run()).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
