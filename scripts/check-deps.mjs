#!/usr/bin/env node
// Checks every packages/*/package.json against the package graph in scripts/lib/dependency-graph.js:
// - dependencies / peerDependencies / optionalDependencies on @perpkit/* follow the allowed edges;
// - devDependencies on @perpkit/* follow the allowed edges plus the test-only edges (oms → sim);
// - ccxt / ws are declared only where FOREIGN_MODULE_GRANTS allows (exchange; venue-server: ws, ccxt as dev); core's runtime dependencies are zod only;
// - a workspace dependency's range accepts the workspace package's current version (so packed tarballs
//   install together), and no package depends on a private package;
// - a published package names its @perpkit/* dependencies as caret ranges (`^0.1.0`), never exact pins, so a patch
//   release of one package does not force new releases of the packages that depend on it (changesets bumps a
//   dependent only when a dependency leaves its range: .changeset/config.json updateInternalDependencies "minor").
// Exit code 1 on any violation. Run: `node scripts/check-deps.mjs`.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  ALLOWED_EDGES,
  CORE_ALLOWED_MODULES,
  describeEdges,
  EXCHANGE_ONLY_MODULES,
  isEdgeAllowed,
  mayUseForeignModule,
  perpkitDirOf,
} from './lib/dependency-graph.js'

// Optional argument: another repository root (used to test this script on a scratch copy).
const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..')

/** Minimal range check for workspace edges: exact `x.y.z`, `^x.y.z`, `~x.y.z` or `*` (no semver dependency). */
function rangeAccepts(range, version) {
  if (range === '*' || range === version) return true
  const m = /^([~^])(\d+)\.(\d+)\.(\d+)$/.exec(range)
  const v = /^(\d+)\.(\d+)\.(\d+)$/.exec(version)
  if (m === null || v === null) return false
  const [lo, ver] = [m.slice(2).map(Number), v.slice(1).map(Number)]
  const cmp = ver[0] - lo[0] || ver[1] - lo[1] || ver[2] - lo[2]
  if (cmp < 0) return false
  if (m[1] === '~') return ver[0] === lo[0] && ver[1] === lo[1]
  if (lo[0] > 0) return ver[0] === lo[0]
  return lo[1] > 0 ? ver[0] === 0 && ver[1] === lo[1] : ver[0] === 0 && ver[1] === 0 && ver[2] === lo[2]
}

function readManifests(area) {
  const dir = join(root, area)
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'package.json')))
    .map((d) => ({ area, dir: d.name, pkg: JSON.parse(readFileSync(join(dir, d.name, 'package.json'), 'utf8')) }))
}

const packages = readManifests('packages')
const apps = readManifests('apps')
const byName = new Map([...packages, ...apps].map((m) => [m.pkg.name, m]))
const errors = []

for (const { area, dir, pkg } of [...packages, ...apps]) {
  const where = `${area}/${dir}/package.json`
  if (area === 'packages' && pkg.name !== `@perpkit/${dir}`) errors.push(`${where}: name must be @perpkit/${dir}, is ${pkg.name}`)
  if (area === 'packages' && !(dir in ALLOWED_EDGES)) {
    errors.push(`${where}: packages/${dir} is not in scripts/lib/dependency-graph.js ALLOWED_EDGES; add it deliberately`)
  }
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
    const isDev = field === 'devDependencies'
    for (const [dep, range] of Object.entries(pkg[field] ?? {})) {
      if (EXCHANGE_ONLY_MODULES.includes(dep) && !(area === 'packages' && mayUseForeignModule({ pkg: dir, module: dep, testOnly: isDev }))) {
        errors.push(`${where}: ${field}.${dep}: not granted (scripts/lib/dependency-graph.js FOREIGN_MODULE_GRANTS)`)
      }
      if (area === 'packages' && dir === 'core' && !isDev && !CORE_ALLOWED_MODULES.includes(dep)) {
        errors.push(`${where}: ${field}.${dep}: @perpkit/core depends on ${CORE_ALLOWED_MODULES.join(', ')} only`)
      }
      const target = perpkitDirOf(dep)
      if (target === undefined) continue
      const ws = byName.get(dep)
      if (ws === undefined) {
        errors.push(`${where}: ${field}.${dep}: no such workspace package`)
        continue
      }
      if (ws.pkg.private === true && !isDev) errors.push(`${where}: ${field}.${dep}: depends on a private package`)
      if (ws.area === 'apps') errors.push(`${where}: ${field}.${dep}: nothing may depend on an app`)
      if (area === 'packages' && !/^\^\d+\.\d+\.\d+$/.test(range)) {
        errors.push(`${where}: ${field}.${dep}@${range}: use a caret range (^${ws.pkg.version}) so a patch in ${dep} does not force a release of ${pkg.name}`)
      }
      if (!rangeAccepts(range, ws.pkg.version)) {
        errors.push(`${where}: ${field}.${dep}@${range} does not accept the workspace version ${ws.pkg.version}`)
      }
      if (area === 'apps') continue // apps may depend on any library
      if (target === dir) {
        errors.push(`${where}: ${field}.${dep}: a package cannot depend on itself`)
      } else if (!isEdgeAllowed({ from: dir, to: target, testOnly: isDev })) {
        errors.push(`${where}: ${field}.${dep} is not an allowed edge. @perpkit/${dir} may depend on ${describeEdges(dir)}`)
      }
    }
  }
}

if (errors.length > 0) {
  for (const e of errors) console.error(`  ✗ ${e}`)
  console.error(`check-deps: ${errors.length} problem(s)`)
  process.exit(1)
}
console.log(`check-deps: ${packages.length} packages and ${apps.length} app(s) respect the dependency graph`)
