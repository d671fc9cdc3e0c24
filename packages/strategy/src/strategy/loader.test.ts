import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isPerpkitError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { createBuiltinRegistry } from '../strategies/builtins.js'
import { buildStrategy, loadStrategy, parseStrategyConfig } from './loader.js'
import { createStrategyRegistry } from './registry.js'

const pluginDir = join(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/plugins')
const registry = createBuiltinRegistry()

function pathOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    if (isPerpkitError(e) && e.code === 'invalid-input') return e.path ?? '(none)'
    throw e
  }
  return undefined
}
async function pathOfAsync(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
  } catch (e) {
    if (isPerpkitError(e) && e.code === 'invalid-input') return e.path ?? '(none)'
    throw e
  }
  return undefined
}

const yaml = (params: string, market = '{ symbol: BTC/USDT:USDT, primary_timeframe: 5m }', cls = 'SmaCrossover') =>
  `strategy:\n  id: "s-001"\n  name: "My Strategy"\n  class: "${cls}"\nmarket: ${market}\nparameters: ${params}\n`

describe('strategy loader', () => {
  it('parses the 004 config shape and applies parameter defaults', () => {
    const c = parseStrategyConfig({ yaml: yaml('{ fastPeriod: 10 }', '{ exchange: binance, symbol: BTC/USDT:USDT, primary_timeframe: 1m, timeframes: [1m, 5m, 15m, 1h] }') })
    expect(c).toMatchObject({ id: 's-001', name: 'My Strategy', className: 'SmaCrossover', market: { exchange: 'binance', primaryTimeframe: '1m', timeframes: ['1m', '5m', '15m', '1h'] } })
    const s = buildStrategy({ config: c, registry })
    expect(s).toMatchObject({ id: 's-001', className: 'SmaCrossover', requirements: { timeframes: ['1m'], warmupBars: { '1m': 50 } } })
  })

  it('lists every built-in class', () => {
    expect(registry.classNames()).toEqual(['Grid', 'PumpMomentum', 'RsiMeanReversion', 'Scalping', 'SmaCrossover', 'VwapMeanReversion'])
  })

  it('refuses bad config naming the bad field', () => {
    const build = (y: string) => () => buildStrategy({ config: parseStrategyConfig({ yaml: y }), registry })
    expect(pathOf(build(yaml('{ fastPeriod: -3 }')))).toBe('parameters.fastPeriod')
    expect(pathOf(build(yaml('{ fastPeriod: "20" }')))).toBe('parameters.fastPeriod')
    expect(pathOf(build(yaml('{ fastPeriod: 60, slowPeriod: 50 }')))).toBe('parameters.slowPeriod')
    expect(pathOf(build(yaml('{ unknownKnob: 1 }')))).toBe('parameters')
    expect(pathOf(build(yaml('{ period: 0 }', undefined, 'RsiMeanReversion')))).toBe('parameters.period')
    expect(pathOf(build(yaml('{}', '{ symbol: BTC/USDT:USDT, primary_timeframe: 7m }')))).toBe('market.primary_timeframe')
    expect(pathOf(build(yaml('{}', '{ symbol: BTCUSDT, primary_timeframe: 5m }')))).toBe('market.symbol')
    expect(pathOf(build(yaml('{}', '{ symbol: BTC/USDT:USDT, primary_timeframe: 5m, timeframes: [1h] }')))).toBe('market.timeframes')
    expect(pathOf(build(yaml('{}', undefined, 'NoSuchStrategy')))).toBe('strategy.class')
    expect(pathOf(build('strategy: { id: a, name: b }\nmarket: { symbol: BTC/USDT:USDT, primary_timeframe: 5m }'))).toBe('strategy.class')
    expect(pathOf(build('strategy: [unclosed'))).toBe('(none)')
    expect(pathOf(build('strategy: {id: a, name: b, class: c}\nstrategy: {id: a}'))).toBe('(none)') // duplicate key
  })

  it('loads a user plugin module by path (dynamic import) and refuses bad module references', async () => {
    const plugin = (cls: string, module: string, params = '{ bars: 2 }') =>
      `strategy: { id: u1, name: User, class: ${cls}, module: ${module} }\nmarket: { symbol: BTC/USDT:USDT, primary_timeframe: 5m }\nparameters: ${params}`
    const s = await loadStrategy({ yaml: plugin('CloseAboveOpen', './close-above-open.ts'), registry, baseDir: pluginDir })
    expect(s.className).toBe('CloseAboveOpen')
    const ctx = { symbol: 'BTC/USDT:USDT', nowMs: 300_000, position: null, warmingUp: false }
    const green = { openTimeMs: 0, open: 1, high: 2, low: 1, close: 2, volume: 1 }
    expect(s.onCandle(ctx, { timeframe: '5m', candle: green, closed: true, baseBarCount: 1 })).toEqual([])
    expect(s.onCandle(ctx, { timeframe: '5m', candle: { ...green, openTimeMs: 300_000 }, closed: true, baseBarCount: 1 })[0]).toMatchObject({ type: 'enter', side: 'long' })
    expect(await pathOfAsync(loadStrategy({ yaml: plugin('CloseAboveOpen', './close-above-open.ts', '{ bars: 0 }'), registry, baseDir: pluginDir }))).toBe('parameters.bars')
    expect(await pathOfAsync(loadStrategy({ yaml: plugin('notAStrategy', './close-above-open.ts'), registry, baseDir: pluginDir }))).toBe('strategy.class')
    expect(await pathOfAsync(loadStrategy({ yaml: plugin('X', './missing-file.ts'), registry, baseDir: pluginDir }))).toBe('strategy.module')
    expect(await pathOfAsync(loadStrategy({ yaml: plugin('X', './close-above-open.ts'), registry }))).toBe('strategy.module')
    expect(pathOf(() => buildStrategy({ config: parseStrategyConfig({ yaml: plugin('CloseAboveOpen', './x.ts') }), registry }))).toBe('strategy.module')
  })

  it('registry refuses duplicate class names', () => {
    const r = createStrategyRegistry()
    const def = registry.get('Grid')
    if (def === undefined) throw new Error('missing')
    r.register(def)
    expect(pathOf(() => r.register(def))).toBe('className')
  })
})
