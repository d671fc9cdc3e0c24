import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import type { Reporter } from 'vitest/reporters'

const root = dirname(fileURLToPath(import.meta.url))

/** Per-package vitest JSON report, relative to the package directory (gitignored via `.turbo/`). */
export const VITEST_RESULTS_FILE = '.turbo/vitest-results.json'

/**
 * Per-package record of errors raised outside any test case (an unhandled rejection, a timer firing after its
 * test ended, a worker crash). Vitest fails the run for them but its JSON report has no place for them, so
 * without this file the summary could only say "exit 1 with no failing case".
 */
export const VITEST_ERRORS_FILE = '.turbo/vitest-errors.json'

function unhandledErrorsFile(packageDir: string): Reporter {
  return {
    onTestRunEnd(_modules, unhandledErrors, reason) {
      const errors = unhandledErrors.map((e) => ({
        name: e.name,
        message: e.message,
        stack: typeof e.stack === 'string' ? e.stack.split('\n').slice(0, 12).join('\n') : undefined,
        testFile: (e as { VITEST_TEST_PATH?: string }).VITEST_TEST_PATH,
        testName: (e as { VITEST_TEST_NAME?: string }).VITEST_TEST_NAME,
      }))
      mkdirSync(join(packageDir, '.turbo'), { recursive: true })
      writeFileSync(join(packageDir, VITEST_ERRORS_FILE), `${JSON.stringify({ reason, errors }, null, 2)}\n`)
    },
  }
}

/**
 * Source-first workspace resolution for tests: `@perpkit/x` resolves to `packages/x/src/index.ts`, and a subpath
 * export (`@perpkit/core/testing`, `@perpkit/exchange/testing`, `@perpkit/store/postgres`) to the source its
 * `exports` map names under the `@perpkit/source` condition, so tests never need a prior build. Published
 * packages resolve to `dist` through their `exports`.
 */
export const workspaceAliases = readdirSync(join(root, 'packages')).flatMap((name) => {
  const manifest = join(root, 'packages', name, 'package.json')
  const exportsMap: Record<string, unknown> = existsSync(manifest) ? ((JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, unknown> }).exports ?? {}) : {}
  const subpaths = Object.entries(exportsMap).flatMap(([subpath, target]) => {
    const source = typeof target === 'object' && target !== null ? (target as Record<string, unknown>)['@perpkit/source'] : undefined
    if (subpath === '.' || typeof source !== 'string') return []
    return [{ find: new RegExp(`^@perpkit/${name}/${subpath.slice(2)}$`), replacement: join(root, 'packages', name, source) }]
  })
  return [{ find: new RegExp(`^@perpkit/${name}$`), replacement: join(root, 'packages', name, 'src', 'index.ts') }, ...subpaths]
})

export function packageTestConfig(packageDir: string) {
  return defineConfig({
    root: packageDir,
    resolve: { alias: workspaceAliases },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 60_000,
      pool: 'threads',
      // Packages still without test files must not fail `turbo run test`.
      passWithNoTests: true,
      // The JSON report feeds the one-line `tests: N passed, M failed` summary of root `npm test`
      // (scripts/test-summary.mjs). It is also a turbo `test` output, so cache hits restore it.
      reporters: ['default', 'json', unhandledErrorsFile(packageDir)],
      outputFile: { json: VITEST_RESULTS_FILE },
    },
  })
}
