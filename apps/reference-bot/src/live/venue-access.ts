/**
 * What every command that talks to the account's venue shares (`live`, `status`, `orders`, `positions`): the
 * options that say where (`--config`, `--production`, `--rest-url`, `--ws-url`), the production guard and keys
 * from the environment, and a connected venue that is closed again whatever happens.
 * @module
 */
import { type Command, Option } from 'commander'
import { InvalidInputError } from '@perpkit/core'
import { type CliCommand, type CommandContext, EXIT, stringOption } from '../commands/command.js'
import { configOption } from '../commands/options.js'
import { loadConfig, type LoadedConfig } from '../config.js'
import { type VenueConnection, venueConnectionFor } from './connect.js'
import { accountLabel, defaultStateDir } from './places.js'
import { type LiveTarget, resolveLiveTarget } from './target.js'

/** Where a command trades or reads: the config, its one symbol, the resolved target, a label for messages. */
export interface VenueAccess {
  readonly loaded: LoadedConfig
  readonly symbol: string
  readonly target: LiveTarget
  /** e.g. `binance-usdm TESTNET at http://127.0.0.1:8080`. */
  readonly where: string
  /** The account label of the lock and the state directory. */
  readonly account: string
  /** `--state-dir`, or the default state directory of the account and symbol. */
  readonly stateDir: string
}

/** Declare `--config`, `--production`, `--rest-url`, `--ws-url` and `--state-dir` on a command. */
export function addVenueOptions(command: Command): void {
  command.addOption(configOption())
  command.addOption(new Option('--production', 'the production venue (also needs PERPKIT_CONFIRM_PRODUCTION=yes and testnet: false in the config)'))
  command.addOption(new Option('--rest-url <url>', "the venue's REST base URL (default: the environment's; e.g. a local venue server)"))
  command.addOption(new Option('--ws-url <url>', "the venue's WebSocket base URL (default: the environment's)"))
  command.addOption(new Option('--state-dir <dir>', 'journal, heartbeat and JSONL logs (default: <output.dir>/live/<venue>-<environment>-<key fingerprint>-<symbol>)'))
}

/** `--lock-dir <dir>`: where the single-instance locks are (`live` takes one, `status` reads it). */
export const lockDirOption = (): Option =>
  new Option('--lock-dir <dir>', 'single-instance lock directory, shared by every bot of the account (default: $PERPKIT_LOCK_DIR or <tmp>/perpkit-locks)')

/** A read-only venue command: the venue options, then `read` on the connected venue and `render` of what it read. */
export function venueReadCommand<T>(spec: {
  readonly name: string
  readonly summary: string
  /** Options beyond the venue's. */
  readonly options?: () => readonly Option[]
  readonly read: (connection: VenueConnection, access: VenueAccess) => Promise<T>
  readonly render: (value: T, access: VenueAccess, context: CommandContext) => string
}): CliCommand {
  return {
    name: spec.name,
    summary: spec.summary,
    configure(command) {
      addVenueOptions(command)
      for (const o of spec.options?.() ?? []) command.addOption(o)
    },
    async run(context) {
      const access = venueAccessFrom(context.options, context.io.env)
      context.io.out(spec.render(await readVenue(access, (c) => spec.read(c, access)), access, context))
      return EXIT.ok
    },
  }
}

/**
 * Resolve the access the options ask for. Throws `InvalidInputError` (one line, nothing sent) for a bad config, a
 * partial request for production, missing keys or a bad URL.
 */
export function venueAccessFrom(options: CommandContext['options'], env: NodeJS.ProcessEnv): VenueAccess {
  const path = stringOption(options, 'config')
  const loaded = loadConfig(path !== undefined ? { path } : {})
  if (loaded.symbols.length !== 1) throw new InvalidInputError(`${loaded.file}: symbols: live trades one symbol per bot (got ${loaded.symbols.length})`, { path: 'symbols' })
  const symbol = loaded.symbols[0] as string
  const restBaseUrl = stringOption(options, 'restUrl')
  const wsBaseUrl = stringOption(options, 'wsUrl')
  const target = resolveLiveTarget({
    production: options.production === true,
    configTestnet: loaded.config.testnet,
    env,
    ...(restBaseUrl !== undefined ? { restBaseUrl } : {}),
    ...(wsBaseUrl !== undefined ? { wsBaseUrl } : {}),
  })
  const where = `${loaded.config.venue} ${target.environment.toUpperCase()}${target.restBaseUrl !== undefined ? ` at ${target.restBaseUrl}` : ''}`
  const account = accountLabel(loaded.config.venue, target)
  const stateDir = stringOption(options, 'stateDir') ?? defaultStateDir({ outputDir: loaded.config.output.dir, account, symbol })
  return { loaded, symbol, target, where, account, stateDir }
}

/** Connect to the venue (its start-up checks), run `read`, and close the connection. Sends no order. */
export async function readVenue<T>(access: VenueAccess, read: (connection: VenueConnection) => Promise<T>): Promise<T> {
  const connection = venueConnectionFor(access.loaded.config.venue, access.target)
  try {
    await connection.client.connect()
    return await read(connection)
  } finally {
    connection.feed.close()
    await connection.client.close()
  }
}
