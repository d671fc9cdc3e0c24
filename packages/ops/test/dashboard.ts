import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from './tools.js'

const deploy = join(repoRoot, 'deploy')

/** One panel of the shipped Grafana dashboard (the fields the tests read). */
export interface Panel {
  id: number
  title: string
  type: string
  datasource?: { type: string; uid: string }
  gridPos: { x: number; y: number; w: number; h: number }
  targets: { expr: string; refId: string; datasource?: { uid: string } }[]
}
/** The panels of deploy/grafana/perpkit-dashboard.json. */
export function dashboardPanels(): Panel[] {
  return (JSON.parse(readFileSync(join(deploy, 'grafana', 'perpkit-dashboard.json'), 'utf8')) as { panels: Panel[] }).panels
}

/**
 * The metric names a PromQL expression reads: identifiers that are not followed by `(` (functions, `by (...)`),
 * not inside `{...}` label matchers, `"..."` strings or `[...]` ranges, and not binary keywords. A histogram's
 * `_bucket` / `_sum` / `_count` series count as the histogram.
 */
export function metricsInExpr(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
  const names: string[] = []
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?!\s*\(|[a-zA-Z0-9_:])/g)) {
    const id = m[0]
    if (['or', 'and', 'unless', 'bool', 'offset'].includes(id)) continue
    names.push(id)
  }
  return names
}

