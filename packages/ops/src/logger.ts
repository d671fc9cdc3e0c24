import { type DestinationStream, type LoggerOptions, type Logger as PinoLogger, pino } from 'pino'
import { InvalidInputError } from '@perpkit/core'

/** Log levels, most verbose first. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent'

/**
 * Paths redacted by default: API keys and secrets, tokens, passwords, webhook URLs and authorization headers, at
 * the top level and one object deep (pino's redact path syntax).
 *
 * @example
 * ```ts
 * import { DEFAULT_REDACT_PATHS, createLogger } from '@perpkit/ops'
 * DEFAULT_REDACT_PATHS.includes('*.apiKey') // true
 * const logger = createLogger({ redactPaths: ['venue.credentials'] }) // added to the defaults
 * ```
 */
export const DEFAULT_REDACT_PATHS: readonly string[] = [
  'apiKey', 'apiSecret', 'secret', 'password', 'passphrase', 'token', 'botToken', 'webhookUrl', 'privateKey',
  '*.apiKey', '*.apiSecret', '*.secret', '*.password', '*.passphrase', '*.token', '*.botToken', '*.webhookUrl', '*.privateKey',
  'headers.authorization', 'headers["x-mbx-apikey"]', 'headers["x-bapi-api-key"]', 'headers["x-bapi-sign"]',
  '*.headers.authorization', '*.headers["x-mbx-apikey"]', '*.headers["x-bapi-api-key"]', '*.headers["x-bapi-sign"]',
]

/** Log file rotation through the `pino-roll` transport (runs in a worker thread). */
export interface LogRotation {
  /** Base file name; pino-roll appends a number and `.log` (`bot` → `bot.1.log`, `bot.2.log`, …). */
  readonly file: string
  /** Start a new file every day, every hour, or every N ms. */
  readonly frequency?: 'daily' | 'hourly' | number
  /** Start a new file past this size, e.g. `'50m'`, `'500k'`. */
  readonly size?: string
  /** How many old files to keep. */
  readonly keepFiles?: number
}

/** Options of {@link createLogger}. */
export interface LoggerSetup {
  /** Minimum level (default `info`). */
  readonly level?: LogLevel
  /** Fields on every line, e.g. `{ bot: 'btc-bot' }`. */
  readonly base?: Readonly<Record<string, unknown>>
  /** Extra redact paths, added to {@link DEFAULT_REDACT_PATHS}. */
  readonly redactPaths?: readonly string[]
  /** Where lines go (default stdout); mutually exclusive with `rotation`. */
  readonly destination?: DestinationStream
  /** Write to rotated files instead of a stream. */
  readonly rotation?: LogRotation
}

/**
 * Structured JSON logs (pino): one JSON object per line with `level`, `time`, `msg`; secrets are replaced by
 * `[redacted]` at the configured paths before a line is written. Use `logger.child({ component: 'oms' })` (or
 * {@link componentLogger}) for one logger per component. With `rotation` the lines go to `pino-roll` files; the
 * alternative is stdout plus the host's logrotate (see the package README). Throws `InvalidInputError` when both
 * `destination` and `rotation` are given.
 *
 * @example
 * ```ts
 * import { componentLogger, createLogger } from '@perpkit/ops'
 * const logger = createLogger({ level: 'info', base: { bot: 'btc-bot' } })
 * const oms = componentLogger(logger, 'oms')
 * oms.info({ clientOrderId: 'pk-1', apiKey: 'never shown' }, 'order sent') // apiKey is written as "[redacted]"
 * ```
 */
export function createLogger(setup: LoggerSetup = {}): Logger {
  if (setup.destination !== undefined && setup.rotation !== undefined) {
    throw new InvalidInputError('give either destination or rotation, not both', { path: 'rotation' })
  }
  const options: LoggerOptions = {
    level: setup.level ?? 'info',
    base: { pid: process.pid, ...setup.base },
    redact: { paths: [...DEFAULT_REDACT_PATHS, ...(setup.redactPaths ?? [])], censor: '[redacted]' },
  }
  if (setup.rotation !== undefined) {
    const r = setup.rotation
    const transport = pino.transport({
      target: 'pino-roll',
      options: {
        file: r.file,
        mkdir: true,
        ...(r.frequency === undefined ? {} : { frequency: r.frequency }),
        ...(r.size === undefined ? {} : { size: r.size }),
        ...(r.keepFiles === undefined ? {} : { limit: { count: r.keepFiles } }),
      },
    }) as DestinationStream & NodeJS.EventEmitter & { end(): void }
    const logger = pino(options, transport)
    ownedTransports.set(logger, transport)
    return logger
  }
  return setup.destination === undefined ? pino(options) : pino(options, setup.destination)
}

/** Rotation transports (worker threads) created by {@link createLogger}, by the root logger that writes to them. */
const ownedTransports = new WeakMap<Logger, NodeJS.EventEmitter & { end(): void }>()

/**
 * Flush a logger made by {@link createLogger} and, when it writes rotated files, end its transport: the worker
 * thread writes what it holds, closes its files and exits, so nothing is lost at shutdown and no file is touched
 * afterwards. Resolves once that is done (at once for a logger on stdout or a caller's stream, which is flushed but
 * left open). Call it last, after everything that logs has stopped; lines logged afterwards are dropped.
 *
 * @param logger - the root logger returned by {@link createLogger}
 * @returns when every line is written and the transport (if any) has closed
 * @example
 * ```ts
 * import { closeLogger, createLogger } from '@perpkit/ops'
 * const logger = createLogger({ rotation: { file: '/var/log/perpkit/bot', size: '50m', keepFiles: 10 } })
 * logger.info('stopping')
 * await closeLogger(logger)
 * ```
 */
export async function closeLogger(logger: Logger): Promise<void> {
  const transport = ownedTransports.get(logger)
  await new Promise<void>((resolve) => logger.flush(() => resolve()))
  if (transport === undefined) return
  ownedTransports.delete(logger)
  await new Promise<void>((resolve, reject) => {
    transport.once('close', () => resolve())
    transport.once('error', reject)
    transport.end()
  })
}

/**
 * A child logger for one component: every line carries `component`.
 *
 * @example
 * ```ts
 * import { componentLogger, createLogger } from '@perpkit/ops'
 * const log = componentLogger(createLogger(), 'watchdog')
 * log.warn({ lagMs: 1250 }, 'event loop stalled')
 * ```
 */
export function componentLogger(logger: Logger, component: string): Logger {
  return logger.child({ component })
}

/**
 * pino's logger type, re-exported so callers can type the loggers they receive without importing pino.
 *
 * @example
 * ```ts
 * import { type Logger, createLogger } from '@perpkit/ops'
 * const logger: Logger = createLogger()
 * logger.info({ symbol: 'BTC/USDT:USDT' }, 'started')
 * ```
 */
export type Logger = PinoLogger
