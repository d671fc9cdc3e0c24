/**
 * Every indicator against TA-Lib 0.6 output (computed outside this project, see test/fixtures/oracles/PROVENANCE.md):
 * ≤ 1e-9 relative error and identical NaN (lookback) positions, for the batch AND the streaming form.
 */
import { describe, it } from 'vitest'
import { adx, createAdx } from './adx.js'
import { atr, createAtr, createNatr, natr } from './atr.js'
import { bollinger, createBollinger } from './bollinger.js'
import { cci, createCci } from './cci.js'
import { createDonchian, donchian } from './donchian.js'
import { createEma, ema } from './ema.js'
import { createMacd, macd } from './macd.js'
import { createObv, obv } from './obv.js'
import { createRsi, rsi } from './rsi.js'
import { createSma, sma } from './sma.js'
import { createStdDev, stdDev } from './stddev.js'
import { createStoch, stoch } from './stoch.js'
import { col, expectSeriesClose, loadCsv } from './test-support/oracle.js'
import { createWilliamsR, williamsR } from './willr.js'
import { createWma, wma } from './wma.js'

type Table = Record<string, Float64Array>

function bars(t: Table) {
  const high = col(t, 'high')
  const low = col(t, 'low')
  const close = col(t, 'close')
  const list = Array.from(close, (c, i) => ({ high: high[i] as number, low: low[i] as number, close: c, volume: t.volume ? (t.volume[i] as number) : 0 }))
  return { high, low, close, list }
}

function stream<I>(inputs: readonly I[], ind: { update(i: I): number }, read: () => number = () => Number.NaN, useRead = false): Float64Array {
  const out = new Float64Array(inputs.length)
  for (let i = 0; i < inputs.length; i++) {
    const v = ind.update(inputs[i] as I)
    out[i] = useRead ? read() : v
  }
  return out
}

describe('TA-Lib 0.6 oracle: talib_0.6_binance_usdm_BTCUSDT_5m_first5000 (the shared oracle, every column)', () => {
  const t = loadCsv('talib_0.6_binance_usdm_BTCUSDT_5m_first5000.csv.gz')
  const { high, low, close, list } = bars(t)
  it('sma20', () => {
    expectSeriesClose(sma({ values: close, period: 20 }), col(t, 'sma20'))
    expectSeriesClose(stream(Array.from(close), createSma({ period: 20 })), col(t, 'sma20'))
  })
  it('ema20', () => {
    expectSeriesClose(ema({ values: close, period: 20 }), col(t, 'ema20'))
    expectSeriesClose(stream(Array.from(close), createEma({ period: 20 })), col(t, 'ema20'))
  })
  it('rsi14', () => {
    expectSeriesClose(rsi({ values: close, period: 14 }), col(t, 'rsi14'))
    expectSeriesClose(stream(Array.from(close), createRsi({ period: 14 })), col(t, 'rsi14'))
  })
  it('macd_12_26_9 / macd_signal / macd_hist', () => {
    const m = macd({ values: close, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9 })
    expectSeriesClose(m.macd, col(t, 'macd_12_26_9'))
    expectSeriesClose(m.signal, col(t, 'macd_signal'))
    expectSeriesClose(m.histogram, col(t, 'macd_hist'))
    const s = createMacd({})
    const cs = Array.from(close)
    expectSeriesClose(stream(cs, s), col(t, 'macd_12_26_9'))
    s.reset()
    expectSeriesClose(stream(cs, s, () => s.signal, true), col(t, 'macd_signal'))
    s.reset()
    expectSeriesClose(stream(cs, s, () => s.histogram, true), col(t, 'macd_hist'))
  })
  it('bb_upper/middle/lower_20_2', () => {
    const b = bollinger({ values: close, period: 20, stdDevUp: 2, stdDevDown: 2 })
    expectSeriesClose(b.upper, col(t, 'bb_upper_20_2'))
    expectSeriesClose(b.middle, col(t, 'bb_middle_20_2'))
    expectSeriesClose(b.lower, col(t, 'bb_lower_20_2'))
    const s = createBollinger({ period: 20 })
    const cs = Array.from(close)
    expectSeriesClose(stream(cs, s, () => s.upper, true), col(t, 'bb_upper_20_2'))
    s.reset()
    expectSeriesClose(stream(cs, s), col(t, 'bb_middle_20_2'))
    s.reset()
    expectSeriesClose(stream(cs, s, () => s.lower, true), col(t, 'bb_lower_20_2'))
  })
  it('atr14', () => {
    expectSeriesClose(atr({ high, low, close, period: 14 }), col(t, 'atr14'))
    expectSeriesClose(stream(list, createAtr({ period: 14 })), col(t, 'atr14'))
  })
})

for (const file of ['talib_0.6_extra_binance_usdm_BTCUSDT_5m_first5000.csv.gz', 'talib_0.6_extra_binance_spot_BTCUSDT_1d_2017-08-17_2022-10-10.csv.gz']) {
  describe(`TA-Lib 0.6 oracle (generated via npm talib@1.1.6): ${file}`, () => {
    const t = loadCsv(file)
    const { high, low, close, list } = bars(t)
    const cs = Array.from(close)
    it('WMA(20), WMA(9)', () => {
      for (const p of [20, 9]) {
        expectSeriesClose(wma({ values: close, period: p }), col(t, `wma${p}`))
        expectSeriesClose(stream(cs, createWma({ period: p })), col(t, `wma${p}`))
      }
    })
    it('STDDEV(20,1), STDDEV(10,2)', () => {
      expectSeriesClose(stdDev({ values: close, period: 20 }), col(t, 'stddev20'))
      expectSeriesClose(stream(cs, createStdDev({ period: 20 })), col(t, 'stddev20'))
      expectSeriesClose(stdDev({ values: close, period: 10, deviations: 2 }), col(t, 'stddev10_2'))
      expectSeriesClose(stream(cs, createStdDev({ period: 10, deviations: 2 })), col(t, 'stddev10_2'))
    })
    it('STOCH(5,3,SMA,3,SMA) and STOCH(14,1,SMA,3,SMA)', () => {
      for (const [fk, sk, sd] of [
        [5, 3, 3],
        [14, 1, 3],
      ] as const) {
        const r = stoch({ high, low, close, fastKPeriod: fk, slowKPeriod: sk, slowDPeriod: sd })
        expectSeriesClose(r.k, col(t, `stoch_slowk_${fk}_${sk}_${sd}`))
        expectSeriesClose(r.d, col(t, `stoch_slowd_${fk}_${sk}_${sd}`))
        const s = createStoch({ fastKPeriod: fk, slowKPeriod: sk, slowDPeriod: sd })
        expectSeriesClose(stream(list, s), col(t, `stoch_slowk_${fk}_${sk}_${sd}`))
        s.reset()
        expectSeriesClose(stream(list, s, () => s.d, true), col(t, `stoch_slowd_${fk}_${sk}_${sd}`))
      }
    })
    it('WILLR(14)', () => {
      expectSeriesClose(williamsR({ high, low, close, period: 14 }), col(t, 'willr14'))
      expectSeriesClose(stream(list, createWilliamsR({ period: 14 })), col(t, 'willr14'))
    })
    it('ADX(14), PLUS_DI(14), MINUS_DI(14), ADX(5)', () => {
      const r = adx({ high, low, close, period: 14 })
      expectSeriesClose(r.adx, col(t, 'adx14'))
      expectSeriesClose(r.plusDi, col(t, 'plus_di14'))
      expectSeriesClose(r.minusDi, col(t, 'minus_di14'))
      expectSeriesClose(adx({ high, low, close, period: 5 }).adx, col(t, 'adx5'))
      const s = createAdx({ period: 14 })
      expectSeriesClose(stream(list, s), col(t, 'adx14'))
      s.reset()
      expectSeriesClose(stream(list, s, () => s.plusDi, true), col(t, 'plus_di14'))
      s.reset()
      expectSeriesClose(stream(list, s, () => s.minusDi, true), col(t, 'minus_di14'))
    })
    it('CCI(20), CCI(14)', () => {
      for (const p of [20, 14]) {
        expectSeriesClose(cci({ high, low, close, period: p }), col(t, `cci${p}`))
        expectSeriesClose(stream(list, createCci({ period: p })), col(t, `cci${p}`))
      }
    })
    it('OBV', () => {
      const volume = col(t, 'volume')
      expectSeriesClose(obv({ close, volume }), col(t, 'obv'))
      expectSeriesClose(stream(list, createObv()), col(t, 'obv'))
    })
    it('NATR(14), ATR(14), ATR(1)', () => {
      expectSeriesClose(natr({ high, low, close, period: 14 }), col(t, 'natr14'))
      expectSeriesClose(stream(list, createNatr({ period: 14 })), col(t, 'natr14'))
      expectSeriesClose(atr({ high, low, close, period: 14 }), col(t, 'atr14'))
      expectSeriesClose(atr({ high, low, close, period: 1 }), col(t, 'atr1'))
      expectSeriesClose(stream(list, createAtr({ period: 1 })), col(t, 'atr1'))
    })
    it('Donchian(20) upper/lower = MAX(high,20) / MIN(low,20)', () => {
      const d = donchian({ high, low, period: 20 })
      expectSeriesClose(d.upper, col(t, 'max20_high'))
      expectSeriesClose(d.lower, col(t, 'min20_low'))
      const s = createDonchian({ period: 20 })
      expectSeriesClose(stream(list, s, () => s.upper, true), col(t, 'max20_high'))
      s.reset()
      expectSeriesClose(stream(list, s, () => s.lower, true), col(t, 'min20_low'))
    })
    it('SMA(50), EMA(9), RSI(2), RSI(14)', () => {
      expectSeriesClose(sma({ values: close, period: 50 }), col(t, 'sma50'))
      expectSeriesClose(ema({ values: close, period: 9 }), col(t, 'ema9'))
      expectSeriesClose(rsi({ values: close, period: 2 }), col(t, 'rsi2'))
      expectSeriesClose(stream(cs, createRsi({ period: 2 })), col(t, 'rsi2'))
      expectSeriesClose(rsi({ values: close, period: 14 }), col(t, 'rsi14'))
    })
    it('MACD(5,35,5)', () => {
      const m = macd({ values: close, fastPeriod: 5, slowPeriod: 35, signalPeriod: 5 })
      expectSeriesClose(m.macd, col(t, 'macd_5_35_5'))
      expectSeriesClose(m.signal, col(t, 'macd_5_35_5_signal'))
      expectSeriesClose(m.histogram, col(t, 'macd_5_35_5_hist'))
      // TA-Lib swaps fast/slow when given in the wrong order
      expectSeriesClose(macd({ values: close, fastPeriod: 35, slowPeriod: 5, signalPeriod: 5 }).macd, col(t, 'macd_5_35_5'))
    })
    it('BBANDS(10, up 1.5, down 2.5, SMA)', () => {
      const b = bollinger({ values: close, period: 10, stdDevUp: 1.5, stdDevDown: 2.5 })
      expectSeriesClose(b.upper, col(t, 'bb_upper_10_1.5_2.5'))
      expectSeriesClose(b.middle, col(t, 'bb_middle_10_1.5_2.5'))
      expectSeriesClose(b.lower, col(t, 'bb_lower_10_1.5_2.5'))
    })
  })
}
