import { defineConfig } from 'tsup'

export default defineConfig({
  // the sweep's worker-thread script is its own entry: dist/worker.js next to dist/cli.js
  entry: { cli: 'src/cli.ts', worker: 'src/sweep/worker.ts' },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
})
