import { createTestClock } from '@perpkit/core'
import { createSimVenue } from '@perpkit/sim'
import { describe, expect, it } from 'vitest'
import { BYBIT_BTCUSD } from '../test/harness.js'
import { budgetConfigOf, createRequestBudget } from './budget.js'
import { DEFAULT_RETRY_POLICY } from './retry.js'
import { createVenueGateway } from './venue-gateway.js'

describe('venue gateway: protective queries cannot take the room kept for protective orders', () => {
  it('a burst of protective queries fills at most part of the reserve: a protective create is still sent at once', async () => {
    const clock = createTestClock(1_758_240_000_000)
    const venue = createSimVenue({ profile: 'bybit-inverse', instruments: [BYBIT_BTCUSD], balances: { BTC: 100 }, clock, markPrice: 'explicit', record: { calls: true } })
    // Bybit: the port's 120 requests per minute used up to 80 % (96), 20 % of that reserved for protective requests
    const budget = createRequestBudget({ clock, config: budgetConfigOf(venue.requestLimits), protectiveReserve: 0.2 })
    const gw = createVenueGateway({ venue, clock, budget, retry: DEFAULT_RETRY_POLICY })
    // stop verifications / resolutions by client id, all protective, more than the window holds
    const queries = Array.from({ length: 95 }, (_, i) => gw.fetchOrder({ symbol: BYBIT_BTCUSD.symbol, clientOrderId: `q${i}` }, 'protective'))
    await new Promise((r) => setImmediate(r))
    const answeredQueries = venue.callLog().filter((c) => c.method === 'fetchOrder').length
    expect(answeredQueries).toBeLessThan(budget.cap)
    // the position must be closed now: the reduce-only close may not wait a minute behind the queries
    let sent = false
    const close = gw.create({ symbol: BYBIT_BTCUSD.symbol, clientOrderId: 'close-1', side: 'sell', type: 'limit', qty: 10, price: 70_000, timeInForce: 'GTC' }, 'protective').then(() => (sent = true))
    await new Promise((r) => setImmediate(r))
    await new Promise((r) => setImmediate(r))
    expect(sent).toBe(true)
    expect(venue.callLog().filter((c) => c.method === 'createOrder').length).toBe(1)
    await clock.advanceAsync(60_001)
    await Promise.all([close, ...queries])
    expect(venue.callLog().filter((c) => c.method === 'fetchOrder').length).toBe(95)
  })
})
