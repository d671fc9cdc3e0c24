/**
 * The bot's one YAML config, validated by zod. Secrets never come from this file: API keys are read from
 * environment variables only (see {@link secretsFromEnv}).
 * @module
 */
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatIssuePath, InvalidInputError, PerpkitError, perpSymbol, type SettleCoin, settleCoinFor, timeframeSchema } from '@perpkit/core'
import { DEFAULT_MAX_JUMP_FACTOR } from '@perpkit/engine'
import { labelSpecSchema } from '@perpkit/ml'
import { parse as parseYaml, YAMLParseError } from 'yaml'
import { z } from 'zod'

const rate = z.number().gt(-0.01).lt(0.01)

/**
 * Largest account balance, order or position value (in the settle currency) the bot accepts: $10 billion, far
 * beyond any venue's largest position tier, so anything above it is a typo (1e300), not a real account.
 */
export const MAX_ACCOUNT_USD = 1e10
const FORBIDDEN_KEYS = /^(api[-_]?key|apikey|secret|api[-_]?secret|password|passphrase|private[-_]?key)$/i

const isoDate = z.string().refine((v) => Number.isFinite(Date.parse(v)), 'an ISO date or time, e.g. 2025-10-01 or 2025-10-01T12:00:00Z')

/** The `ml` section: how `perpkit ml train|evaluate` train the model an `MlSignal` strategy reads. */
const mlSectionSchema = z
  .object({
    /** Model registry folder (default: `strategy.parameters.registry` of an `MlSignal` strategy), relative to the config file. */
    registry: z.string().min(1).optional(),
    label: labelSpecSchema.default({ kind: 'forward-return', horizonBars: 12, thresholdPct: 0 }),
    features: z.record(z.string(), z.number()).default({}),
    forest: z
      .object({ trees: z.number().int().min(1).max(1000).default(30), maxDepth: z.number().int().min(1).max(30).default(5), seed: z.number().int().default(1), maxFeatures: z.number().gt(0).max(1).optional() })
      .strict()
      .default({ trees: 30, maxDepth: 5, seed: 1 }),
    /** Training window (bar open times, inclusive); default: the whole candle file. */
    train: z.object({ from: isoDate.optional(), to: isoDate.optional() }).strict().default({}),
    /** Walk-forward folds of `perpkit ml evaluate` (and of `train --folds`). */
    folds: z.number().int().min(1).max(50).default(4),
  })
  .strict()

/** zod schema of the config file. */
export const configSchema = z
  .object({
    mode: z.enum(['backtest', 'paper', 'live']).default('backtest'),
    venue: z.enum(['binance-usdm', 'bybit-linear', 'bybit-inverse']).default('binance-usdm'),
    testnet: z.boolean().default(true),
    settleCoin: z.enum(['USDT', 'USDC']).optional(),
    symbols: z.array(z.string().regex(/^[A-Z0-9]{2,15}$/, 'a base asset like BTC')).min(1).default(['BTC']),
    data: z
      .object({
        candles: z.string().min(1).optional(),
        timeframe: timeframeSchema.default('5m'),
        funding: z.string().min(1).optional(),
        trades: z.string().min(1).optional(),
        cache: z.boolean().default(true),
        maxJumpFactor: z.number().gt(1).default(DEFAULT_MAX_JUMP_FACTOR),
      })
      .strict()
      .default({ timeframe: '5m', cache: true, maxJumpFactor: DEFAULT_MAX_JUMP_FACTOR }),
    strategy: z
      .object({
        id: z.string().min(1),
        name: z.string().min(1).optional(),
        class: z.string().min(1),
        module: z.string().min(1).optional(),
        parameters: z.record(z.string(), z.unknown()).default({}),
      })
      .strict(),
    account: z
      .object({
        initialBalance: z.number().positive().max(MAX_ACCOUNT_USD, `at most ${MAX_ACCOUNT_USD.toExponential()}: no venue holds an account, or accepts a position, that large`).default(10_000),
        leverage: z.number().min(1).max(125).default(3),
        marginMode: z.enum(['isolated', 'cross']).default('isolated'),
      })
      .strict()
      .default({ initialBalance: 10_000, leverage: 3, marginMode: 'isolated' }),
    sizing: z
      .object({
        mode: z.enum(['fixed-qty', 'fixed-notional', 'risk-fraction']).default('risk-fraction'),
        qty: z.number().positive().max(MAX_ACCOUNT_USD, `at most ${MAX_ACCOUNT_USD.toExponential()}: no venue accepts an order that large`).optional(),
        notional: z.number().positive().max(MAX_ACCOUNT_USD, `at most ${MAX_ACCOUNT_USD.toExponential()}: no venue accepts a position that large`).optional(),
        riskFraction: z.number().gt(0).max(0.1).default(0.01),
        stopDistancePct: z.number().gt(0).max(0.5).default(0.03),
      })
      .strict()
      .default({ mode: 'risk-fraction', riskFraction: 0.01, stopDistancePct: 0.03 }),
    risk: z
      .object({
        enabled: z.boolean().default(true),
        /** The strategy's win rate in a prior backtest (0..1): the account-builder win-rate gate needs it while few trades are closed. */
        backtestWinRate: z.number().min(0).max(1).optional(),
        settings: z.record(z.string(), z.unknown()).default({}),
      })
      .strict()
      .default({ enabled: true, settings: {} }),
    fees: z.object({ makerRate: rate.optional(), takerRate: rate.optional() }).strict().default({}),
    slippage: z.object({ fixedBps: z.number().min(0).max(1000).default(0), impactCoefficient: z.number().min(0).max(1).default(0) }).strict().default({ fixedBps: 0, impactCoefficient: 0 }),
    funding: z.object({ fixedRate: z.number().gt(-0.01).lt(0.01).optional() }).strict().default({}),
    paper: z
      .object({ speed: z.number().positive().default(60), bars: z.number().int().positive().optional() })
      .strict()
      .default({ speed: 60 }),
    output: z.object({ dir: z.string().min(1).default('reports') }).strict().default({ dir: 'reports' }),
    ml: mlSectionSchema.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.sizing.mode === 'fixed-qty' && c.sizing.qty === undefined) ctx.addIssue({ code: 'custom', path: ['sizing', 'qty'], message: 'sizing.mode fixed-qty needs sizing.qty' })
    if (c.sizing.mode === 'fixed-notional' && c.sizing.notional === undefined) ctx.addIssue({ code: 'custom', path: ['sizing', 'notional'], message: 'sizing.mode fixed-notional needs sizing.notional' })
  })

/** A validated config. */
export type BotConfig = z.output<typeof configSchema>

/** Resolved config plus derived values. */
export interface LoadedConfig {
  readonly config: BotConfig
  /** The file it came from, or `(embedded default)`. */
  readonly file: string
  readonly settle: SettleCoin | 'BTC'
  readonly symbols: readonly string[]
  /** Absolute candles path (the embedded data when `data.candles` is not set). */
  readonly candlesPath: string
  readonly fundingPath?: string
  /** Trade tape (Binance trade CSV layout); candles are built from it when `data.candles` is not set. */
  readonly tradesPath?: string
}

/** The directory of the app package (works from src/ under tsx and from dist/ when built). */
export function appRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  return resolve(here, '..')
}

/** The embedded default candles (real Binance USDⓈ-M BTCUSDT 5m, gzip). */
export function embeddedCandlesPath(): string {
  return resolve(appRoot(), 'data', 'binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz')
}

/** The embedded default config file. */
export function defaultConfigPath(): string {
  return resolve(appRoot(), 'config', 'default.yaml')
}

function findSecretKeys(value: unknown, path: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return []
  const out: string[] = []
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (FORBIDDEN_KEYS.test(k)) out.push([...path, k].join('.'))
    out.push(...findSecretKeys(v, [...path, k]))
  }
  return out
}

/**
 * Read and validate a YAML config file.
 *
 * @param args - `{ path?, overrides? }`; without `path` the embedded default config is used.
 * @returns the validated config with derived symbols, settle coin and data paths.
 * @throws InvalidInputError naming the file, the dotted path of the bad field and what was expected.
 */
export function loadConfig(args: { readonly path?: string; readonly overrides?: Partial<Record<'mode', BotConfig['mode']>> } = {}): LoadedConfig {
  const file = args.path === undefined ? defaultConfigPath() : resolve(args.path)
  const label = args.path === undefined ? `${file} (embedded default)` : args.path
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (cause) {
    throw new InvalidInputError(`config file not found: ${label}`, { cause, path: 'config' })
  }
  let raw: unknown
  try {
    raw = parseYaml(text)
  } catch (cause) {
    const where = cause instanceof YAMLParseError && cause.linePos !== undefined ? `:${cause.linePos[0].line}` : ''
    throw new InvalidInputError(`${label}${where}: not valid YAML (${(cause as Error).message.split('\n')[0]})`, { cause, path: 'config' })
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidInputError(`${label}: expected a YAML mapping at the top level`, { path: 'config' })
  const secrets = findSecretKeys(raw)
  if (secrets.length > 0) {
    throw new InvalidInputError(`${label}: ${secrets[0]}: secrets are not allowed in the config file; set PERPKIT_API_KEY / PERPKIT_API_SECRET in the environment`, {
      path: secrets[0] as string,
    })
  }
  const merged = { ...(raw as Record<string, unknown>), ...(args.overrides ?? {}) }
  const parsed = configSchema.safeParse(merged)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const path = issue === undefined ? '' : formatIssuePath(issue.path)
    const all = parsed.error.issues.map((i) => `  ${formatIssuePath(i.path) || '(root)'}: ${i.message}`).join('\n')
    // PerpkitError, not InvalidInputError: the message already names every field, no path prefix in front of the file
    throw new PerpkitError('invalid-input', `${label}: invalid config\n${all}`, { path })
  }
  const config = parsed.data
  const settle: SettleCoin | 'BTC' = config.venue === 'bybit-inverse' ? 'BTC' : settleCoinFor(config.settleCoin !== undefined ? { testnet: config.testnet, override: config.settleCoin } : { testnet: config.testnet })
  const symbols = config.symbols.map((b) => (config.venue === 'bybit-inverse' ? perpSymbol(b, b, 'USD') : perpSymbol(b, settle)))
  const base = dirname(file)
  const rel = (p: string): string => (isAbsolute(p) ? p : resolve(base, p))
  const candlesPath = config.data.candles === undefined ? embeddedCandlesPath() : rel(config.data.candles)
  return {
    config,
    file: label,
    settle,
    symbols,
    candlesPath,
    ...(config.data.funding !== undefined ? { fundingPath: rel(config.data.funding) } : {}),
    ...(config.data.trades !== undefined ? { tradesPath: rel(config.data.trades) } : {}),
  }
}

/** API credentials from the environment; only presence is ever reported, never the values. */
export interface EnvSecrets {
  readonly apiKey?: string
  readonly apiSecret?: string
}

/**
 * Read API credentials from `PERPKIT_API_KEY` / `PERPKIT_API_SECRET` (testnet: `PERPKIT_TESTNET_API_KEY` /
 * `PERPKIT_TESTNET_API_SECRET` take precedence).
 */
export function secretsFromEnv(env: NodeJS.ProcessEnv, testnet: boolean): EnvSecrets {
  // an empty variable (e.g. left blank in a .env file) counts as not set
  const set = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v)
  const key = (testnet ? set(env.PERPKIT_TESTNET_API_KEY) : undefined) ?? set(env.PERPKIT_API_KEY)
  const secret = (testnet ? set(env.PERPKIT_TESTNET_API_SECRET) : undefined) ?? set(env.PERPKIT_API_SECRET)
  return { ...(key !== undefined && key !== '' ? { apiKey: key } : {}), ...(secret !== undefined && secret !== '' ? { apiSecret: secret } : {}) }
}
