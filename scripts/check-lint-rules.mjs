#!/usr/bin/env node
// Proves the custom lint rules in eslint.config.js still fire: lints known-bad snippets under fake file paths
// (nothing is written to disk) and asserts each is reported by the expected rule, and that good snippets pass.
// Exit code 1 if any expectation fails. Run: `node scripts/check-lint-rules.mjs`.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { ALLOWED_EDGES, TEST_ONLY_EDGES } from './lib/dependency-graph.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const eslint = new ESLint({ cwd: root })

const BOUNDARY = 'perpkit/package-boundaries'

/** @type {{ name: string, file: string, code: string, expect: null | { rule: string, messageId?: string } }[]} */
const cases = [
  // --- good code passes
  {
    name: 'good library module',
    file: 'packages/sizing/src/x.ts',
    code: "import { roundQty, type Clock } from '@perpkit/core'\nimport { helper } from './helper.js'\nexport const f = (clock: Clock): number => roundQty({ qty: helper(clock.now()), stepSize: 0.001 })\nexport const d = new Date(0)\n",
    expect: null,
  },
  { name: 'good entry point', file: 'packages/sizing/src/index.ts', code: "export { f, type G } from './x.js'\n", expect: null },
  { name: 'core may import zod', file: 'packages/core/src/x.ts', code: "import { z } from 'zod'\nexport const s = z.string()\n", expect: null },
  { name: 'package.json subpath is public', file: 'packages/engine/src/x.ts', code: "export { default as pkg } from '@perpkit/core/package.json'\n", expect: null },
  { name: 'exchange may import ccxt', file: 'packages/exchange/src/x.ts', code: "import ccxt from 'ccxt'\nexport const c = ccxt\n", expect: null },
  { name: 'exchange may import ws', file: 'packages/exchange/src/x.ts', code: "import WebSocket from 'ws'\nexport const W = WebSocket\n", expect: null },
  { name: 'apps import anything', file: 'apps/reference-bot/src/x.ts', code: "import { runBacktest } from '@perpkit/engine'\nimport { createSim } from '@perpkit/sim'\nexport const a = [runBacktest, createSim]\n", expect: null },
  { name: 'clock port may use Date.now/setTimeout', file: 'packages/core/src/ports/clock.ts', code: 'export const now = (): number => Date.now()\nexport const t = (f: () => void) => setTimeout(f, 1)\n', expect: null },
  { name: 'bench may use Date.now and console', file: 'packages/strategy/bench/run.ts', code: 'console.log(Date.now(), new Date())\n', expect: null },
  { name: 'scripts may use console', file: 'scripts/x.mjs', code: "console.log('hi')\n", expect: null },
  { name: 'tests may use setTimeout', file: 'packages/engine/src/x.test.ts', code: 'await new Promise((r) => setTimeout(r, 1))\n', expect: null },
  { name: 'test file may self-import', file: 'packages/risk/test/x.test.ts', code: "import { a } from '@perpkit/risk'\nexport const b = a\n", expect: null },
  { name: 'package test dir may import own src', file: 'packages/oms/test/x.test.ts', code: "import { a } from '../src/index.js'\nexport const b = a\n", expect: null },

  // --- ccxt / ws only in packages/exchange
  { name: 'ccxt in sizing', file: 'packages/sizing/src/x.ts', code: "import ccxt from 'ccxt'\nexport const c = ccxt\n", expect: { rule: BOUNDARY, messageId: 'exchangeOnly' } },
  { name: 'ccxt subpath in engine', file: 'packages/engine/src/x.ts', code: "export { pro } from 'ccxt/js/ccxt.js'\n", expect: { rule: BOUNDARY, messageId: 'exchangeOnly' } },
  { name: 'ws in app', file: 'apps/reference-bot/src/x.ts', code: "import { WebSocket } from 'ws'\nexport const W = WebSocket\n", expect: { rule: BOUNDARY, messageId: 'exchangeOnly' } },
  { name: 'dynamic import ws', file: 'packages/oms/src/x.ts', code: "export const load = () => import('ws')\n", expect: { rule: BOUNDARY, messageId: 'exchangeOnly' } },
  { name: 'ws server in venue-server', file: 'packages/venue-server/src/x.ts', code: "import { WebSocketServer } from 'ws'\nexport const W = WebSocketServer\n", expect: null },
  { name: 'ccxt in venue-server tests', file: 'packages/venue-server/src/x.test.ts', code: "import ccxt from 'ccxt'\nexport const c = ccxt\n", expect: null },
  { name: 'ccxt in venue-server source', file: 'packages/venue-server/src/x.ts', code: "import ccxt from 'ccxt'\nexport const c = ccxt\n", expect: { rule: BOUNDARY, messageId: 'exchangeOnly' } },
  { name: 'require ccxt', file: 'packages/sim/scripts/x.cjs', code: "const c = require('ccxt')\nmodule.exports = c\n", expect: { rule: BOUNDARY, messageId: 'exchangeOnly' } },

  // --- deep imports
  { name: 'deep import by name', file: 'packages/sizing/src/x.ts', code: "import { roundToStep } from '@perpkit/core/src/precision.js'\nexport const r = roundToStep\n", expect: { rule: BOUNDARY, messageId: 'deepImport' } },
  { name: 'declared subpath entry point', file: 'apps/reference-bot/src/x.ts', code: "export const load = () => import('@perpkit/store/postgres')\n", expect: null },
  { name: 'undeclared subpath of a package with subpath entries', file: 'apps/reference-bot/src/x.ts', code: "export const load = () => import('@perpkit/store/sqlite')\n", expect: { rule: BOUNDARY, messageId: 'deepImport' } },
  { name: 'deep import dist by name', file: 'apps/reference-bot/src/x.ts', code: "import { a } from '@perpkit/engine/dist/index.js'\nexport const b = a\n", expect: { rule: BOUNDARY, messageId: 'deepImport' } },
  { name: 'relative deep import', file: 'packages/sizing/src/x.ts', code: "import { roundToStep } from '../../core/src/precision.js'\nexport const r = roundToStep\n", expect: { rule: BOUNDARY, messageId: 'deepImport' } },
  { name: 'relative deep import from a test', file: 'packages/oms/test/x.test.ts', code: "import { createSim } from '../../sim/src/index.js'\nexport const s = createSim\n", expect: { rule: BOUNDARY, messageId: 'deepImport' } },
  { name: 'app relative deep import', file: 'apps/reference-bot/src/x.ts', code: "export { a } from '../../../packages/engine/src/index.js'\n", expect: { rule: BOUNDARY, messageId: 'deepImport' } },

  // --- other graph rules
  { name: 'self import by name', file: 'packages/risk/src/x.ts', code: "import { a } from '@perpkit/risk'\nexport const b = a\n", expect: { rule: BOUNDARY, messageId: 'selfImport' } },
  { name: 'oms → sim outside tests', file: 'packages/oms/src/x.ts', code: "import { createSim } from '@perpkit/sim'\nexport const s = createSim\n", expect: { rule: BOUNDARY, messageId: 'forbiddenEdge' } },
  { name: 'oms → sim in a co-located test', file: 'packages/oms/src/x.test.ts', code: "import { createSim } from '@perpkit/sim'\nexport const s = createSim\n", expect: null },
  { name: 'oms → sim in test/', file: 'packages/oms/test/fixtures/venue.ts', code: "import { createSim } from '@perpkit/sim'\nexport const s = createSim\n", expect: null },
  { name: 'type-only import of forbidden package', file: 'packages/strategy/src/x.ts', code: "export type T = typeof import('@perpkit/oms')\n", expect: { rule: BOUNDARY, messageId: 'forbiddenEdge' } },
  { name: 'import type of forbidden package', file: 'packages/risk/src/x.ts', code: "import type { X } from '@perpkit/sizing'\nexport type Y = X\n", expect: { rule: BOUNDARY, messageId: 'forbiddenEdge' } },
  { name: 'core imports node builtin', file: 'packages/core/src/x.ts', code: "import { readFileSync } from 'node:fs'\nexport const r = readFileSync\n", expect: { rule: BOUNDARY, messageId: 'coreDependency' } },
  { name: 'core imports third party', file: 'packages/core/src/x.ts', code: "import Decimal from 'decimal.js'\nexport const D = Decimal\n", expect: { rule: BOUNDARY, messageId: 'coreDependency' } },
  { name: 'unknown package has no edges', file: 'packages/newpkg/src/x.ts', code: "import { a } from '@perpkit/core'\nexport const b = a\n", expect: { rule: BOUNDARY, messageId: 'forbiddenEdge' } },

  // --- entry points
  { name: 'export * in entry point', file: 'packages/sizing/src/index.ts', code: "export * from './x.js'\n", expect: { rule: 'no-restricted-syntax' } },
  { name: 'export * as ns in entry point', file: 'packages/oms/src/index.ts', code: "export * as x from './x.js'\n", expect: { rule: 'no-restricted-syntax' } },

  // --- time is a port, libraries do not log
  { name: 'Date.now in library', file: 'packages/sizing/src/x.ts', code: 'export const t = (): number => Date.now()\n', expect: { rule: 'no-restricted-properties' } },
  { name: 'Date.now in entry point', file: 'packages/risk/src/index.ts', code: 'export const t = (): number => Date.now()\n', expect: { rule: 'no-restricted-properties' } },
  { name: 'setTimeout in library', file: 'packages/oms/src/x.ts', code: 'export const t = (f: () => void) => setTimeout(f, 10)\n', expect: { rule: 'no-restricted-globals' } },
  { name: 'setInterval in library', file: 'packages/engine/src/x.ts', code: 'export const t = (f: () => void) => setInterval(f, 10)\n', expect: { rule: 'no-restricted-globals' } },
  { name: 'globalThis.setTimeout in library', file: 'packages/sim/src/x.ts', code: 'export const t = (f: () => void) => globalThis.setTimeout(f, 10)\n', expect: { rule: 'no-restricted-properties' } },
  { name: 'new Date() in library', file: 'packages/strategy/src/x.ts', code: 'export const t = () => new Date()\n', expect: { rule: 'no-restricted-syntax' } },
  { name: 'new Date() in entry point', file: 'packages/strategy/src/index.ts', code: 'export const t = () => new Date()\n', expect: { rule: 'no-restricted-syntax' } },
  { name: 'console in library', file: 'packages/risk/src/x.ts', code: "export const f = () => console.log('x')\n", expect: { rule: 'no-console' } },
  { name: 'console.warn in core', file: 'packages/core/src/errors.ts', code: "export const f = () => console.warn('x')\n", expect: { rule: 'no-console' } },
]

// Full edge matrix, generated from the same graph the rule uses: every allowed edge passes, every other fails.
const names = Object.keys(ALLOWED_EDGES)
for (const from of names) {
  for (const to of names) {
    if (from === to) continue
    const allowed = ALLOWED_EDGES[from].includes(to)
    cases.push({
      name: `edge ${from} → ${to} (${allowed ? 'allowed' : 'forbidden'})`,
      file: `packages/${from}/src/edge.ts`,
      code: `import { a } from '@perpkit/${to}'\nexport const b = a\n`,
      expect: allowed ? null : { rule: BOUNDARY, messageId: 'forbiddenEdge' },
    })
    const testAllowed = allowed || (TEST_ONLY_EDGES[from] ?? []).includes(to)
    cases.push({
      name: `test edge ${from} → ${to} (${testAllowed ? 'allowed' : 'forbidden'})`,
      file: `packages/${from}/src/edge.test.ts`,
      code: `import { a } from '@perpkit/${to}'\nexport const b = a\n`,
      expect: testAllowed ? null : { rule: BOUNDARY, messageId: 'forbiddenEdge' },
    })
  }
}

let failed = 0
for (const c of cases) {
  const [result] = await eslint.lintText(c.code, { filePath: join(root, c.file) })
  const messages = result?.messages ?? []
  const describe = () => messages.map((m) => `${m.ruleId ?? 'fatal'}${m.messageId ? `/${m.messageId}` : ''}: ${m.message}`).join('\n      ')
  let problem
  if (messages.some((m) => m.ruleId === null)) problem = `parse error or ignored file:\n      ${describe()}`
  else if (c.expect === null) {
    if (messages.length > 0) problem = `expected no problems, got:\n      ${describe()}`
  } else {
    const hit = messages.filter((m) => m.ruleId === c.expect.rule && (c.expect.messageId === undefined || m.messageId === c.expect.messageId))
    const other = messages.filter((m) => m.ruleId !== c.expect.rule)
    if (hit.length === 0) problem = `expected ${c.expect.rule}${c.expect.messageId ? `/${c.expect.messageId}` : ''}, got:\n      ${describe() || '(nothing)'}`
    else if (other.length > 0) problem = `snippet also tripped other rules (fix the snippet):\n      ${describe()}`
  }
  if (problem !== undefined) {
    failed += 1
    console.error(`  ✗ ${c.name} [${c.file}]: ${problem}`)
  }
}

if (failed > 0) {
  console.error(`check-lint-rules: ${failed} of ${cases.length} cases failed`)
  process.exit(1)
}
console.log(`check-lint-rules: all ${cases.length} cases behave as expected`)
