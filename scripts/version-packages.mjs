#!/usr/bin/env node
// `npm run version-packages`: `changeset version`, except that a package's FIRST release publishes the version it
// already has (0.1.0) instead of bumping it. For every package whose current version is not on the npm registry yet,
// its entries in the pending changesets are folded into its CHANGELOG.md under that version and removed from the
// changesets (a changeset left with no package is deleted); `changeset version` then bumps only packages that are
// already published. Afterwards the lockfile is brought in line with the new versions.
//
// Whether a version is published is asked of the registry (`npm view <name>@<version> version`); a network error
// stops the script (it never guesses "unpublished"). For a dry run without the registry, name the unpublished
// packages yourself: PERPKIT_UNPUBLISHED=all | none | @perpkit/a,@perpkit/b.
// Usage: node scripts/version-packages.mjs [--no-version]   (--no-version: fold only, do not run changeset version)
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { listPublicPackages, repoRoot } from './lib/workspace.js'

const changesetDir = join(repoRoot, '.changeset')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

/**
 * Parses one changeset file.
 * @returns {{ releases: { name: string, type: string }[], summary: string }}
 */
export function parseChangeset(text) {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text)
  if (m === null) throw new Error('not a changeset (no front matter)')
  const releases = []
  for (const line of m[1].split(/\r?\n/)) {
    if (line.trim() === '') continue
    const r = /^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch|none)\s*$/.exec(line)
    if (r === null) throw new Error(`bad front matter line: ${line}`)
    releases.push({ name: r[1], type: r[2] })
  }
  return { releases, summary: m[2].trim() }
}

/** Writes a changeset back (front matter + summary). */
export function formatChangeset({ releases, summary }) {
  return `---\n${releases.map((r) => `"${r.name}": ${r.type}`).join('\n')}\n---\n\n${summary}\n`
}

/**
 * Adds `summaries` to a CHANGELOG text under `## <version>` (created if missing, right below the `# name` title).
 * @returns the new CHANGELOG text
 */
export function addToChangelog({ text, name, version, summaries }) {
  const bullets = summaries.map((s) => `- ${s.split('\n').join('\n  ')}`).join('\n')
  const base = text ?? `# ${name}\n`
  const heading = `## ${version}`
  const lines = base.split('\n')
  const at = lines.findIndex((l) => l.trim() === heading)
  if (at >= 0) {
    // append after the last line of that version's section
    let end = at + 1
    while (end < lines.length && !/^## /.test(lines[end])) end++
    while (end > at + 1 && lines[end - 1].trim() === '') end--
    lines.splice(end, 0, bullets)
    return `${lines.join('\n').replace(/\n*$/, '')}\n`
  }
  const titleAt = lines.findIndex((l) => /^# /.test(l))
  const insertAt = titleAt >= 0 ? titleAt + 1 : 0
  lines.splice(insertAt, 0, '', heading, '', `First release.`, '', bullets)
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').replace(/\n*$/, '')}\n`
}

/** True when `name@version` is on the registry; throws on anything but a clean yes/404. */
function isPublished(name, version) {
  const r = spawnSync(npm, ['view', `${name}@${version}`, 'version', '--json'], { cwd: repoRoot, encoding: 'utf8' })
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`
  if (r.status === 0) return r.stdout.trim() !== ''
  if (/E404|404 Not Found/.test(out)) return false
  throw new Error(`cannot tell whether ${name}@${version} is published (npm view exited ${r.status}): ${out.trim().split('\n')[0]}`)
}

function unpublishedPackages(packages) {
  const env = process.env.PERPKIT_UNPUBLISHED
  if (env === 'all') return new Set(packages.map((p) => p.pkg.name))
  if (env === 'none') return new Set()
  if (env !== undefined && env !== '') return new Set(env.split(',').map((s) => s.trim()))
  return new Set(packages.filter((p) => !isPublished(p.pkg.name, p.pkg.version)).map((p) => p.pkg.name))
}

function main() {
  const packages = listPublicPackages()
  const files = existsSync(changesetDir) ? readdirSync(changesetDir).filter((f) => f.endsWith('.md') && f !== 'README.md').sort() : []
  const changesets = files.map((f) => ({ file: join(changesetDir, f), ...parseChangeset(readFileSync(join(changesetDir, f), 'utf8')) }))
  const mentioned = packages.filter((p) => changesets.some((c) => c.releases.some((r) => r.name === p.pkg.name)))
  const firstRelease = unpublishedPackages(mentioned)
  const folded = new Map()
  for (const c of changesets) {
    const keep = []
    for (const r of c.releases) {
      if (firstRelease.has(r.name)) (folded.get(r.name) ?? folded.set(r.name, []).get(r.name)).push(c.summary)
      else keep.push(r)
    }
    if (keep.length === c.releases.length) continue
    if (keep.length === 0) rmSync(c.file)
    else writeFileSync(c.file, formatChangeset({ releases: keep, summary: c.summary }))
  }
  for (const [name, summaries] of folded) {
    const ws = packages.find((p) => p.pkg.name === name)
    const file = join(ws.path, 'CHANGELOG.md')
    const text = existsSync(file) ? readFileSync(file, 'utf8') : undefined
    writeFileSync(file, addToChangelog({ text, name, version: ws.pkg.version, summaries }))
    console.log(`${name}: first release at ${ws.pkg.version} (${summaries.length} changeset entr${summaries.length === 1 ? 'y' : 'ies'} folded into CHANGELOG.md)`)
  }
  if (process.argv.includes('--no-version')) return
  const bin = join(repoRoot, 'node_modules', '.bin', process.platform === 'win32' ? 'changeset.cmd' : 'changeset')
  const v = spawnSync(bin, ['version'], { cwd: repoRoot, stdio: 'inherit' })
  if (v.status !== 0) process.exit(v.status ?? 1)
  // versions and internal ranges changed: keep the lockfile in sync so `npm ci` accepts it
  const l = spawnSync(npm, ['install', '--package-lock-only', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: repoRoot, stdio: 'inherit' })
  process.exit(l.status ?? 1)
}

if (process.argv[1] !== undefined && process.argv[1].endsWith('version-packages.mjs')) main()
