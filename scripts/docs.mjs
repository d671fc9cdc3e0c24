#!/usr/bin/env node
// `npm run docs`: one typedoc API site for all public packages, from source (`src/index.ts`, resolved through the
// `@perpkit/source` condition), so no build is needed. Output: docs/api/ (gitignored). Config: docs/typedoc.json.
// Packages whose src/index.ts exports nothing yet are left out with a printed note.
// Warnings (broken {@link}s, referenced-but-not-exported types, undocumented exports) are printed and counted;
// `npm run docs -- --strict` turns them into a failing exit code (use before a release).
// Type errors are not re-checked here (skipErrorChecking): `npm run typecheck` owns them.
// Each package page carries the package README; docs/README.md is the site's front page, and docs/architecture.md,
// the guides (docs/guides/) and the ADRs (docs/adr/) are site documents. After typedoc, every link in the site is
// checked (scripts/check-links.mjs: relative links, anchors, and "Defined in" source links against the working
// tree); with `--strict` one broken link fails the run.
import { spawnSync } from 'node:child_process'
import { join, relative } from 'node:path'
import { checkSite } from './check-links.mjs'
import { hasEntryExports, listPublicPackages, repoRoot } from './lib/workspace.js'

const strict = process.argv.includes('--strict')
const packages = listPublicPackages()
const ready = packages.filter(hasEntryExports)
for (const ws of packages) if (!ready.includes(ws)) console.log(`- ${ws.pkg.name}: left out of the API site (src/index.ts exports nothing yet)`)
if (ready.length === 0) {
  console.error('docs: no package exports anything yet')
  process.exit(1)
}
const args = ['--options', 'docs/typedoc.json', ...ready.flatMap((ws) => ['--entryPoints', relative(repoRoot, ws.path)])]
if (strict) args.push('--treatWarningsAsErrors')
const r = spawnSync(join(repoRoot, 'node_modules', '.bin', 'typedoc'), args, { cwd: repoRoot, encoding: 'utf8' })
const out = `${r.stdout ?? ''}${r.stderr ?? ''}`
process.stdout.write(out)
const warnings = out.split('\n').filter((l) => l.includes('[warning]') && !/Found \d+ errors/.test(l)).length
if (r.status !== 0) {
  console.log(`docs: typedoc failed, ${warnings} warning(s)${strict ? ' (strict)' : ''}`)
  process.exit(r.status ?? 1)
}
const { broken, checked } = checkSite(join(repoRoot, 'docs', 'api'))
for (const b of broken.slice(0, 50)) console.error(`  ✗ broken link in ${b.file}: ${b.link} — ${b.why}`)
if (broken.length > 50) console.error(`  … and ${broken.length - 50} more broken links`)
console.log(`docs: ${ready.length} package(s) → docs/api/index.html, ${warnings} warning(s), ${checked} links checked, ${broken.length} broken${strict ? ' (strict)' : ''}`)
process.exit(strict && broken.length > 0 ? 1 : 0)
