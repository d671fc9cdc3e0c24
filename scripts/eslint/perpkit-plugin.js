/**
 * Local ESLint plugin enforcing the perpkit package graph (CONVENTIONS "The house").
 * Syntactic only (no type information), so it is fast.
 *
 * Rule `perpkit/package-boundaries` reports:
 * - `exchangeOnly`   importing `ccxt` / `ws` (or subpaths) anywhere but packages/exchange (venue-server: `ws`,
 *                    and `ccxt` in its tests);
 * - `deepImport`     `@perpkit/x/<subpath>` (other than `/package.json` and the entry points x declares in
 *                    its `exports` map, e.g. `@perpkit/store/postgres`), or a relative/absolute path into
 *                    another workspace package's directory;
 * - `forbiddenEdge`  `@perpkit/x` from a package that may not depend on x;
 * - `selfImport`     a package importing itself by name from non-test code (use relative imports);
 * - `coreDependency` packages/core/src importing anything but zod (node builtins included).
 */
import { readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  bareModuleName,
  CORE_ALLOWED_MODULES,
  describeEdges,
  EXCHANGE_ONLY_MODULES,
  isEdgeAllowed,
  mayUseForeignModule,
  perpkitDirOf,
  SCOPE,
} from '../lib/dependency-graph.js'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Where a file lives: `{ area: 'packages' | 'apps' | 'root', name, inner }` (inner = path inside the package). */
function locate(absPath) {
  const rel = relative(repoRoot, absPath).split(sep).join('/')
  const m = /^(packages|apps)\/([^/]+)\/(.*)$/.exec(rel)
  if (m === null) return { area: rel.startsWith('..') ? 'outside' : 'root', name: '', inner: rel }
  return { area: m[1], name: m[2], inner: m[3] }
}

const declaredEntries = new Map()
/** The subpaths a workspace package declares in its `exports` map (`./postgres` → `/postgres`); none if unreadable. */
function entriesOf(dir) {
  let entries = declaredEntries.get(dir)
  if (entries === undefined) {
    try {
      const exportsMap = JSON.parse(readFileSync(join(repoRoot, 'packages', dir, 'package.json'), 'utf8')).exports ?? {}
      entries = Object.keys(exportsMap).filter((k) => k.startsWith('./')).map((k) => k.slice(1))
    } catch {
      entries = []
    }
    declaredEntries.set(dir, entries)
  }
  return entries
}

function isTestFile(inner) {
  return /(^|\/)(test|tests|__tests__)\//.test(inner) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(inner)
}

function isRelativeOrAbsolute(specifier) {
  return specifier.startsWith('.') || specifier.startsWith('/')
}

const packageBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the perpkit package dependency graph' },
    schema: [],
    messages: {
      exchangeOnly: "'{{module}}' may only be imported in packages/exchange (and ws in packages/venue-server, ccxt in its tests): foreign venue code is isolated there.",
      deepImport: "Deep import '{{specifier}}': import another workspace package by its name ('{{suggest}}') only.",
      forbiddenEdge: "@perpkit/{{from}} may not import '{{specifier}}'. Allowed: {{allowed}}.",
      selfImport: "@perpkit/{{from}} imports itself by name; use a relative './x.js' import.",
      coreDependency: "@perpkit/core depends on zod only; '{{specifier}}' is not allowed in packages/core/src.",
    },
  },
  create(context) {
    const here = locate(context.filename)
    const test = isTestFile(here.inner)

    function check(node, specifier) {
      if (typeof specifier !== 'string' || specifier.length === 0) return
      if (isRelativeOrAbsolute(specifier)) {
        if (here.area !== 'packages' && here.area !== 'apps') return
        const target = locate(resolve(dirname(context.filename), specifier))
        if ((target.area === 'packages' || target.area === 'apps') && !(target.area === here.area && target.name === here.name)) {
          context.report({ node, messageId: 'deepImport', data: { specifier, suggest: SCOPE + target.name } })
        }
        return
      }
      const bare = bareModuleName(specifier)
      if (EXCHANGE_ONLY_MODULES.includes(bare) && !(here.area === 'packages' && mayUseForeignModule({ pkg: here.name, module: bare, testOnly: test }))) {
        context.report({ node, messageId: 'exchangeOnly', data: { module: bare } })
        return
      }
      const dir = perpkitDirOf(specifier)
      if (dir !== undefined) {
        const subpath = specifier.slice(SCOPE.length + dir.length)
        if (subpath !== '' && subpath !== '/package.json' && !entriesOf(dir).includes(subpath)) {
          context.report({ node, messageId: 'deepImport', data: { specifier, suggest: SCOPE + dir } })
          return
        }
        if (here.area !== 'packages') return // apps and tooling may import any package
        if (dir === here.name) {
          if (!test) context.report({ node, messageId: 'selfImport', data: { from: here.name } })
          return
        }
        if (!isEdgeAllowed({ from: here.name, to: dir, testOnly: test })) {
          context.report({ node, messageId: 'forbiddenEdge', data: { from: here.name, specifier, allowed: describeEdges(here.name) } })
        }
        return
      }
      if (here.area === 'packages' && here.name === 'core' && here.inner.startsWith('src/') && !test && !CORE_ALLOWED_MODULES.includes(bare)) {
        context.report({ node, messageId: 'coreDependency', data: { specifier } })
      }
    }

    const fromSource = (node) => {
      if (node.source != null && node.source.type === 'Literal') check(node.source, node.source.value)
    }
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node.source, node.source.value)
        else if (node.source.type === 'TemplateLiteral' && node.source.expressions.length === 0) {
          check(node.source, node.source.quasis[0]?.value.cooked)
        }
      },
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node.arguments[0], node.arguments[0].value)
        }
      },
      TSImportType(node) {
        // `typeof import('x')` / `import('x').T` in type positions
        const arg = node.source ?? node.argument
        const lit = arg?.type === 'TSLiteralType' ? arg.literal : arg
        if (lit?.type === 'Literal') check(lit, lit.value)
      },
      TSExternalModuleReference(node) {
        if (node.expression.type === 'Literal') check(node.expression, node.expression.value)
      },
    }
  },
}

export default {
  meta: { name: 'eslint-plugin-perpkit-local' },
  rules: { 'package-boundaries': packageBoundaries },
}
