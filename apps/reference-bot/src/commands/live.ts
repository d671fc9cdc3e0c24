/**
 * `perpkit live`: not available yet; says what to use instead.
 * @module
 */
import { type CliCommand, EXIT } from './command.js'

/** `perpkit live` (exit 3 until the exchange adapters land). */
export const liveCommand: CliCommand = {
  name: 'live',
  summary: 'live trading (not available yet: explains what to use instead)',
  configure() {},
  async run({ io }) {
    io.err(
      'perpkit live: not available yet. Live trading needs the ccxt venue adapters (@perpkit/exchange), which arrive with the\n' +
        'exchange issue; the engine already runs the same strategy, risk, sizing and OMS code behind the venue port.\n' +
        'Until then: `perpkit paper --replay` runs the live code path against the simulated venue, and `perpkit check`\n' +
        'validates a live config and shows whether API keys are present in the environment.\n',
    )
    return EXIT.notAvailable
  },
}
