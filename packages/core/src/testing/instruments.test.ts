import { describe, expect, it } from 'vitest'
import { instrumentSchema } from '../schemas/instrument.js'
import * as fixtures from './index.js'

describe('instrument fixtures', () => {
  it.each([fixtures.BINANCE_BTCUSDT, fixtures.BINANCE_ETHUSDT, fixtures.BYBIT_BTCUSD, fixtures.BYBIT_BTCUSDT])('$venue $venueSymbol passes the instrument schema', (ins) => {
    expect(instrumentSchema.parse(ins)).toEqual(ins)
  })

  it('fees are the venues\' published base tier: Binance USDⓈ-M 0.02 % / 0.05 %, Bybit 0.02 % / 0.055 %', () => {
    expect(fixtures.BINANCE_USDM_VIP0_FEES).toEqual({ makerFeeRate: 0.0002, takerFeeRate: 0.0005 })
    expect(fixtures.BYBIT_DERIVATIVES_VIP0_FEES).toEqual({ makerFeeRate: 0.0002, takerFeeRate: 0.00055 })
  })
})
