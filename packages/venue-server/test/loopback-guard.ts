/** Test setup: the repository's loopback guard (vitest.loopback-guard.ts), shared with @perpkit/exchange. */
export { blockedHosts } from '../../../vitest.loopback-guard'
