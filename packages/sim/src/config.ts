/**
 * Validation of {@link SimVenueOptions} into resolved settings, starting wallets and per-symbol state.
 * @module
 */
import { type Instrument, instrumentSchema, InvalidInputError } from '@perpkit/core'
import type { MaintenanceSpec } from '@perpkit/sizing'
import type { VenueProfile } from './profiles.js'
import type { SimSettings, SymbolState } from './sim-state.js'
import type { SimFundingPoint, SimVenueOptions } from './types.js'

/** Everything `createSimVenue` derives from its options before wiring the venue. */
export interface ResolvedConfig {
  readonly settings: SimSettings
  readonly wallets: Map<string, number>
  readonly symbols: Map<string, SymbolState>
  readonly instruments: readonly Instrument[]
}

/** Validate `options` (throws `InvalidInputError` with a `path`) and build the initial venue state. */
export function resolveConfig(options: SimVenueOptions, profile: VenueProfile): ResolvedConfig {
  const participation = options.fillModel?.participation
  if (participation !== undefined && !(participation > 0 && participation <= 1)) throw new InvalidInputError('must be in (0, 1]', { path: 'fillModel.participation' })
  const fixedBps = nonNeg(options.slippage?.fixedBps ?? 0, 'slippage.fixedBps')
  const impactCoefficient = nonNeg(options.slippage?.impactCoefficient ?? 0, 'slippage.impactCoefficient')
  const liquidityUsd = pos(options.slippage?.liquidityUsd ?? 1_000_000, 'slippage.liquidityUsd')
  const latencyMs = nonNeg(options.latencyMs ?? 0, 'latencyMs')
  const fundingIntervalMs = pos(options.funding?.intervalMs ?? profile.fundingIntervalMs, 'funding.intervalMs')
  const fundingToleranceMs = nonNeg(options.funding?.jitterToleranceMs ?? 1_000, 'funding.jitterToleranceMs')
  const fixedRate = options.funding?.fixedRate
  if (fixedRate !== undefined && !(Number.isFinite(fixedRate) && Math.abs(fixedRate) < 1)) throw new InvalidInputError('must be a finite rate in (-1, 1)', { path: 'funding.fixedRate' })
  const defaultLeverage = pos(options.defaultLeverage ?? 20, 'defaultLeverage')
  const settings: SimSettings = {
    queue: options.fillModel?.queue ?? 'trade-through',
    participation,
    fixedBps,
    impactCoefficient,
    liquidityUsd,
    latencyMs,
    fundingIntervalMs,
    fundingToleranceMs,
    fixedRate,
    markMode: options.markPrice ?? 'follow-last',
    retention: options.closedOrderRetention ?? 10_000,
    serverOffsetMs: options.serverTimeOffsetMs ?? 0,
    recvWindowMs: pos(options.recvWindowMs ?? 5_000, 'recvWindowMs'),
    maintenanceBasis: profile.id === 'binance-usdm' ? 'liquidation-price' : 'entry-price',
  }

  const wallets = new Map<string, number>()
  for (const [asset, amount] of Object.entries(options.balances)) wallets.set(asset, nonNeg(amount, `balances.${asset}`))

  const symbols = new Map<string, SymbolState>()
  const instruments: Instrument[] = []
  options.instruments.forEach((raw, i) => {
    const parsed = instrumentSchema.safeParse(raw)
    if (!parsed.success) throw new InvalidInputError(parsed.error.issues[0]?.message ?? 'invalid instrument', { path: `instruments[${i}]` })
    const ins = parsed.data
    if (ins.venue !== profile.venue) throw new InvalidInputError(`instrument venue ${ins.venue} does not match profile ${profile.id}`, { path: `instruments[${i}].venue` })
    if (symbols.has(ins.symbol)) throw new InvalidInputError(`duplicate instrument ${ins.symbol}`, { path: `instruments[${i}].symbol` })
    if (!wallets.has(ins.settle)) wallets.set(ins.settle, 0)
    instruments.push(ins)
    const series = options.funding?.ratesBySymbol?.[ins.symbol] ?? options.funding?.rates
    symbols.set(ins.symbol, {
      ins,
      maintenance: maintenanceFor(options, ins.symbol),
      lastPrice: undefined,
      markPrice: undefined,
      lastTimeMs: Number.NEGATIVE_INFINITY,
      orders: [],
      position: null,
      positionUpdatedAtMs: 0,
      leverage: Math.min(defaultLeverage, ins.maxLeverage),
      marginMode: options.marginMode ?? 'cross',
      liqPrice: Number.NaN,
      fills: [],
      funding: series === undefined ? undefined : checkSeries(series, ins.symbol),
      fundingIdx: 0,
      nextFixedFundingMs: undefined,
    })
  })
  return { settings, wallets, symbols, instruments }
}

function maintenanceFor(options: SimVenueOptions, symbol: string): MaintenanceSpec {
  const m = options.maintenance
  if (m === undefined) return { maintenanceMarginRate: 0.005 }
  if ('maintenanceMarginRate' in m || 'brackets' in m) return m as MaintenanceSpec
  return (m as Readonly<Record<string, MaintenanceSpec>>)[symbol] ?? { maintenanceMarginRate: 0.005 }
}

function nonNeg(v: number, path: string): number {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new InvalidInputError('must be a finite number >= 0', { path })
  return v
}
function pos(v: number, path: string): number {
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new InvalidInputError('must be a finite number > 0', { path })
  return v
}
function checkSeries(series: readonly SimFundingPoint[], symbol: string): readonly SimFundingPoint[] {
  let prev = Number.NEGATIVE_INFINITY
  series.forEach((p, i) => {
    if (!(Number.isInteger(p.fundingTimeMs) && p.fundingTimeMs > prev)) throw new InvalidInputError('funding times must be increasing integers', { path: `funding.rates[${i}].fundingTimeMs` })
    if (!(Number.isFinite(p.rate) && Math.abs(p.rate) < 1)) throw new InvalidInputError(`invalid funding rate for ${symbol}`, { path: `funding.rates[${i}].rate` })
    prev = p.fundingTimeMs
  })
  return series.slice()
}
