#!/usr/bin/env node
// Built-artifact checks for every public package (packages/*, not private). Needs `npm run build` first.
// For each package:
//   1. manifest: name/version/license/repository/engines/files/README, `"sideEffects": false`, `type`, and an
//      `exports` map whose every condition object lists `types` first and points at files that exist in dist/;
//   2. `publint run <dir> --strict` (packs with npm and lints the tarball; warnings are errors);
//   3. `attw --pack <dir> --profile strict` (Are The Types Wrong: node10, node16 CJS/ESM and bundler resolution
//      must all find the right types). Our packages ship `main`/`types` for node10 and `.d.cts` next to the CJS
//      build, so the strict profile passes and we keep it (no need for `--profile node16`).
// Packages whose src/index.ts does not export anything yet are skipped with a note.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { hasEntryExports, listPublicPackages, repoRoot } from './lib/workspace.js'

const bin = (name) => join(repoRoot, 'node_modules', '.bin', name)
const failures = []
const skipped = []

function checkManifest(ws, built) {
  const { pkg, path } = ws
  const problems = []
  const need = (cond, msg) => {
    if (!cond) problems.push(msg)
  }
  need(pkg.name === `@perpkit/${ws.dir}`, `name should be @perpkit/${ws.dir}`)
  need(typeof pkg.version === 'string' && /^\d+\.\d+\.\d+/.test(pkg.version), 'version missing')
  need(typeof pkg.description === 'string' && pkg.description.length > 0, 'description missing')
  need(pkg.license === 'MIT', 'license should be MIT')
  need(pkg.type === 'module', 'type should be "module"')
  need(pkg.sideEffects === false, '"sideEffects" should be false')
  need(typeof pkg.engines?.node === 'string', 'engines.node missing')
  need(pkg.repository?.url !== undefined && pkg.repository?.directory === `packages/${ws.dir}`, 'repository { url, directory } missing or wrong')
  need(Array.isArray(pkg.files) && pkg.files.includes('dist'), 'files should include "dist"')
  need(pkg.publishConfig?.access === 'public', 'publishConfig.access should be "public"')
  const readme = join(path, 'README.md')
  need(existsSync(readme) && readFileSync(readme, 'utf8').trim().length > 200, 'README.md missing or nearly empty')
  need(typeof pkg.exports === 'object' && pkg.exports !== null && '.' in pkg.exports, 'exports["."] missing')

  // types first in every condition object; every dist target exists
  const walk = (node, where) => {
    if (typeof node === 'string') {
      if (built && node.startsWith('./dist/')) need(existsSync(join(path, node)), `${where} → ${node} does not exist (built?)`)
      return
    }
    if (node === null || typeof node !== 'object') return
    const keys = Object.keys(node)
    if (keys.includes('types')) {
      const firstNonCustom = keys.find((k) => !k.startsWith('@perpkit/'))
      need(firstNonCustom === 'types', `${where}: "types" must be the first condition (got ${keys.join(', ')})`)
    }
    for (const k of keys) walk(node[k], `${where}.${k}`)
  }
  walk(pkg.exports, 'exports')
  for (const field of ['main', 'module', 'types']) {
    if (built && typeof pkg[field] === 'string') need(existsSync(join(path, pkg[field])), `${field} → ${pkg[field]} does not exist`)
  }
  return problems
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } })
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.replace(/^npm warn Unknown user config.*\n/gm, '').trim() }
}

// `--only=@perpkit/a,@perpkit/b` limits the checks to those packages.
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',')
let checked = 0
for (const ws of listPublicPackages()) {
  const label = ws.pkg.name
  if (only !== undefined && !only.includes(label)) continue
  if (!hasEntryExports(ws)) {
    skipped.push(label)
    console.log(`- ${label}: skipped (src/index.ts exports nothing yet)`)
    continue
  }
  checked += 1
  console.log(`\n== ${label} (${relative(repoRoot, ws.path)})`)
  const built = existsSync(join(ws.path, 'dist'))
  const manifest = checkManifest(ws, built)
  if (manifest.length > 0) {
    failures.push(`${label}: manifest`)
    for (const p of manifest) console.log(`  ✗ manifest: ${p}`)
  } else console.log('  ✓ manifest')
  if (!built) {
    failures.push(`${label}: no dist/`)
    console.log('  ✗ dist/ missing: run `npm run build` first')
    continue
  }
  const publint = run(bin('publint'), ['run', '.', '--strict', '--pack', 'npm'], ws.path)
  console.log(`  ${publint.ok ? '✓' : '✗'} publint --strict`)
  if (!publint.ok || !/All good/.test(publint.out)) {
    if (publint.ok) console.log('    (publint printed suggestions; treated as failures)')
    failures.push(`${label}: publint`)
    console.log(publint.out.replace(/^/gm, '    '))
  }
  const attw = run(bin('attw'), ['--pack', '.', '--profile', 'strict', '--format', 'table-flipped', '--no-emoji'], ws.path)
  console.log(`  ${attw.ok ? '✓' : '✗'} attw --pack --profile strict`)
  if (!attw.ok) {
    failures.push(`${label}: attw`)
    console.log(attw.out.replace(/^/gm, '    '))
  }
}

console.log('')
if (failures.length > 0) {
  console.error(`check-artifacts: FAILED: ${failures.join('; ')}`)
  process.exit(1)
}
console.log(`check-artifacts: ${checked} package(s) pass manifest, publint --strict and attw${skipped.length > 0 ? `; skipped (empty): ${skipped.join(', ')}` : ''}`)
