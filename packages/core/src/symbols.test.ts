import { describe, expect, it } from 'vitest'
import { DEFAULT_BASES, defaultPerpSymbols, filterPerpMarkets, parsePerpSymbol, perpSymbol, settleCoinFor } from './symbols.js'

describe('perp symbols', () => {
  it('builds linear and inverse unified symbols', () => {
    expect(perpSymbol('BTC', 'USDT')).toBe('BTC/USDT:USDT')
    expect(perpSymbol(' eth ', 'usdc')).toBe('ETH/USDC:USDC')
    expect(perpSymbol('BTC', 'BTC', 'USD')).toBe('BTC/USD:BTC')
  })
  it('parses and round-trips', () => {
    expect(parsePerpSymbol('SOL/USDC:USDC')).toEqual({ base: 'SOL', quote: 'USDC', settle: 'USDC' })
    expect(parsePerpSymbol('BTC/USD:BTC')).toEqual({ base: 'BTC', quote: 'USD', settle: 'BTC' })
    for (const b of DEFAULT_BASES) {
      const s = perpSymbol(b, 'USDT')
      const p = parsePerpSymbol(s)
      expect(perpSymbol(p.base, p.settle, p.quote)).toBe(s)
    }
  })
  it('rejects malformed symbols and asset codes', () => {
    for (const bad of ['BTCUSDT', 'BTC/USDT', 'btc/usdt:usdt', 'BTC/USDT:USDT ', '']) {
      expect(() => parsePerpSymbol(bad)).toThrowError(/symbol/)
    }
    expect(() => perpSymbol('', 'USDT')).toThrowError(/base/)
    expect(() => perpSymbol('BTC', 'US-DT')).toThrowError(/settle/)
  })
})

describe('testnet/production settle switch (USDT on testnet, USDC in production)', () => {
  it('uses USDT on testnet and USDC in production unless overridden', () => {
    expect(settleCoinFor({ testnet: true })).toBe('USDT')
    expect(settleCoinFor({ testnet: false })).toBe('USDC')
    expect(settleCoinFor({ testnet: false, override: 'USDT' })).toBe('USDT')
    expect(settleCoinFor({ testnet: true, override: 'USDC' })).toBe('USDC')
  })
  it('default symbol list has BTC, ETH, BNB, SOL, ADA in the settle coin', () => {
    expect(defaultPerpSymbols('USDC')).toEqual(['BTC/USDC:USDC', 'ETH/USDC:USDC', 'BNB/USDC:USDC', 'SOL/USDC:USDC', 'ADA/USDC:USDC'])
    expect(defaultPerpSymbols('USDT')[0]).toBe('BTC/USDT:USDT')
  })
})

describe('filterPerpMarkets', () => {
  const markets = [
    { symbol: 'BTC/USDT:USDT', settle: 'USDT', contract: true, swap: true, active: true },
    { symbol: 'BTC/USDC:USDC', settle: 'USDC', contract: true, swap: true, active: true },
    { symbol: 'ETH/USDC:USDC', settle: 'USDC', contract: true, swap: true, active: false },
    { symbol: 'BTC/USDC:USDC-251226', settle: 'USDC', contract: true, swap: false, active: true },
    { symbol: 'BTC/USDC', settle: null, contract: false, swap: false, active: true },
    { symbol: 'SOL/USDC:USDC', settle: 'USDC', contract: true },
  ]
  it('keeps active perpetual swaps settled in the requested coin', () => {
    expect(filterPerpMarkets(markets, 'USDC').map((m) => m.symbol)).toEqual(['BTC/USDC:USDC', 'SOL/USDC:USDC'])
    expect(filterPerpMarkets(markets, 'usdt').map((m) => m.symbol)).toEqual(['BTC/USDT:USDT'])
    expect(filterPerpMarkets(markets, 'BUSD')).toEqual([])
  })
})
