import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = dirname(fileURLToPath(import.meta.url))

/** Per-package vitest JSON report, relative to the package directory (gitignored via `.turbo/`). */
export const VITEST_RESULTS_FILE = '.turbo/vitest-results.json'

/**
 * Source-first workspace resolution for tests: `@perpkit/x` resolves to `packages/x/src/index.ts`,
 * so tests never need a prior build. Published packages resolve to `dist` through their `exports`.
 */
export const workspaceAliases = readdirSync(join(root, 'packages')).map((name) => ({
  find: new RegExp(`^@perpkit/${name}$`),
  replacement: join(root, 'packages', name, 'src', 'index.ts'),
}))

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
      reporters: ['default', 'json'],
      outputFile: { json: VITEST_RESULTS_FILE },
    },
  })
}
