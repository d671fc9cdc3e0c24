import { packageBuildConfig } from '../../tsup.shared'

// html.ts locates lightweight-charts with createRequire(import.meta.url): shim import.meta.url in the CJS build
export default packageBuildConfig({ shims: true })
