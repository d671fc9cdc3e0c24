#!/usr/bin/env node
// Every code example a user can copy must compile on its own: each TSDoc `@example` of the public API (on a
// declaration exported from a package's src/index.ts, or on one of its members — the examples the API site shows;
// examples on internal helpers cannot import them and are not checked) and each ```ts block of the guides (docs/guides/*.md) is written to its own module file under
// node_modules/.cache/perpkit-examples/ and typechecked, in one TypeScript program, against the BUILT packages
// (`@perpkit/*` resolves through node_modules to each package's dist/*.d.ts, as in a user's project; run
// `npm run build` first) with the repository's strict compiler options. An example therefore has to import what
// it uses and declare what it needs, exactly like user code.
// Packages whose examples are being rewritten by work in progress are listed in scripts/examples-pending.json with
// the reason: their failures are printed and counted but do not fail the run; a listed package with no failing
// example is reported so the list only shrinks. Every other package fails the run on its first broken example.
// Usage: node scripts/check-examples.mjs [--list] [--pending]   (--pending: also list the pending packages' failures)   (exit 1 listing each failing example as file:line)
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { findFiles, listPublicPackages, repoRoot } from './lib/workspace.js'

const outDir = join(repoRoot, 'node_modules', '.cache', 'perpkit-examples')
const pendingFile = join(repoRoot, 'scripts', 'examples-pending.json')

/**
 * The code of every `@example` in a TypeScript source text.
 * @returns {{ line: number, offset: number, code: string }[]} line = 1-based source line of the first code line,
 *   offset = where its comment starts
 */
export function examplesInSource(text) {
  const out = []
  for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const startLine = text.slice(0, m.index).split('\n').length
    const lines = m[0].split('\n').map((l) => l.replace(/^\s*\/\*\*\s?/, '').replace(/\s*\*\/\s*$/, '').replace(/^\s*\* ?/, ''))
    for (let i = 0; i < lines.length; i++) {
      if (!/^@example\b/.test(lines[i])) continue
      // the tag's content runs to the next block tag
      let end = i + 1
      while (end < lines.length && !/^@[a-zA-Z]/.test(lines[end])) end++
      let fenced = false
      for (let j = i + 1; j < end; j++) {
        if (!/^```(ts|typescript)?\s*$/.test(lines[j])) continue
        fenced = true
        let k = j + 1
        while (k < end && !/^```\s*$/.test(lines[k])) k++
        out.push({ line: startLine + j + 1, offset: m.index, code: lines.slice(j + 1, k).join('\n') })
        j = k
      }
      const rest = lines.slice(i + 1, end).join('\n').trim()
      if (!fenced && rest !== '') out.push({ line: startLine + i + 1, offset: m.index, code: rest })
      i = end - 1
    }
  }
  return out
}

/** The ```ts blocks of a Markdown text (line = 1-based line of the first code line). */
export function examplesInMarkdown(text) {
  const out = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue
    let k = i + 1
    while (k < lines.length && !/^```\s*$/.test(lines[k])) k++
    out.push({ line: i + 2, code: lines.slice(i + 1, k).join('\n') })
    i = k
  }
  return out
}

/**
 * Source ranges of the public API: every declaration exported from a package's src/index.ts (for a variable, its
 * whole statement), as `file → [fullStart, end][]`. A TSDoc comment inside one of them documents the public API.
 */
export function publicRanges(packages) {
  const entries = packages.map((ws) => join(ws.path, 'src', 'index.ts')).filter((f) => existsSync(f))
  const program = ts.createProgram(entries, {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    customConditions: ['@perpkit/source'], noEmit: true, skipLibCheck: true, noResolve: false,
  })
  const checker = program.getTypeChecker()
  const ranges = new Map()
  for (const entry of entries) {
    const sf = program.getSourceFile(entry)
    const mod = sf === undefined ? undefined : checker.getSymbolAtLocation(sf)
    if (mod === undefined) continue
    for (const exp of checker.getExportsOfModule(mod)) {
      const target = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp
      for (const decl of target.declarations ?? []) {
        const node = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl
        const file = node.getSourceFile().fileName
        if (!ranges.has(file)) ranges.set(file, [])
        ranges.get(file).push([node.getFullStart(), node.end])
      }
    }
  }
  return ranges
}

/** Every example of the repository: `{ source, line, code }`, source relative to the repository root. */
export function collectExamples() {
  const all = []
  const packages = listPublicPackages()
  const ranges = publicRanges(packages)
  for (const ws of packages) {
    for (const file of findFiles(join(ws.path, 'src'), /\.ts$/).filter((f) => !/\.test\.ts$/.test(f)).sort()) {
      const text = readFileSync(file, 'utf8')
      const inFile = ranges.get(file) ?? []
      for (const ex of examplesInSource(text)) {
        if (!inFile.some(([from, to]) => ex.offset >= from && ex.offset < to)) continue
        all.push({ source: relative(repoRoot, file), line: ex.line, code: ex.code })
      }
    }
  }
  for (const file of findFiles(join(repoRoot, 'docs', 'guides'), /\.md$/).sort()) {
    for (const ex of examplesInMarkdown(readFileSync(file, 'utf8'))) all.push({ source: relative(repoRoot, file), ...ex })
  }
  return all
}

function compilerOptions() {
  const base = ts.readConfigFile(join(repoRoot, 'tsconfig.base.json'), ts.sys.readFile)
  const { options } = ts.convertCompilerOptionsFromJson(base.config.compilerOptions, repoRoot)
  // A user's project: no source-first condition (types come from dist), nothing emitted.
  return { ...options, customConditions: [], noEmit: true, declaration: false, sourceMap: false, types: ['node'], typeRoots: [join(repoRoot, 'node_modules', '@types')] }
}

function main() {
  const missingBuild = listPublicPackages().filter((ws) => !existsSync(join(ws.path, 'dist', 'index.d.ts')))
  if (missingBuild.length > 0) {
    console.error(`examples: build first (npm run build): no dist/index.d.ts in ${missingBuild.map((w) => w.pkg.name).join(', ')}`)
    process.exit(1)
  }
  const examples = collectExamples()
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  const byFile = new Map()
  examples.forEach((ex, i) => {
    const name = `${String(i).padStart(4, '0')}_${ex.source.replace(/[^a-zA-Z0-9]+/g, '_')}_L${ex.line}.ts`
    const file = join(outDir, name)
    // `export {}` makes every example its own module (no clashes between examples' top-level names)
    writeFileSync(file, `${ex.code}\nexport {}\n`)
    byFile.set(file, ex)
  })
  const program = ts.createProgram([...byFile.keys()], compilerOptions())
  const failures = new Map()
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const ex = d.file === undefined ? undefined : byFile.get(d.file.fileName)
    const msg = ts.flattenDiagnosticMessageText(d.messageText, ' ')
    if (ex === undefined) {
      console.error(`examples: ${d.file?.fileName ?? '(global)'}: ${msg}`)
      failures.set(`global:${msg}`, { ex: undefined, msgs: [msg] })
      continue
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0)
    const key = `${ex.source}:${ex.line}`
    const f = failures.get(key) ?? { ex, msgs: [] }
    f.msgs.push(`line ${ex.line + line}: ${msg}`)
    failures.set(key, f)
  }
  const pending = existsSync(pendingFile) ? JSON.parse(readFileSync(pendingFile, 'utf8')).packages : {}
  const packageOf = (source) => listPublicPackages().find((ws) => source.startsWith(`${relative(repoRoot, ws.path)}/`))?.pkg.name
  const knownByPackage = new Map()
  let failed = 0
  for (const [key, f] of failures) {
    const pkg = f.ex === undefined ? undefined : packageOf(f.ex.source)
    if (pkg !== undefined && pending[pkg] !== undefined) {
      knownByPackage.set(pkg, (knownByPackage.get(pkg) ?? 0) + 1)
      if (process.argv.includes('--pending')) console.log(`… ${key} (pending: ${pending[pkg]})`)
      continue
    }
    failed += 1
    console.error(`✗ ${key}`)
    for (const m of f.msgs.slice(0, 3)) console.error(`    ${m.length > 220 ? `${m.slice(0, 220)}…` : m}`)
  }
  for (const [pkg, n] of knownByPackage) console.log(`… ${pkg}: ${n} example(s) do not compile yet (pending: ${pending[pkg]}; list them with --pending)`)
  for (const pkg of Object.keys(pending)) if (!knownByPackage.has(pkg)) console.log(`note: every example of ${pkg} compiles: remove it from scripts/examples-pending.json`)
  const known = [...knownByPackage.values()].reduce((a, b) => a + b, 0)
  if (process.argv.includes('--list')) for (const ex of examples) console.log(`${ex.source}:${ex.line}`)
  const compiled = examples.length - failed - known
  console.log(`examples: ${compiled}/${examples.length} compile on their own against the built packages${known > 0 ? `, ${known} known failing in ${[...knownByPackage].map(([p, n]) => `${p} (${n})`).join(', ')} (scripts/examples-pending.json)` : ''}${failed > 0 ? `, ${failed} FAILED` : ''}`)
  process.exit(failed > 0 ? 1 : 0)
}

if (process.argv[1] !== undefined && process.argv[1].endsWith('check-examples.mjs')) main()
