#!/usr/bin/env node
// Checks that every public export of every package (packages/*/src/index.ts) has TSDoc with a summary and an
// `@example`. Exits 1 listing the offenders. Usage: node scripts/check-tsdoc.mjs [package ...]
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'

const root = new URL('..', import.meta.url).pathname
const only = process.argv.slice(2)
const packages = readdirSync(join(root, 'packages')).filter((p) => only.length === 0 || only.includes(p))
const entries = packages.map((p) => join(root, 'packages', p, 'src', 'index.ts'))
const program = ts.createProgram(entries, {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  customConditions: ['@perpkit/source'],
  noEmit: true,
  skipLibCheck: true,
})
const checker = program.getTypeChecker()

function docOf(decl) {
  // JSDoc attaches to the statement for variable declarations
  const host = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl
  const docs = ts.getJSDocCommentsAndTags(host).filter(ts.isJSDoc)
  return docs
}

let missing = 0
let total = 0
for (const [i, file] of entries.entries()) {
  const sf = program.getSourceFile(file)
  if (!sf) continue
  const mod = checker.getSymbolAtLocation(sf)
  if (!mod) continue
  const problems = []
  for (const exp of checker.getExportsOfModule(mod)) {
    total++
    const target = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp
    const decls = target.declarations ?? []
    const docs = decls.flatMap(docOf)
    const hasSummary = docs.some((d) => d.comment !== undefined && String(typeof d.comment === 'string' ? d.comment : d.comment.map((c) => c.text).join('')).trim() !== '')
    const hasExample = docs.some((d) => (d.tags ?? []).some((t) => t.tagName.text === 'example'))
    const isType = decls.every((d) => ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d))
    // Types and interfaces need a summary; values (functions, classes, constants, schemas) need a summary and an @example.
    if (!hasSummary || (!isType && !hasExample)) problems.push(`${exp.name}${hasSummary ? ' (no @example)' : ' (no TSDoc)'}`)
  }
  if (problems.length > 0) {
    missing += problems.length
    console.log(`@perpkit/${packages[i]}: ${problems.length} export(s) lack docs: ${problems.join(', ')}`)
  }
}
console.log(`tsdoc: ${total - missing}/${total} public exports documented`)
process.exit(missing > 0 ? 1 : 0)
