/**
 * The Bybit adapter's parsers on the Bybit v5 docs' own example payloads (test/fixtures/bybit, provenance in
 * PROVENANCE.md): instruments-info, tickers, an open order, and the private stream's execution, position and
 * wallet messages. Expected values are read off the docs' examples.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Instrument } from '@perpkit/core'
import { BYBIT_DERIVATIVES_VIP0_FEES } from '@perpkit/core/testing'
import { describe, expect, it } from 'vitest'
import { fundingRateOf, markPriceOf } from '../src/bybit/account.js'
import { translateBybitMessage } from '../src/bybit/events.js'
import { bybitInstruments } from '../src/bybit/instruments.js'
import { orderOf } from '../src/bybit/orders.js'

const fixture = <T>(name: string): T => JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/bybit/${name}.json`, import.meta.url)), 'utf8')) as T
type Raw = Record<string, unknown>
const fees = BYBIT_DERIVATIVES_VIP0_FEES
const [btcusdt] = bybitInstruments({ list: fixture<{ result: { list: Raw[] } }>('rest_instruments_info_linear').result.list, category: 'linear', fees })

describe('instruments-info (linear example: BTCUSDT)', () => {
  it('reads tick, step, min / max / max-market qty, minimum order value, leverage, settle coin', () => {
    expect(btcusdt).toMatchObject({
      symbol: 'BTC/USDT:USDT', venue: 'bybit-linear', venueSymbol: 'BTCUSDT', kind: 'linear', settle: 'USDT', contractSize: 1,
      tickSize: 0.1, lotStep: 0.001, minQty: 0.001, maxQty: 1190, maxMarketQty: 500, minNotional: 5, maxLeverage: 100, status: 'trading',
    })
  })
  it('keeps only the category asked for (a linear entry is not an inverse instrument)', () => {
    expect(bybitInstruments({ list: fixture<{ result: { list: Raw[] } }>('rest_instruments_info_linear').result.list, category: 'inverse', fees })).toEqual([])
  })
})

describe('tickers (inverse example: BTCUSD)', () => {
  const inverse: Instrument = { ...(btcusdt as Instrument), symbol: 'BTC/USD:BTC', venue: 'bybit-inverse', venueSymbol: 'BTCUSD', kind: 'inverse', quote: 'USD', settle: 'BTC', minNotional: 0 }
  const entry = fixture<{ result: { list: Raw[] } }[]>('rest_tickers')[0]?.result.list[0] as Raw
  it('mark and index price, next funding rate and time', () => {
    expect(markPriceOf(entry, inverse, 1)).toEqual({ symbol: 'BTC/USD:BTC', timestampMs: 1, markPrice: 114898.43, indexPrice: 114890.92 })
    expect(fundingRateOf(entry, inverse)).toEqual({ symbol: 'BTC/USD:BTC', fundingTimeMs: 1760371200000, rate: 0.0001, markPrice: 114898.43 })
  })
})

describe('order objects', () => {
  it('an open limit order (open-order example, ETHUSDT)', () => {
    const eth: Instrument = { ...(btcusdt as Instrument), symbol: 'ETH/USDT:USDT', venueSymbol: 'ETHUSDT', base: 'ETH' }
    const raw = fixture<{ result: { list: Raw[] } }>('rest_open_order').result.list[0] as Raw
    expect(orderOf(raw, eth)).toMatchObject({
      clientOrderId: 'test-000005', venueOrderId: 'fd4300ae-7847-404e-b947-b46980a4d140', side: 'buy', type: 'limit', status: 'open',
      qty: 0.1, filledQty: 0, price: 1600, timeInForce: 'GTC', book: 'regular', reduceOnly: false,
    })
  })
})

describe('private stream messages', () => {
  const instrumentOf = (v: string): Instrument | undefined => (v === 'BTCUSDT' ? btcusdt : undefined)
  it('execution (Trade) → a user fill with execId, fee in feeCurrency, taker, realised PnL', () => {
    const events = translateBybitMessage(fixture<Raw>('ws_private_execution'), instrumentOf)
    expect(events).toEqual([
      {
        type: 'fill',
        timestampMs: 1746270400355,
        fill: {
          symbol: 'BTC/USDT:USDT', tradeId: '0ab1bdf7-4219-438b-b30a-32ec863018f7', venueOrderId: '9aac161b-8ed6-450d-9cab-c5cc67c21784',
          clientOrderId: '9aac161b-8ed6-450d-9cab-c5cc67c21784', side: 'sell', price: 95900.1, qty: 0.5, feeAmount: 26.3725275, feeAsset: 'USDT',
          liquidity: 'taker', timestampMs: 1746270400353, realizedPnl: 0.05,
        },
      },
    ])
  })
  it.each([
    ['BustTrade', 'liquidation'],
    ['AdlTrade', 'adl'],
  ])('execution with execType %s → fill origin %s', (execType, origin) => {
    const m = fixture<{ data: Raw[] } & Raw>('ws_private_execution')
    const events = translateBybitMessage({ ...m, data: m.data.map((d) => ({ ...d, execType })) }, instrumentOf)
    expect(events.map((e) => (e.type === 'fill' ? e.fill.origin : e.type))).toEqual([origin])
  })
  it('execution with execType Funding → a funding event (a positive fee is paid: amount < 0)', () => {
    const m = fixture<{ data: Raw[] } & Raw>('ws_private_execution')
    const events = translateBybitMessage({ ...m, data: m.data.map((d) => ({ ...d, execType: 'Funding', execFee: '0.5', feeRate: '0.0001' })) }, instrumentOf)
    expect(events).toEqual([{ type: 'funding', timestampMs: 1746270400355, symbol: 'BTC/USDT:USDT', rate: 0.0001, amount: -0.5, asset: 'USDT' }])
  })
  it('position (flat entry) → position null', () => {
    expect(translateBybitMessage(fixture<Raw>('ws_private_position'), instrumentOf)).toEqual([{ type: 'position', timestampMs: 1697682317044, symbol: 'BTC/USDT:USDT', position: null }])
  })
  it('wallet → a balance per coin with a non-zero balance', () => {
    const balances = translateBybitMessage(fixture<Raw>('ws_private_wallet'), instrumentOf).flatMap((e) => (e.type === 'balance' ? [e.balance] : []))
    expect(balances.find((b) => b.asset === 'BTC')).toEqual({ asset: 'BTC', total: 0.00102964, available: 0.00102964, unrealizedPnl: 0, updatedAtMs: 1700034722104 })
  })
})
