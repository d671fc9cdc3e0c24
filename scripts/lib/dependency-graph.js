/**
 * The perpkit package graph, in one place. Used by the ESLint rule `perpkit/package-boundaries`
 * (eslint.config.js) and by `scripts/check-deps.mjs`. See CONVENTIONS "The house" and
 * docs/architecture.md.
 *
 * Keys are workspace directory names under packages/ (`core` = `@perpkit/core`).
 */

/** Runtime (and type) imports a package's code may make to other @perpkit packages. */
export const ALLOWED_EDGES = {
  core: [],
  sizing: ['core'],
  risk: ['core'],
  strategy: ['core'],
  sim: ['core', 'sizing'],
  oms: ['core'],
  exchange: ['core'],
  engine: ['core', 'sizing', 'risk', 'strategy', 'oms', 'sim'],
  'venue-server': ['core', 'sim', 'sizing'],
  ops: ['core'],
  report: ['core', 'engine'],
  ml: ['core', 'strategy'],
  store: ['core'],
}

/** Extra edges allowed only in tests (`*.test.ts`, `test/**`) and as devDependencies. */
export const TEST_ONLY_EDGES = {
  oms: ['sim'],
  exchange: ['sim', 'venue-server', 'oms'],
}

/** Foreign venue modules: only the packages granted below may import them (and their subpaths). */
export const EXCHANGE_ONLY_MODULES = ['ccxt', 'ws']
export const EXCHANGE_PACKAGE = 'exchange'

/**
 * Who may use a foreign venue module, and where: `runtime` = source and dependencies, `test` = tests and
 * devDependencies only. `exchange` is the client side (ccxt, ws); `venue-server` runs a WebSocket *server*
 * (ws) and uses ccxt only in its tests, as the outside client that checks the server.
 */
export const FOREIGN_MODULE_GRANTS = {
  [EXCHANGE_PACKAGE]: { ccxt: 'runtime', ws: 'runtime' },
  'venue-server': { ws: 'runtime', ccxt: 'test' },
}

/**
 * May packages/`pkg` import (or declare) the foreign venue module `module`?
 * @param {{ pkg: string, module: string, testOnly: boolean }} args
 */
export function mayUseForeignModule({ pkg, module, testOnly }) {
  const grant = FOREIGN_MODULE_GRANTS[pkg]?.[module]
  return grant === 'runtime' || (grant === 'test' && testOnly)
}

/** Third-party modules core may import (besides its own files). Node builtins are not allowed either. */
export const CORE_ALLOWED_MODULES = ['zod']

export const SCOPE = '@perpkit/'

/** Directory name of a package from its npm name, or undefined if not a @perpkit package. */
export function perpkitDirOf(specifier) {
  if (!specifier.startsWith(SCOPE)) return undefined
  return specifier.slice(SCOPE.length).split('/')[0]
}

/** Bare module name of a specifier: `zod/mini` → `zod`, `@scope/x/y` → `@scope/x`. */
export function bareModuleName(specifier) {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/**
 * Is `from` (a packages/* dir name) allowed to depend on `to`?
 * @param {{ from: string, to: string, testOnly: boolean }} args
 */
export function isEdgeAllowed({ from, to, testOnly }) {
  const edges = ALLOWED_EDGES[from]
  if (edges === undefined) return false // unknown package: must be added to the graph deliberately
  if (edges.includes(to)) return true
  return testOnly && (TEST_ONLY_EDGES[from] ?? []).includes(to)
}

/** Human-readable list of what `from` may import, for error messages. */
export function describeEdges(from) {
  const edges = ALLOWED_EDGES[from]
  if (edges === undefined) return `nothing (packages/${from} is not in scripts/lib/dependency-graph.js)`
  const main = edges.length === 0 ? 'no other @perpkit package' : edges.map((e) => SCOPE + e).join(', ')
  const tests = (TEST_ONLY_EDGES[from] ?? []).map((e) => SCOPE + e)
  return tests.length === 0 ? main : `${main} (+ ${tests.join(', ')} in tests only)`
}
