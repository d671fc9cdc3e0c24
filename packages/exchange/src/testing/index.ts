/**
 * `@perpkit/exchange/testing`: the contract suite of core's `ExchangeClient` port. Run it against any
 * implementation (the simulator, a live adapter pointed at the local venue server) to prove the same behaviour,
 * events and errors. Needs vitest (an optional peer dependency).
 *
 * @example
 * ```ts
 * import { exchangeClientContract } from '@perpkit/exchange/testing'
 * exchangeClientContract(makeHarness, { name: 'my adapter' })
 * ```
 * @packageDocumentation
 */
export { exchangeClientContract } from './contract.js'
export { type ContractHarness, type ContractOptions } from './harness.js'
