// Small helpers shared by the pipeline scripts: list workspace packages and their manifests.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * Workspace packages under `packages/` and `apps/`.
 * @returns {{ area: 'packages' | 'apps', dir: string, path: string, pkg: any }[]}
 */
export function listWorkspaces({ root = repoRoot, areas = ['packages', 'apps'] } = {}) {
  const out = []
  for (const area of areas) {
    const base = join(root, area)
    if (!existsSync(base)) continue
    for (const d of readdirSync(base, { withFileTypes: true })) {
      const manifest = join(base, d.name, 'package.json')
      if (!d.isDirectory() || !existsSync(manifest)) continue
      out.push({ area, dir: d.name, path: join(base, d.name), pkg: JSON.parse(readFileSync(manifest, 'utf8')) })
    }
  }
  return out.sort((a, b) => `${a.area}/${a.dir}`.localeCompare(`${b.area}/${b.dir}`))
}

/** Public (publishable) packages: packages/* that are not private. */
export function listPublicPackages(opts) {
  return listWorkspaces({ ...opts, areas: ['packages'] }).filter((w) => w.pkg.private !== true)
}

/**
 * True if the package's entry point exists and exports something (a package still being written has an empty
 * or missing src/index.ts; pipeline steps skip it with a printed note rather than pretend).
 */
export function hasEntryExports(ws) {
  const entry = join(ws.path, 'src', 'index.ts')
  if (!existsSync(entry)) return false
  const text = readFileSync(entry, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
  return /\bexport\b/.test(text)
}

/** Recursively find files under `dir` whose name matches `re` (skips node_modules, dist, dot-dirs). */
export function findFiles(dir, re) {
  if (!existsSync(dir)) return []
  const out = []
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.name === 'node_modules' || d.name === 'dist' || d.name.startsWith('.')) continue
    const p = join(dir, d.name)
    if (d.isDirectory()) out.push(...findFiles(p, re))
    else if (re.test(d.name)) out.push(p)
  }
  return out
}
