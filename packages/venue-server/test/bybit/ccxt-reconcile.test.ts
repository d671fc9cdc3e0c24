import ccxt from 'ccxt'
import { afterEach, describe, expect, it } from 'vitest'
import type { VenueServer } from '../../src/index.js'
import { ccxtBybit } from '../ccxt-bybit.js'
import { startBybit } from './scenario.js'

let server: VenueServer | undefined
let closeExchange: (() => Promise<unknown>) | undefined
afterEach(async () => {
  await closeExchange?.()
  await server?.close()
  server = undefined
  closeExchange = undefined
})

const LIN = 'BTC/USDT:USDT'

async function subscribed(s: VenueServer, times: number): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    const n = s.handle.requestLog().filter((e) => e.transport === 'ws' && String(e.params.frame).includes('"subscribe"') && String(e.params.frame).includes('"order"')).length
    if (n >= times) return
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error('no subscription')
}

describe('ccxt bybit: reconnect and reconcile, partial fills', () => {
  it('a stop that triggers while the private stream is down is found on reconciliation; the stream resumes', async () => {
    ;({ server } = await startBybit())
    const s = server
    s.handle.step(2)
    const exchange = ccxtBybit(s)
    closeExchange = () => exchange.close()
    await exchange.loadHttpProxyAgent()
    await exchange.createOrder(LIN, 'market', 'buy', 0.01)
    const watching = exchange.watchOrders(LIN)
    await subscribed(s, 1)
    const stop = await exchange.createOrder(LIN, 'market', 'sell', 0.01, undefined, { triggerPrice: 17180, triggerDirection: 'descending', reduceOnly: true, clientOrderId: 'sl-dc' })
    expect((await watching).at(-1)).toMatchObject({ id: stop.id, status: 'open' })
    const broken = exchange.watchOrders(LIN)
    s.handle.faults.ws({ kind: 'drop', channel: 'user' })
    await expect(broken).rejects.toThrow(ccxt.NetworkError)
    s.handle.step(8) // the stop fires while nobody listens
    const closed = await exchange.fetchClosedOrders(LIN)
    expect(closed.find((o) => o.clientOrderId === 'sl-dc')).toMatchObject({ status: 'closed', filled: 0.01, triggerPrice: 17180 })
    const resumed = exchange.watchOrders(LIN)
    await subscribed(s, 2)
    const next = await exchange.createOrder(LIN, 'limit', 'buy', 0.01, 17000, { clientOrderId: 'after' })
    expect((await resumed).at(-1)).toMatchObject({ id: next.id, clientOrderId: 'after', status: 'open' })
  })

  it('take-profit sell (ascending) and a buy stop (ascending) map to the right trigger sides', async () => {
    ;({ server } = await startBybit())
    const s = server
    s.handle.step(1) // last 17199
    const exchange = ccxtBybit(s)
    closeExchange = () => exchange.close()
    await exchange.createOrder(LIN, 'market', 'buy', 0.02)
    await exchange.createOrder(LIN, 'market', 'sell', 0.01, undefined, { triggerPrice: 17220, triggerDirection: 'ascending', reduceOnly: true, clientOrderId: 'tp' })
    await exchange.createOrder(LIN, 'market', 'buy', 0.01, undefined, { triggerPrice: 17224, triggerDirection: 'ascending', clientOrderId: 'buy-stop' })
    // a rising trigger below the price would fire at once: refused with 110092
    await expect(exchange.createOrder(LIN, 'market', 'buy', 0.01, undefined, { triggerPrice: 17100, triggerDirection: 'ascending' })).rejects.toThrow(ccxt.InvalidOrder)
    s.handle.step(2) // rises to 17225
    const closed = await exchange.fetchClosedOrders(LIN)
    expect(closed.filter((o) => o.clientOrderId === 'tp' || o.clientOrderId === 'buy-stop').map((o) => [o.clientOrderId, o.status, o.average])).toEqual(
      expect.arrayContaining([
        ['tp', 'closed', 17220],
        ['buy-stop', 'closed', 17224],
      ]),
    )
  })

  it('triggerBy MarkPrice fires on the mark, triggerBy LastPrice waits for a trade', async () => {
    ;({ server } = await startBybit({ sim: { markPrice: 'explicit' } }))
    const s = server
    s.handle.step(2)
    s.handle.venue.setMarkPrice({ symbol: LIN, markPrice: 17212.5 })
    const exchange = ccxtBybit(s)
    closeExchange = () => exchange.close()
    await exchange.createOrder(LIN, 'market', 'buy', 0.02)
    await exchange.createOrder(LIN, 'market', 'sell', 0.01, undefined, { triggerPrice: 17150, triggerDirection: 'descending', triggerBy: 'MarkPrice', reduceOnly: true, clientOrderId: 'by-mark' })
    await exchange.createOrder(LIN, 'market', 'sell', 0.01, undefined, { triggerPrice: 17150, triggerDirection: 'descending', triggerBy: 'LastPrice', reduceOnly: true, clientOrderId: 'by-last' })
    s.handle.venue.setMarkPrice({ symbol: LIN, markPrice: 17140 })
    const open = await exchange.fetchOpenOrders(LIN)
    expect(open.map((o) => o.clientOrderId)).toEqual(['by-last'])
    const closed = await exchange.fetchClosedOrders(LIN)
    expect(closed.find((o) => o.clientOrderId === 'by-mark')).toMatchObject({ status: 'closed', filled: 0.01 })
  })

  it('partial fills (the venue caps fills at a share of each bar volume) show as PartiallyFilled / open with filled < amount', async () => {
    ;({ server } = await startBybit({ sim: { fillModel: { participation: 0.001 } } }))
    const s = server
    s.handle.step(2)
    const exchange = ccxtBybit(s)
    closeExchange = () => exchange.close()
    const placed = await exchange.createOrder(LIN, 'limit', 'buy', 0.3, 17200, { clientOrderId: 'part' })
    s.handle.step(4) // two bars trade through 17,200 (106.232 and 61.915 BTC): at most 0.1 % of each fills
    const o = await exchange.fetchOrder(String(placed.id), LIN, { acknowledged: true })
    expect(o.status).toBe('open')
    expect((o.info as { orderStatus: string }).orderStatus).toBe('PartiallyFilled')
    expect(o.filled).toBeGreaterThan(0)
    expect(o.filled).toBeLessThanOrEqual(0.169)
    expect(o.remaining).toBeCloseTo(0.3 - (o.filled ?? 0), 9)
    const trades = await exchange.fetchMyTrades(LIN)
    expect(trades.length).toBeGreaterThan(1)
    expect(trades.reduce((a, t) => a + (t.amount ?? 0), 0)).toBeCloseTo(o.filled ?? 0, 9)
  })
})
