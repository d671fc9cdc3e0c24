import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  treeshake: true,
  // html.ts locates lightweight-charts with createRequire(import.meta.url): shim import.meta.url in the CJS build
  shims: true,
})
