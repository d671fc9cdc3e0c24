import { defineConfig, type Options } from 'tsup'

/**
 * The one build config of the libraries in `packages/`: ESM + CJS with declarations and source maps, for Node 20.
 * A package passes only what differs (e.g. more entry points, or `shims` for `import.meta.url` in the CJS build).
 */
export function packageBuildConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    treeshake: true,
    ...overrides,
  })
}
