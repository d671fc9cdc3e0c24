import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = dirname(fileURLToPath(import.meta.url))

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
    },
  })
}
