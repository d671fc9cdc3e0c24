/**
 * `perpkit live`: trade the config's strategy on the venue. It resolves where it would trade (testnet by default;
 * production only with `--production` AND `PERPKIT_CONFIRM_PRODUCTION=yes`; keys from the environment only) and
 * refuses every partial request for production before anything is sent. Then it connects (clock offset,
 * withdraw-enabled key refused, instruments, hedge mode refused), takes the single-instance lock and runs the live
 * loop until SIGINT/SIGTERM (see `live/session.ts`): exit 0 after a clean stop, protective orders left on the venue.
 * @module
 */
import { Option } from 'commander'
import { InvalidInputError, systemClock, timeframeMs } from '@perpkit/core'
import { createLogger, type LogLevel } from '@perpkit/ops'
import { type VenueConnection, venueConnectionFor } from '../live/connect.js'
import { defaultLockDir } from '../live/places.js'
import { runLiveSession } from '../live/session.js'
import { addVenueOptions, lockDirOption, venueAccessFrom } from '../live/venue-access.js'
import { describeError } from '../io.js'
import { type CliCommand, stringOption } from './command.js'
import { positiveNumber, wholeNumber } from './options.js'

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const

/** `perpkit live [--config file] [--production] [--rest-url url] [--ws-url url] [--state-dir dir] [--lock-dir dir] [--metrics-port n] [--log-level l]`. */
export const liveCommand: CliCommand = {
  name: 'live',
  summary: 'live trading on the venue until SIGINT/SIGTERM (testnet unless --production and PERPKIT_CONFIRM_PRODUCTION=yes)',
  configure(command) {
    addVenueOptions(command)
    command.addOption(lockDirOption())
    command.addOption(new Option('--metrics-port <n>', 'serve Prometheus metrics on 127.0.0.1:<n>/metrics (0: any free port)').argParser(wholeNumber))
    command.addOption(new Option('--heartbeat-ms <ms>', 'heartbeat file write period').argParser(positiveNumber).default(5000))
    command.addOption(new Option('--stream-silence-ms <ms>', 'a market-data stream silent this long halts trading (default: 3 bars of the timeframe)').argParser(positiveNumber))
    command.addOption(new Option('--max-loop-lag-ms <ms>', 'an event-loop stall longer than this halts trading').argParser(positiveNumber).default(5000))
    command.addOption(new Option('--log-level <level>', 'structured log level (JSON lines on stdout)').choices(LEVELS).default('info'))
  },
  async run({ options, io }) {
    const { loaded, symbol, target, where, account, stateDir } = venueAccessFrom(options, io.env)
    const connection: VenueConnection = venueConnectionFor(loaded.config.venue, target)
    let handedOver = false
    try {
      await connection.client.connect()
      const instrument = (await connection.client.loadInstruments()).find((i) => i.symbol === symbol)
      if (instrument === undefined) throw new InvalidInputError(`${loaded.file}: symbols: ${symbol} is not listed on ${where}`, { path: 'symbols[0]' })
      if (loaded.config.account.leverage > instrument.maxLeverage) {
        throw new InvalidInputError(`${loaded.file}: account.leverage: ${loaded.config.account.leverage} exceeds the maximum ${instrument.maxLeverage} of ${symbol} on ${loaded.config.venue}`, { path: 'account.leverage' })
      }
      const positions = await connection.client.fetchPositions([symbol])
      const open = positions.map((p) => `${p.symbol} ${p.side} ${p.qty}`)
      io.err(`perpkit live: ${where}: connected (keys accepted, one-way mode, instruments loaded); open positions: ${open.length === 0 ? 'none' : open.join(', ')}\n`)
      const lockDir = stringOption(options, 'lockDir') ?? defaultLockDir(io.env)
      const logger = createLogger({ level: stringOption(options, 'logLevel') as LogLevel, base: { bot: loaded.config.strategy.id, venue: loaded.config.venue, environment: target.environment }, destination: { write: (line: string) => io.out(line) } })
      const stop = io.interrupt?.signal ?? new AbortController().signal
      const release = io.interrupt?.hold()
      handedOver = true
      try {
        const end = await runLiveSession({
          loaded,
          connection,
          instrument,
          account,
          stateDir,
          lockDir,
          ...(options.metricsPort !== undefined ? { metricsPort: options.metricsPort as number } : {}),
          heartbeatIntervalMs: options.heartbeatMs as number,
          streamSilenceMs: (options.streamSilenceMs as number | undefined) ?? 3 * timeframeMs(loaded.config.data.timeframe),
          maxLoopLagMs: options.maxLoopLagMs as number,
          logger,
          clock: systemClock,
          stop,
        })
        if (end.error !== undefined) io.err(`perpkit live: ${describeError(end.error)}\n`)
        io.err(`perpkit live: stopped (exit ${end.exitCode}); protective orders stay on the venue; state in ${stateDir}\n`)
        return end.exitCode
      } finally {
        release?.()
      }
    } finally {
      if (!handedOver) {
        connection.feed.close()
        await connection.client.close()
      }
    }
  },
}
