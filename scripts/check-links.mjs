#!/usr/bin/env node
// Link check over the generated API site (`npm run docs` → docs/api/; run by `npm run docs -- --strict`, which is
// a step of `npm test`). Every href/src in every HTML page must resolve:
//   - relative links: the target file exists in the site, and its #fragment (if any) is an id/name in it;
//   - source links into this repository (https://github.com/perpkit/perpkit/blob|tree/main/<path>#L<n>): the path
//     exists in the working tree and has at least n lines (so "Defined in" links point at real code);
//   - other absolute URLs (https://…, mailto:) are not fetched: the check stays offline.
// Usage: node scripts/check-links.mjs [siteDir]   (exit 1 and one line per broken link when any is broken)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
const REPO_URL = /^https:\/\/github\.com\/perpkit\/perpkit\/(?:blob|tree)\/main\/([^#?]*)(?:#L(\d+))?/

/** Every `.html` file under `dir`. */
function htmlFiles(dir) {
  const out = []
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name)
    if (d.isDirectory()) out.push(...htmlFiles(p))
    else if (d.name.endsWith('.html')) out.push(p)
  }
  return out
}

const idCache = new Map()
/** The set of `id="…"` / `name="…"` anchors in a file. */
function anchorsOf(file) {
  let ids = idCache.get(file)
  if (ids === undefined) {
    ids = new Set()
    for (const m of readFileSync(file, 'utf8').matchAll(/\s(?:id|name)="([^"]+)"/g)) ids.add(m[1])
    idCache.set(file, ids)
  }
  return ids
}

const lineCache = new Map()
function lineCount(file) {
  let n = lineCache.get(file)
  if (n === undefined) {
    n = readFileSync(file, 'utf8').split('\n').length
    lineCache.set(file, n)
  }
  return n
}

/**
 * Checks one link found in `from`; returns why it is broken, or undefined when it resolves.
 * @param {string} from absolute path of the page holding the link
 * @param {string} link the raw attribute value (HTML entities still encoded)
 */
export function checkLink(from, link) {
  const url = link.replace(/&amp;/g, '&')
  const repo = REPO_URL.exec(url)
  if (repo !== null) {
    const target = join(repoRoot, decodeURIComponent(repo[1]))
    if (!existsSync(target)) return `repository path ${repo[1]} does not exist`
    if (repo[2] !== undefined && (statSync(target).isDirectory() || Number(repo[2]) > lineCount(target))) return `${repo[1]} has no line ${repo[2]}`
    return undefined
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) return undefined // other absolute URLs: offline check
  const [pathPart, fragment] = url.split('#', 2)
  const path = decodeURIComponent(pathPart.split('?')[0])
  let target = path === '' ? from : resolve(dirname(from), path)
  if (!existsSync(target)) return `${path} does not exist`
  if (statSync(target).isDirectory()) {
    target = join(target, 'index.html')
    if (!existsSync(target)) return `${path} is a directory without index.html`
  }
  if (fragment !== undefined && fragment !== '' && /\.(html|svg)$/.test(target) && !anchorsOf(target).has(decodeURIComponent(fragment))) {
    return `${path === '' ? '' : path}#${fragment}: no such anchor`
  }
  return undefined
}

/** Checks every page under `siteDir`; returns the broken links and the number of links checked. */
export function checkSite(siteDir) {
  const broken = []
  let checked = 0
  for (const file of htmlFiles(siteDir)) {
    const html = readFileSync(file, 'utf8')
    for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      checked += 1
      const why = checkLink(file, m[1])
      if (why !== undefined) broken.push({ file: relative(siteDir, file), link: m[1], why })
    }
  }
  return { broken, checked }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const siteDir = resolve(process.argv[2] ?? join(repoRoot, 'docs', 'api'))
  if (!existsSync(join(siteDir, 'index.html'))) {
    console.error(`check-links: no site at ${relative(repoRoot, siteDir)} (run \`npm run docs\` first)`)
    process.exit(1)
  }
  const { broken, checked } = checkSite(siteDir)
  const shown = broken.slice(0, 50)
  for (const b of shown) console.error(`  ✗ ${b.file}: ${b.link} — ${b.why}`)
  if (broken.length > shown.length) console.error(`  … and ${broken.length - shown.length} more`)
  console.log(`links: ${checked} checked in ${relative(repoRoot, siteDir) || '.'}, ${broken.length} broken`)
  process.exit(broken.length > 0 ? 1 : 0)
}
