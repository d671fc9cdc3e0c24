import { isDefiniteRejection, orderSchema, fillSchema, positionSchema, balanceSchema } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { rejection, rig } from '../test/helpers.js'

const S = 'BTC/USDT:USDT'

describe('market orders', () => {
  it('fill at the last price as taker with the instrument taker fee, events in venue order', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    r.events.length = 0
    const o = await r.venue.createOrder({ symbol: S, clientOrderId: 'm1', side: 'buy', type: 'market', qty: 0.01 })
    expect(o.status).toBe('filled')
    expect(o.avgFillPrice).toBe(100_000)
    expect(r.events.map((e) => e.type)).toEqual(['order', 'fill', 'order', 'position', 'balance'])
    const fill = r.events[1]
    if (fill?.type !== 'fill') throw new Error('no fill')
    expect(fill.fill.feeAmount).toBeCloseTo(100_000 * 0.01 * 0.0005, 10) // 0.5 USDT
    expect(fill.fill.liquidity).toBe('taker')
    expect(r.venue.state().balances.USDT).toBeCloseTo(10_000 - 0.5, 10)
    // everything the venue says parses with core's schemas
    for (const e of r.events) {
      if (e.type === 'order') orderSchema.parse(e.order)
      if (e.type === 'fill') fillSchema.parse(e.fill)
      if (e.type === 'position' && e.position) positionSchema.parse(e.position)
      if (e.type === 'balance') balanceSchema.parse(e.balance)
    }
  })

  it('fixed bps + market impact slippage worsens large orders, rounded away from the taker', async () => {
    const r = rig('binance-usdm', { slippage: { fixedBps: 1, impactCoefficient: 0.05, liquidityUsd: 1_000_000 }, balances: { USDT: 1_000_000 } })
    r.candle(100_000, 100_000, 100_000, 100_000)
    const small = await r.venue.createOrder({ symbol: S, clientOrderId: 's', side: 'buy', type: 'market', qty: 0.001 })
    const big = await r.venue.createOrder({ symbol: S, clientOrderId: 'b', side: 'buy', type: 'market', qty: 1 })
    // small: 1 bps + 100/1e6*0.05 = 0.000105 → 100010.5; big: 1 bps + 1e5/1e6*0.05 = 0.0051 → 100510
    expect(small.avgFillPrice).toBeCloseTo(100_010.5, 6)
    expect(big.avgFillPrice).toBeCloseTo(100_510, 6)
    const sell = await r.venue.createOrder({ symbol: S, clientOrderId: 'x', side: 'sell', type: 'market', qty: 1.001 })
    expect(sell.avgFillPrice).toBeLessThan(100_000)
  })
})

describe('limit orders', () => {
  it('GTC rests and fills as maker only when price trades through (default queue)', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    const o = await r.venue.createOrder({ symbol: S, clientOrderId: 'l1', side: 'buy', type: 'limit', qty: 0.01, price: 99_500 })
    expect(o.status).toBe('open')
    r.candle(100_000, 100_050, 99_500, 99_800) // touches 99,500 only
    expect(r.venue.state().openOrders).toHaveLength(1)
    r.candle(99_800, 99_900, 99_499.9, 99_700) // trades through
    const f = await r.venue.fetchFills({ symbol: S })
    expect(f).toHaveLength(1)
    expect(f[0]?.price).toBe(99_500)
    expect(f[0]?.liquidity).toBe('maker')
    expect(f[0]?.feeAmount).toBeCloseTo(99_500 * 0.01 * 0.0002, 10)
  })

  it("queue 'touch' fills when price reaches the limit", async () => {
    const r = rig('binance-usdm', { fillModel: { queue: 'touch' } })
    r.candle(100_000, 100_100, 99_900, 100_000)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'l1', side: 'sell', type: 'limit', qty: 0.01, price: 100_200 })
    r.candle(100_000, 100_200, 99_950, 100_100)
    expect(r.venue.state().openOrders).toHaveLength(0)
    expect(r.venue.state().positions[0]?.side).toBe('short')
  })

  it('a marketable limit takes liquidity at the current price, capped by its limit', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    const o = await r.venue.createOrder({ symbol: S, clientOrderId: 'l1', side: 'buy', type: 'limit', qty: 0.01, price: 100_500 })
    expect(o.status).toBe('filled')
    expect(o.avgFillPrice).toBe(100_000)
  })

  it('IOC/FOK that cannot fill now expire; marketable ones fill', async () => {
    const r = rig('bybit-linear')
    r.candle(100_000, 100_100, 99_900, 100_000)
    const ioc = await r.venue.createOrder({ symbol: S, clientOrderId: 'i1', side: 'buy', type: 'limit', qty: 0.01, price: 99_000, timeInForce: 'IOC' })
    expect(ioc.status).toBe('expired')
    const fok = await r.venue.createOrder({ symbol: S, clientOrderId: 'f1', side: 'buy', type: 'limit', qty: 0.01, price: 99_000, timeInForce: 'FOK' })
    expect(fok.status).toBe('expired')
    const fok2 = await r.venue.createOrder({ symbol: S, clientOrderId: 'f2', side: 'buy', type: 'limit', qty: 0.01, price: 100_000, timeInForce: 'FOK' })
    expect(fok2.status).toBe('filled')
    expect(r.venue.state().openOrders).toHaveLength(0)
  })

  it('post-only crossing: Binance rejects with -5022, Bybit accepts and cancels (EC_PostOnlyWillTakeLiquidity)', async () => {
    const b = rig('binance-usdm')
    b.candle(100_000, 100_100, 99_900, 100_000)
    const e = await rejection(b.venue.createOrder({ symbol: S, clientOrderId: 'p1', side: 'buy', type: 'limit', qty: 0.01, price: 100_000, timeInForce: 'post-only' }))
    expect(e.code).toBe('post-only-rejected')
    expect(e.venueCode).toBe(-5022)
    expect(isDefiniteRejection(e)).toBe(true)
    const ok = await b.venue.createOrder({ symbol: S, clientOrderId: 'p2', side: 'buy', type: 'limit', qty: 0.01, price: 99_999.9, timeInForce: 'post-only' })
    expect(ok.status).toBe('open')

    const y = rig('bybit-linear')
    y.candle(100_000, 100_100, 99_900, 100_000)
    const c = await y.venue.createOrder({ symbol: S, clientOrderId: 'p1', side: 'sell', type: 'limit', qty: 0.01, price: 99_000, timeInForce: 'post-only' })
    expect(c.status).toBe('canceled')
    expect(c.rejectReason).toBe('EC_PostOnlyWillTakeLiquidity')
    expect(await y.venue.fetchFills({ symbol: S })).toHaveLength(0)
  })

  it('partial fills by volume participation, unique trade ids, cumulative order state', async () => {
    const r = rig('binance-usdm', { fillModel: { participation: 0.1 }, balances: { USDT: 10_000_000 } })
    r.candle(100_000, 100_100, 99_900, 100_000, 100)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'l1', side: 'buy', type: 'limit', qty: 25, price: 99_000 })
    r.candle(100_000, 100_000, 98_000, 99_500, 100) // budget 10
    let o = await r.venue.fetchOrder({ symbol: S, clientOrderId: 'l1' })
    expect(o?.status).toBe('partially-filled')
    expect(o?.filledQty).toBeCloseTo(10, 9)
    r.candle(99_500, 99_600, 98_500, 99_000, 100)
    r.candle(99_000, 99_600, 98_500, 99_000, 300)
    o = await r.venue.fetchOrder({ symbol: S, clientOrderId: 'l1' })
    expect(o?.status).toBe('filled')
    const fills = await r.venue.fetchFills({ symbol: S })
    expect(fills.map((f) => f.qty)).toEqual([10, 10, 5])
    expect(new Set(fills.map((f) => f.tradeId)).size).toBe(3)
  })
})

describe('conditional orders', () => {
  it('stop-market triggers when price reaches the trigger exactly and fills at the trigger on the intrabar path', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'e', side: 'buy', type: 'market', qty: 0.01 })
    const sl = await r.venue.createOrder({ symbol: S, clientOrderId: 'sl', side: 'sell', type: 'stop-market', qty: 0.01, triggerPrice: 99_500, reduceOnly: true })
    expect(sl.status).toBe('untriggered')
    r.candle(100_000, 100_050, 99_500.1, 99_800)
    expect(r.venue.state().positions).toHaveLength(1)
    r.candle(99_800, 99_900, 99_500, 99_700) // low == trigger
    expect(r.venue.state().positions).toHaveLength(0)
    const slNow = await r.venue.fetchOrder({ symbol: S, clientOrderId: 'sl' })
    expect(slNow?.status).toBe('filled')
    expect(slNow?.avgFillPrice).toBe(99_500)
    const statuses = r.events.filter((e) => e.type === 'order' && e.order.clientOrderId === 'sl').map((e) => (e.type === 'order' ? e.order.status : ''))
    expect(statuses).toEqual(['untriggered', 'triggered', 'filled'])
  })

  it('a gap through the trigger fills at the open (gap price), not the trigger', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'e', side: 'buy', type: 'market', qty: 0.01 })
    await r.venue.createOrder({ symbol: S, clientOrderId: 'sl', side: 'sell', type: 'stop-market', qty: 0.01, triggerPrice: 99_500, reduceOnly: true })
    r.candle(99_000, 99_200, 98_900, 99_100)
    expect((await r.venue.fetchOrder({ symbol: S, clientOrderId: 'sl' }))?.avgFillPrice).toBe(99_000)
  })

  it('would-immediately-trigger at exactly the current price: Binance -2021, Bybit 110092/110093 with the message shape', async () => {
    const b = rig('binance-usdm')
    b.candle(100_000, 100_100, 99_900, 100_000)
    const e1 = await rejection(b.venue.createOrder({ symbol: S, clientOrderId: 's1', side: 'sell', type: 'stop-market', qty: 0.01, triggerPrice: 100_000 }))
    expect([e1.code, e1.venueCode, e1.message]).toEqual(['would-immediately-trigger', -2021, 'Order would immediately trigger.'])
    const y = rig('bybit-linear')
    y.candle(100_000, 100_100, 99_900, 100_000)
    const up = await rejection(y.venue.createOrder({ symbol: S, clientOrderId: 's1', side: 'buy', type: 'stop-market', qty: 0.01, triggerPrice: 99_000 }))
    expect(up.venueCode).toBe(110092)
    expect(up.message).toBe('expect Rising, but trigger_price[990000000] <= current[1000000000]??LastPrice')
    const down = await rejection(y.venue.createOrder({ symbol: S, clientOrderId: 's2', side: 'sell', type: 'take-profit-market', qty: 0.01, triggerPrice: 100_000 }))
    expect(down.venueCode).toBe(110092) // TP sell fires on a rise
    const down2 = await rejection(y.venue.createOrder({ symbol: S, clientOrderId: 's3', side: 'sell', type: 'stop-market', qty: 0.01, triggerPrice: 100_500 }))
    expect(down2.venueCode).toBe(110093)
  })

  it('stop-limit: triggers, rests at its limit when not marketable, fills as maker later', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'sl', side: 'buy', type: 'stop-limit', qty: 0.01, triggerPrice: 100_500, price: 100_400 })
    r.candle(100_000, 100_600, 100_000, 100_550) // path: open → low(100000) → high(100600): triggers at 100500, limit 100400 not marketable
    let o = await r.venue.fetchOrder({ symbol: S, clientOrderId: 'sl' })
    expect(o?.status).toBe('triggered')
    r.candle(100_550, 100_560, 100_300, 100_350)
    o = await r.venue.fetchOrder({ symbol: S, clientOrderId: 'sl' })
    expect(o?.status).toBe('filled')
    expect(o?.avgFillPrice).toBe(100_400)
  })

  it('take-profit market and limit fire on the favourable side', async () => {
    const r = rig('bybit-linear')
    r.candle(100_000, 100_100, 99_900, 100_000)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'e', side: 'buy', type: 'market', qty: 0.02 })
    await r.venue.createOrder({ symbol: S, clientOrderId: 'tp1', side: 'sell', type: 'take-profit-market', qty: 0.01, triggerPrice: 101_000, reduceOnly: true })
    await r.venue.createOrder({ symbol: S, clientOrderId: 'tp2', side: 'sell', type: 'take-profit-limit', qty: 0.01, triggerPrice: 101_500, price: 101_400, reduceOnly: true })
    r.candle(100_000, 101_600, 99_950, 101_200)
    const tp1 = await r.venue.fetchOrder({ symbol: S, clientOrderId: 'tp1' })
    const tp2 = await r.venue.fetchOrder({ symbol: S, clientOrderId: 'tp2' })
    expect(tp1?.avgFillPrice).toBe(101_000)
    expect(tp2?.avgFillPrice).toBe(101_500) // triggered at 101,500: the sell limit at 101,400 is marketable and takes 101,500
    expect(r.venue.state().positions).toHaveLength(0)
  })

  it('trailing stop with activation: tracks the peak after activation and fires at peak × (1 − callback)', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'e', side: 'buy', type: 'market', qty: 0.01 })
    await r.venue.createOrder({ symbol: S, clientOrderId: 'tr', side: 'sell', type: 'trailing-stop', qty: 0.01, reduceOnly: true, trailing: { callbackRate: 0.01, activationPrice: 101_000 } })
    r.candle(100_000, 100_900, 99_100, 99_200) // 1 % below 100,900 = 99,891 but not activated
    expect(r.venue.state().positions).toHaveLength(1)
    r.candle(99_200, 102_000, 99_200, 101_500) // path: open 99200 → low 99200 → high 102000 → close 101500; peak 102000 → trigger 100980
    expect(r.venue.state().positions).toHaveLength(1)
    r.candle(101_500, 101_600, 100_900, 101_000) // falls through 100,980
    const o = await r.venue.fetchOrder({ symbol: S, clientOrderId: 'tr' })
    expect(o?.status).toBe('filled')
    expect(o?.avgFillPrice).toBe(100_980)
  })

  it('mark-triggered orders ignore last trades and fire on setMarkPrice, filling at the last price', async () => {
    const r = rig('binance-usdm', { markPrice: 'explicit' })
    r.venue.setMarkPrice({ symbol: S, markPrice: 100_000, timestampMs: r.clock.now() })
    r.candle(100_000, 100_100, 99_900, 100_000)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'e', side: 'buy', type: 'market', qty: 0.01 })
    await r.venue.createOrder({ symbol: S, clientOrderId: 'sl', side: 'sell', type: 'stop-market', qty: 0.01, triggerPrice: 99_000, triggerPriceType: 'mark', reduceOnly: true })
    r.candle(100_000, 100_000, 98_000, 98_500) // last trades below, mark untouched
    expect(r.venue.state().positions).toHaveLength(1)
    r.venue.setMarkPrice({ symbol: S, markPrice: 98_990, timestampMs: r.clock.now() })
    const o = await r.venue.fetchOrder({ symbol: S, clientOrderId: 'sl' })
    expect(o?.status).toBe('filled')
    expect(o?.avgFillPrice).toBe(98_500)
  })

  it('closePosition stop closes the whole position whatever its qty', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'e', side: 'buy', type: 'market', qty: 0.03 })
    await r.venue.createOrder({ symbol: S, clientOrderId: 'cp', side: 'sell', type: 'stop-market', qty: 0.001, triggerPrice: 99_000, closePosition: true })
    r.candle(100_000, 100_000, 98_900, 99_000)
    expect(r.venue.state().positions).toHaveLength(0)
    expect((await r.venue.fetchOrder({ symbol: S, clientOrderId: 'cp' }))?.filledQty).toBeCloseTo(0.03, 12)
  })
})

describe('reduce-only', () => {
  it('rejects a reduce-only order without a position or on the same side (-2022 / 110017)', async () => {
    const b = rig('binance-usdm')
    b.candle(100_000, 100_100, 99_900, 100_000)
    const e = await rejection(b.venue.createOrder({ symbol: S, clientOrderId: 'r', side: 'sell', type: 'market', qty: 0.01, reduceOnly: true }))
    expect([e.code, e.venueCode, e.message]).toEqual(['reduce-only-rejected', -2022, 'ReduceOnly Order is rejected.'])
    const y = rig('bybit-linear')
    y.candle(100_000, 100_100, 99_900, 100_000)
    await y.venue.createOrder({ symbol: S, clientOrderId: 'e', side: 'buy', type: 'market', qty: 0.01 })
    const e2 = await rejection(y.venue.createOrder({ symbol: S, clientOrderId: 'r', side: 'buy', type: 'limit', price: 99_000, qty: 0.01, reduceOnly: true }))
    expect([e2.code, e2.venueCode]).toEqual(['reduce-only-rejected', 110017])
  })

  it('a reduce-only order larger than the position only closes the position (never flips)', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'e', side: 'buy', type: 'market', qty: 0.01 })
    const o = await r.venue.createOrder({ symbol: S, clientOrderId: 'r', side: 'sell', type: 'market', qty: 0.05, reduceOnly: true })
    expect(o.filledQty).toBeCloseTo(0.01, 12)
    expect(o.status).toBe('expired')
    expect(r.venue.state().positions).toHaveLength(0)
  })

  it('a reduce-only stop whose position is gone by the trigger expires without trading', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'sl', side: 'sell', type: 'stop-market', qty: 0.01, triggerPrice: 99_000, reduceOnly: true })
    r.candle(100_000, 100_000, 98_000, 98_500)
    expect((await r.venue.fetchOrder({ symbol: S, clientOrderId: 'sl' }))?.status).toBe('expired')
    expect(await r.venue.fetchFills({ symbol: S })).toHaveLength(0)
  })
})

describe('amend and cancel', () => {
  it('amends price and qty of a partially filled limit order (qty must stay above the filled qty)', async () => {
    const r = rig('binance-usdm', { fillModel: { participation: 0.5 }, balances: { USDT: 10_000_000 } })
    r.candle(100_000, 100_100, 99_900, 100_000, 10)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'l', side: 'buy', type: 'limit', qty: 10, price: 99_000 })
    r.candle(100_000, 100_000, 98_900, 99_500, 8) // fills 4
    const before = await r.venue.fetchOrder({ symbol: S, clientOrderId: 'l' })
    expect(before?.filledQty).toBeCloseTo(4, 9)
    const e = await rejection(r.venue.amendOrder({ symbol: S, clientOrderId: 'l', qty: 4 }))
    expect([e.code, e.venueCode]).toEqual(['venue-rejected', -4003])
    const a = await r.venue.amendOrder({ symbol: S, clientOrderId: 'l', qty: 6, price: 99_200 })
    expect([a.qty, a.price, a.status]).toEqual([6, 99_200, 'partially-filled'])
    r.candle(99_500, 99_500, 99_100, 99_300, 100)
    const after = await r.venue.fetchOrder({ symbol: S, clientOrderId: 'l' })
    expect(after?.status).toBe('filled')
    expect(after?.filledQty).toBeCloseTo(6, 9)
    expect(after?.avgFillPrice).toBeCloseTo((4 * 99_000 + 2 * 99_200) / 6, 6)
  })

  it('conditional amend: not-supported on Binance USDⓈ-M, allowed on Bybit (with would-trigger checks)', async () => {
    const b = rig('binance-usdm')
    b.candle(100_000, 100_100, 99_900, 100_000)
    await b.venue.createOrder({ symbol: S, clientOrderId: 'sl', side: 'sell', type: 'stop-market', qty: 0.01, triggerPrice: 99_000 })
    expect((await rejection(b.venue.amendOrder({ symbol: S, clientOrderId: 'sl', triggerPrice: 99_100 }))).code).toBe('not-supported')
    expect(b.venue.capabilities.amendConditionalOrder).toBe(false)
    const y = rig('bybit-linear')
    y.candle(100_000, 100_100, 99_900, 100_000)
    await y.venue.createOrder({ symbol: S, clientOrderId: 'sl', side: 'sell', type: 'stop-market', qty: 0.01, triggerPrice: 99_000 })
    const a = await y.venue.amendOrder({ symbol: S, clientOrderId: 'sl', triggerPrice: 99_500 })
    expect(a.triggerPrice).toBe(99_500)
    expect((await rejection(y.venue.amendOrder({ symbol: S, clientOrderId: 'sl', triggerPrice: 100_000 }))).venueCode).toBe(110093)
  })

  it('cancel and amend of unknown orders: -2011 / -2013 on Binance, 110001 on Bybit; fetchOrder → null', async () => {
    const b = rig('binance-usdm')
    expect((await rejection(b.venue.cancelOrder({ symbol: S, clientOrderId: 'nope' }))).venueCode).toBe(-2011)
    expect((await rejection(b.venue.amendOrder({ symbol: S, clientOrderId: 'nope', price: 1 }))).venueCode).toBe(-2013)
    expect(await b.venue.fetchOrder({ symbol: S, clientOrderId: 'nope' })).toBeNull()
    const y = rig('bybit-linear')
    const e = await rejection(y.venue.cancelOrder({ symbol: S, clientOrderId: 'nope' }))
    expect([e.code, e.venueCode, e.message]).toEqual(['order-not-found', 110001, 'Order does not exist'])
  })

  it('cancel: order leaves the open list, stays queryable, and cannot be canceled twice', async () => {
    const r = rig('bybit-linear')
    r.candle(100_000, 100_100, 99_900, 100_000)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'l', side: 'buy', type: 'limit', qty: 0.01, price: 90_000 })
    const c = await r.venue.cancelOrder({ symbol: S, clientOrderId: 'l' })
    expect(c.status).toBe('canceled')
    expect(await r.venue.fetchOpenOrders(S)).toHaveLength(0)
    expect((await r.venue.fetchOrder({ symbol: S, clientOrderId: 'l' }))?.status).toBe('canceled')
    expect((await rejection(r.venue.cancelOrder({ symbol: S, clientOrderId: 'l' }))).code).toBe('order-not-found')
    // the id is free again once the order is closed
    expect((await r.venue.createOrder({ symbol: S, clientOrderId: 'l', side: 'buy', type: 'limit', qty: 0.01, price: 90_000 })).status).toBe('open')
  })
})

describe('venue rules', () => {
  it('duplicate client id among open orders: -4116 / 110072', async () => {
    for (const [profile, code] of [['binance-usdm', -4116], ['bybit-linear', 110072]] as const) {
      const r = rig(profile)
      r.candle(100_000, 100_100, 99_900, 100_000)
      await r.venue.createOrder({ symbol: S, clientOrderId: 'dup', side: 'buy', type: 'limit', qty: 0.01, price: 90_000 })
      const e = await rejection(r.venue.createOrder({ symbol: S, clientOrderId: 'dup', side: 'buy', type: 'limit', qty: 0.01, price: 90_000 }))
      expect([e.code, e.venueCode]).toEqual(['duplicate-client-order-id', code])
    }
  })

  it('client order id rules per venue', async () => {
    const b = rig('binance-usdm')
    b.candle(100_000, 100_100, 99_900, 100_000)
    const e = await rejection(b.venue.createOrder({ symbol: S, clientOrderId: 'has space', side: 'buy', type: 'limit', qty: 0.01, price: 90_000 }))
    expect([e.code, e.venueCode]).toEqual(['invalid-input', -1100])
    const long = 'x'.repeat(37)
    expect((await rejection(b.venue.createOrder({ symbol: S, clientOrderId: long, side: 'buy', type: 'limit', qty: 0.01, price: 90_000 }))).venueCode).toBe(-1100)
    const y = rig('bybit-linear')
    y.candle(100_000, 100_100, 99_900, 100_000)
    expect((await rejection(y.venue.createOrder({ symbol: S, clientOrderId: 'a.b', side: 'buy', type: 'limit', qty: 0.01, price: 90_000 }))).venueCode).toBe(10001)
  })

  it('insufficient margin: -2019 / 110007', async () => {
    const b = rig('binance-usdm', { balances: { USDT: 100 }, defaultLeverage: 10 })
    b.candle(100_000, 100_100, 99_900, 100_000)
    const e = await rejection(b.venue.createOrder({ symbol: S, clientOrderId: 'big', side: 'buy', type: 'market', qty: 0.011 }))
    expect([e.code, e.venueCode, e.message]).toEqual(['insufficient-margin', -2019, 'Margin is insufficient.'])
    expect((await b.venue.createOrder({ symbol: S, clientOrderId: 'ok', side: 'buy', type: 'market', qty: 0.009 })).status).toBe('filled')
    const y = rig('bybit-inverse', { balances: { BTC: 0.001 }, defaultLeverage: 1 })
    y.candle(100_000, 100_100, 99_900, 100_000)
    const e2 = await rejection(y.venue.createOrder({ symbol: 'BTC/USD:BTC', clientOrderId: 'big', side: 'sell', type: 'market', qty: 200 }))
    expect([e2.code, e2.venueCode]).toEqual(['insufficient-margin', 110007])
  })

  it('leverage up to the instrument max; hedge-mode accounts reject one-way orders', async () => {
    const b = rig('binance-usdm')
    await b.venue.setLeverage({ symbol: S, leverage: 125 })
    expect((await rejection(b.venue.setLeverage({ symbol: S, leverage: 126 }))).venueCode).toBe(-4028)
    expect((await rejection(b.venue.setLeverage({ symbol: S, leverage: 2.5 }))).venueCode).toBe(-4028)
    expect((await rejection(b.venue.setLeverage({ symbol: S, leverage: Number.NaN }))).code).toBe('invalid-input')
    const y = rig('bybit-linear')
    await y.venue.setLeverage({ symbol: S, leverage: 2.5 })
    const h = rig('binance-usdm', { positionMode: 'hedge' })
    h.candle(100_000, 100_100, 99_900, 100_000)
    expect(await h.venue.getPositionMode()).toBe('hedge')
    expect((await rejection(h.venue.createOrder({ symbol: S, clientOrderId: 'a', side: 'buy', type: 'market', qty: 0.01 }))).venueCode).toBe(-4061)
    await h.venue.setPositionMode({ mode: 'one-way' })
    expect(await h.venue.getPositionMode()).toBe('one-way')
  })

  it('margin mode cannot change with an open position; unknown symbols and bad input throw typed errors', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    await r.venue.setMarginMode({ symbol: S, marginMode: 'isolated' })
    await r.venue.createOrder({ symbol: S, clientOrderId: 'e', side: 'buy', type: 'market', qty: 0.01 })
    expect((await rejection(r.venue.setMarginMode({ symbol: S, marginMode: 'cross' }))).venueCode).toBe(-4048)
    expect(r.venue.state().positions[0]?.isolatedMargin).toBeCloseTo(1_000 / 20, 9)
    expect((await rejection(r.venue.fetchOpenOrders('ETH/USDT:USDT'))).code).toBe('unknown-symbol')
    expect((await rejection(r.venue.createOrder({ symbol: S, clientOrderId: 'n', side: 'buy', type: 'limit', qty: 0.01, price: 99_000.05 }))).code).toBe('invalid-input')
    expect((await rejection(r.venue.createOrder({ symbol: S, clientOrderId: 'n', side: 'buy', type: 'limit', qty: Number.NaN, price: 99_000 }))).code).toBe('invalid-input')
    expect(() => r.venue.applyCandle({ symbol: S, candle: { openTimeMs: r.clock.now() + 300_000, open: 1, high: 0.5, low: 1, close: 1, volume: 1 } })).toThrow(/OHLC/)
  })

  it('latency: an order reaches the book latencyMs after acceptance (clock timer)', async () => {
    const r = rig('binance-usdm', { latencyMs: 250 })
    r.candle(100_000, 100_100, 99_900, 100_000)
    const o = await r.venue.createOrder({ symbol: S, clientOrderId: 'm', side: 'buy', type: 'market', qty: 0.01 })
    expect(o.status).toBe('open')
    r.clock.advance(249)
    expect(r.venue.state().positions).toHaveLength(0)
    r.clock.advance(1)
    expect(r.venue.state().positions[0]?.qty).toBeCloseTo(0.01, 12)
  })

  it('fetchOpenOrders merges conditional orders; fetchFills supports since/limit', async () => {
    const r = rig('binance-usdm')
    r.candle(100_000, 100_100, 99_900, 100_000)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'l', side: 'buy', type: 'limit', qty: 0.01, price: 90_000 })
    await r.venue.createOrder({ symbol: S, clientOrderId: 's', side: 'buy', type: 'stop-market', qty: 0.01, triggerPrice: 110_000 })
    expect((await r.venue.fetchOpenOrders()).map((o) => o.clientOrderId)).toEqual(['l', 's'])
    await r.venue.createOrder({ symbol: S, clientOrderId: 'm1', side: 'buy', type: 'market', qty: 0.01 })
    r.clock.advance(1_000)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'm2', side: 'buy', type: 'market', qty: 0.01 })
    expect((await r.venue.fetchFills({ symbol: S, sinceMs: r.clock.now() })).map((f) => f.clientOrderId)).toEqual(['m2'])
    expect((await r.venue.fetchFills({ symbol: S, limit: 1 })).map((f) => f.clientOrderId)).toEqual(['m2'])
  })
})

describe('trade-tick fill model', () => {
  it('triggers fill at the trade price of a jump; resting limits fill by participation of each trade', async () => {
    const r = rig('binance-usdm', { fillModel: { participation: 0.5 }, balances: { USDT: 1_000_000 } })
    const t = r.clock.now()
    r.venue.applyTrade({ symbol: S, trade: { tradeId: '1', timestampMs: t, price: 100_000, qty: 1, side: 'buy' } })
    await r.venue.createOrder({ symbol: S, clientOrderId: 'l', side: 'buy', type: 'limit', qty: 1, price: 99_900 })
    await r.venue.createOrder({ symbol: S, clientOrderId: 's', side: 'buy', type: 'stop-market', qty: 0.1, triggerPrice: 100_200 })
    r.venue.applyTrade({ symbol: S, trade: { tradeId: '2', timestampMs: t + 1, price: 99_900, qty: 1, side: 'sell' } }) // touch only
    expect((await r.venue.fetchFills({ symbol: S }))).toHaveLength(0)
    r.venue.applyTrade({ symbol: S, trade: { tradeId: '3', timestampMs: t + 2, price: 99_850, qty: 0.6, side: 'sell' } })
    expect((await r.venue.fetchOrder({ symbol: S, clientOrderId: 'l' }))?.filledQty).toBeCloseTo(0.3, 12)
    r.venue.applyTrade({ symbol: S, trade: { tradeId: '4', timestampMs: t + 3, price: 100_300, qty: 0.01, side: 'buy' } })
    const stop = await r.venue.fetchOrder({ symbol: S, clientOrderId: 's' })
    expect([stop?.status, stop?.avgFillPrice]).toEqual(['filled', 100_300])
  })
})

describe('flat position housekeeping', () => {
  it('resting reduce-only limits expire once the position is closed by another order', async () => {
    const r = rig('bybit-linear')
    r.candle(100_000, 100_100, 99_900, 100_000)
    await r.venue.createOrder({ symbol: S, clientOrderId: 'e', side: 'buy', type: 'market', qty: 0.01 })
    await r.venue.createOrder({ symbol: S, clientOrderId: 'tp', side: 'sell', type: 'limit', price: 105_000, qty: 0.01, reduceOnly: true })
    await r.venue.createOrder({ symbol: S, clientOrderId: 'x', side: 'sell', type: 'market', qty: 0.01, reduceOnly: true })
    const tp = await r.venue.fetchOrder({ symbol: S, clientOrderId: 'tp' })
    expect([tp?.status, tp?.rejectReason]).toEqual(['expired', 'position closed'])
    expect(await r.venue.fetchOpenOrders(S)).toHaveLength(0)
  })
})
