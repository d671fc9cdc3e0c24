import { defineConfig, mergeConfig } from 'vitest/config'
import { packageTestConfig } from '../../vitest.shared'

export default mergeConfig(packageTestConfig(import.meta.dirname), defineConfig({ test: { setupFiles: ['../../vitest.loopback-guard.ts'] } }))
