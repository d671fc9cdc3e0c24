/**
 * One point of a sweep: the configured backtest with the point's strategy parameters, reduced to a results row.
 * The same function runs in a worker thread, in a queue worker and in process, so every runner gives the same row.
 * @module
 */
import type { Metrics } from '@perpkit/engine'
import { prepareRunInputs, runBacktestFor, strategyBaseDir, strategyFromConfig } from '../compose.js'
import { loadConfig, type LoadedConfig } from '../config.js'
import type { GridPoint } from './grid.js'

/** What every sweep runner needs to rebuild the run: the config file (or the embedded default), data override, seed. */
export interface SweepJobSpec {
  /** Config file; absent = the embedded default config. */
  readonly configPath?: string
  /** Candle file overriding `data.candles`. */
  readonly dataPath?: string
  /** Seed of the simulated venue. */
  readonly seed: number
}

/** One results row: the point's index and parameters, and the run's headline metrics. */
export interface SweepRow {
  readonly index: number
  readonly params: GridPoint
  readonly metrics: Pick<Metrics, 'finalEquity' | 'totalReturn' | 'maxDrawdown' | 'sharpe' | 'trades' | 'winRate' | 'profitFactor' | 'fees'>
}

/** Load the sweep's config once (with the data override). */
export function loadSweepConfig(spec: SweepJobSpec): LoadedConfig {
  const loaded = loadConfig({ ...(spec.configPath !== undefined ? { path: spec.configPath } : {}), overrides: { mode: 'backtest' } })
  return spec.dataPath !== undefined ? { ...loaded, candlesPath: spec.dataPath } : loaded
}

/**
 * Create a runner of sweep points over one config: data loaded once, one backtest per call.
 *
 * @param spec - config, data and seed
 * @returns `run(index, params)` → the results row
 * @throws InvalidInputError for a bad config, bad data or parameters the strategy rejects
 */
export async function createPointRunner(spec: SweepJobSpec): Promise<(index: number, params: GridPoint) => Promise<SweepRow>> {
  const loaded = loadSweepConfig(spec)
  const inputs = await prepareRunInputs({ loaded, log: () => {} })
  return async (index, params) => {
    const withParams: LoadedConfig = { ...loaded, config: { ...loaded.config, strategy: { ...loaded.config.strategy, parameters: { ...loaded.config.strategy.parameters, ...params } } } }
    const strategy = await strategyFromConfig(withParams, strategyBaseDir(loaded))
    const r = await runBacktestFor({
      loaded: withParams,
      strategy,
      instrument: inputs.instrument,
      candles: inputs.candles,
      warmupBars: inputs.warmupBars,
      onEvent: () => {},
      options: { mode: 'backtest' },
      funding: inputs.funding,
      trades: inputs.trades,
      seed: spec.seed,
      recordBars: false,
    })
    const m = r.metrics
    return {
      index,
      params,
      metrics: { finalEquity: m.finalEquity, totalReturn: m.totalReturn, maxDrawdown: m.maxDrawdown, sharpe: m.sharpe, trades: m.trades, winRate: m.winRate, profitFactor: m.profitFactor, fees: m.fees },
    }
  }
}
