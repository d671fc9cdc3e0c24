/**
 * Canonical flows for crash testing: each drives a world through a realistic sequence. OMS calls go through
 * `attempt()` because the process may die (crash plan) at any journal step.
 */
import { roundToStep } from '@perpkit/core'
import type { OmsConfig, OrderManagerOptions } from '../src/index.js'
import { advance, attempt, type Profile, type World } from './harness.js'

export interface Flow {
  readonly name: string
  readonly profile: Profile
  readonly config?: Partial<OmsConfig>
  readonly options?: Partial<OrderManagerOptions>
  run(w: World): Promise<void>
}

const px = (w: World, bps: number): number => roundToStep({ value: w.price * (1 + bps / 10_000), step: w.instrument.tickSize })
const q = (w: World, lots: number): number => roundToStep({ value: lots * (w.profile === 'binance-usdm' ? 0.001 : 25), step: w.instrument.lotStep })

const entry = (w: World, over: { id?: string; dir?: 'long' | 'short'; lots?: number; limit?: boolean; tp?: boolean; stopBps?: number } = {}) => {
  const dir = over.dir ?? 'long'
  const sign = dir === 'long' ? 1 : -1
  return attempt(() =>
    w.oms.submitEntry({
      signalId: over.id ?? 'flow-1',
      signalTimeMs: w.clock.now(),
      symbol: w.instrument.symbol,
      direction: dir,
      qty: q(w, over.lots ?? 10),
      type: over.limit === true ? 'limit' : 'market',
      ...(over.limit === true ? { price: px(w, -sign * 5) } : {}),
      stopPrice: px(w, -sign * (over.stopBps ?? 100)),
      ...(over.tp === true ? { takeProfitPrice: px(w, sign * 120) } : {}),
    }),
  )
}

export const FLOWS: readonly Flow[] = [
  { name: 'market entry + SL', profile: 'binance-usdm', run: async (w) => { await entry(w); await advance(w.clock, 1000) } },
  {
    name: 'entry + SL + TP, TP fills',
    profile: 'binance-usdm',
    run: async (w) => {
      await entry(w, { tp: true })
      await advance(w.clock, 500)
      w.setPrice(px(w, 130))
      await advance(w.clock, 1000)
    },
  },
  {
    name: 'partial limit entry then cancel (exit)',
    profile: 'binance-usdm',
    run: async (w) => {
      await entry(w, { limit: true })
      await advance(w.clock, 200)
      w.setPrice(px(w, -8), q(w, 4))
      await advance(w.clock, 500)
      await attempt(() => w.oms.exit({ symbol: w.instrument.symbol }))
      await advance(w.clock, 1000)
    },
  },
  {
    name: 'stop move (Binance replace)',
    profile: 'binance-usdm',
    run: async (w) => {
      await entry(w)
      await advance(w.clock, 2500)
      await attempt(() => w.oms.moveStop({ symbol: w.instrument.symbol, stopPrice: px(w, -40) }))
      await advance(w.clock, 3000)
    },
  },
  {
    name: 'stop move (Bybit amend)',
    profile: 'bybit-inverse',
    run: async (w) => {
      await entry(w)
      await advance(w.clock, 2500)
      await attempt(() => w.oms.moveStop({ symbol: w.instrument.symbol, stopPrice: px(w, -40) }))
      await advance(w.clock, 3000)
    },
  },
  {
    name: 'close racing a TP fill',
    profile: 'binance-usdm',
    run: async (w) => {
      await entry(w, { tp: true })
      await advance(w.clock, 500)
      const exiting = attempt(() => w.oms.exit({ symbol: w.instrument.symbol }))
      w.setPrice(px(w, 130))
      await exiting
      await advance(w.clock, 1500)
    },
  },
  {
    name: 'restart during a stream gap',
    profile: 'binance-usdm',
    run: async (w) => {
      await entry(w, { tp: true })
      await advance(w.clock, 500)
      w.venue.faults.disconnect({ fromMs: w.clock.now() + 1, toMs: w.clock.now() + 4000 })
      await advance(w.clock, 100)
      w.setPrice(px(w, -120))
      await advance(w.clock, 5000)
    },
  },
  {
    name: 'entry create times out before the venue',
    profile: 'binance-usdm',
    run: async (w) => {
      w.venue.faults.fail('createOrder', { kind: 'timeout-before' })
      await entry(w)
      await advance(w.clock, 3000)
    },
  },
  {
    name: 'entry create times out after acceptance',
    profile: 'bybit-inverse',
    run: async (w) => {
      w.venue.faults.fail('createOrder', { kind: 'timeout-after-accept' })
      w.venue.faults.dropNext(3)
      await entry(w)
      await advance(w.clock, 3000)
    },
  },
  {
    name: 'stop create 5xx after acceptance',
    profile: 'binance-usdm',
    run: async (w) => {
      w.venue.faults.fail('createOrder', { kind: 'http-5xx-after-accept', skip: 1 })
      await entry(w)
      await advance(w.clock, 3000)
    },
  },
  {
    name: 'stop rejected three times → flatten',
    profile: 'binance-usdm',
    run: async (w) => {
      w.venue.faults.fail('createOrder', { kind: 'reject', skip: 1, times: 3 })
      await entry(w)
      await advance(w.clock, 5000)
    },
  },
  {
    name: 'stop would trigger immediately → flatten',
    profile: 'bybit-inverse',
    run: async (w) => {
      w.venue.faults.fail('createOrder', { kind: 'reject', code: 'would-immediately-trigger', venueCode: 110092, skip: 1 })
      await entry(w)
      await advance(w.clock, 2000)
    },
  },
  {
    name: 'maker timeout → taker',
    profile: 'binance-usdm',
    config: { makerOnly: true, makerTimeoutMs: 3000 },
    options: { onMakerTimeout: () => ({ action: 'taker' }) },
    run: async (w) => {
      await entry(w, { limit: true })
      await advance(w.clock, 4500)
    },
  },
  {
    name: 'maker timeout → abandon',
    profile: 'bybit-inverse',
    config: { makerOnly: true, makerTimeoutMs: 3000 },
    options: { onMakerTimeout: () => ({ action: 'abandon' }) },
    run: async (w) => {
      await entry(w, { limit: true })
      await advance(w.clock, 4500)
    },
  },
  {
    name: 'short, stop hit',
    profile: 'binance-usdm',
    run: async (w) => {
      await entry(w, { dir: 'short' })
      await advance(w.clock, 500)
      w.setPrice(px(w, 110))
      await advance(w.clock, 1000)
    },
  },
  {
    name: 'three partial fills then complete',
    profile: 'bybit-inverse',
    run: async (w) => {
      await entry(w, { limit: true, tp: true })
      for (let i = 0; i < 3; i++) {
        await advance(w.clock, 300)
        w.setPrice(px(w, i === 0 ? -8 : 0), q(w, 3))
      }
      await advance(w.clock, 300)
      w.setPrice(px(w, -2), q(w, 5))
      await advance(w.clock, 1500)
    },
  },
  {
    name: 'exit while the entry is still working',
    profile: 'binance-usdm',
    run: async (w) => {
      await entry(w, { limit: true, tp: true })
      await advance(w.clock, 200)
      w.setPrice(px(w, -8), q(w, 3))
      await advance(w.clock, 200)
      await attempt(() => w.oms.exit({ symbol: w.instrument.symbol }))
      w.setPrice(px(w, -1), q(w, 3))
      await advance(w.clock, 1500)
    },
  },
  {
    name: 'Bybit TP limit fills',
    profile: 'bybit-inverse',
    config: { takeProfitStyle: 'limit' },
    run: async (w) => {
      await entry(w, { tp: true })
      await advance(w.clock, 500)
      w.setPrice(px(w, 125))
      await advance(w.clock, 200)
      w.setPrice(px(w, 10))
      await advance(w.clock, 1000)
    },
  },
  {
    name: 'HALT mid-position, stop moved (protective only)',
    profile: 'binance-usdm',
    run: async (w) => {
      await entry(w)
      await advance(w.clock, 2500)
      w.oms.halt({ symbol: w.instrument.symbol, reason: 'flow' })
      await attempt(() => w.oms.moveStop({ symbol: w.instrument.symbol, stopPrice: px(w, -50) }))
      await advance(w.clock, 3000)
    },
  },
  {
    name: 'duplicated stream events',
    profile: 'bybit-inverse',
    run: async (w) => {
      w.venue.faults.duplicateNext(10)
      await entry(w, { tp: true })
      await advance(w.clock, 1500)
    },
  },
  {
    name: 'dropped stream events',
    profile: 'binance-usdm',
    run: async (w) => {
      w.venue.faults.dropNext(6)
      await entry(w)
      await advance(w.clock, 1500)
    },
  },
  {
    name: 'two trades in a row',
    profile: 'binance-usdm',
    run: async (w) => {
      await entry(w)
      await advance(w.clock, 500)
      w.setPrice(px(w, -110))
      await advance(w.clock, 1000)
      await entry(w, { id: 'flow-2', dir: 'short', tp: true })
      await advance(w.clock, 1500)
    },
  },
]
