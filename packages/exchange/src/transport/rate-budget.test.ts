import { createTestClock, isPerpkitError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { createBinanceRateBudget, readBinanceLimits } from '../binance/rate-limits.js'
import { createBybitRateBudget } from '../bybit/rate-limits.js'

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0)
const settled = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false
  void p.then(
    () => (done = true),
    () => (done = true),
  )
  for (let i = 0; i < 5; i++) await Promise.resolve()
  return done
}

describe('readBinanceLimits', () => {
  it('reads the used-weight and order-count headers, Retry-After, and the end of a 418 ban from its body', () => {
    const headers = new Headers({ 'X-MBX-USED-WEIGHT-1M': '1200', 'X-MBX-ORDER-COUNT-10S': '7', 'X-MBX-ORDER-COUNT-1M': '30', 'Retry-After': '120' })
    // the body Binance documents for -1003 once an IP is banned
    const text = '{"code":-1003,"msg":"Way too many requests; IP(127.0.0.1) banned until 1767614520000. Please use the websocket for live updates to avoid bans."}'
    expect(readBinanceLimits({ status: 418, headers, text })).toEqual({
      buckets: [
        { key: 'x-mbx-used-weight-1m', used: 1200 },
        { key: 'x-mbx-order-count-10s', used: 7 },
        { key: 'x-mbx-order-count-1m', used: 30 },
      ],
      retryAfterMs: 120_000,
      bannedUntilMs: 1767614520000,
    })
  })
})

describe('a Binance budget', () => {
  it('keeps normal callers below 80 % of the weight limit until the minute rolls over; a risk-reducing caller may go on', async () => {
    const clock = createTestClock(T0 + 10_000)
    const budget = createBinanceRateBudget({ clock })
    budget.observe({ status: 200, headers: new Headers({ 'X-MBX-USED-WEIGHT-1M': '1900' }) })
    expect(await settled(budget.acquire({ weight: 20 }))).toBe(true) // 1,920 = 80 % of 2,400
    const waiting = budget.acquire({ weight: 1 })
    expect(await settled(waiting)).toBe(false)
    expect(await settled(budget.acquire({ weight: 5, orders: 1, priority: 'reduce-risk' }))).toBe(true)
    clock.advance(49_999)
    expect(await settled(waiting)).toBe(false)
    clock.advance(1) // 12:01:00, a new window
    expect(await settled(waiting)).toBe(true)
    expect(budget.usage().find((u) => u.kind === 'request-weight')).toMatchObject({ used: 1, limit: 2_400, intervalMs: 60_000 })
  })

  it('counts orders per 10 s and per minute', async () => {
    const clock = createTestClock(T0)
    const budget = createBinanceRateBudget({ clock })
    budget.observe({ status: 200, headers: new Headers({ 'X-MBX-ORDER-COUNT-10S': '240', 'X-MBX-ORDER-COUNT-1M': '240' }) })
    const order = budget.acquire({ weight: 1, orders: 1 })
    expect(await settled(order)).toBe(false) // 241 > 80 % of 300
    expect(await settled(budget.acquire({ weight: 1 }))).toBe(true) // a query spends no order count
    clock.advance(10_000)
    expect(await settled(order)).toBe(true)
  })

  it('429 holds every caller until Retry-After; 418 is a ban: ip-banned at once until its end', async () => {
    const clock = createTestClock(T0)
    const budget = createBinanceRateBudget({ clock })
    budget.observe({ status: 429, headers: new Headers({ 'Retry-After': '3' }) })
    const held = budget.acquire({ weight: 1 })
    clock.advance(2_999)
    expect(await settled(held)).toBe(false)
    clock.advance(1)
    expect(await settled(held)).toBe(true)

    budget.observe({ status: 418, headers: new Headers({ 'Retry-After': '120' }), text: `{"code":-1003,"msg":"Way too many requests; IP(127.0.0.1) banned until ${T0 + 123_000}."}` })
    expect(budget.bannedUntilMs()).toBe(T0 + 123_000)
    const refused = await budget.acquire({ weight: 1, priority: 'reduce-risk' }).catch((e: unknown) => e)
    expect(isPerpkitError(refused, 'ip-banned')).toBe(true)
    expect(isPerpkitError(refused) && refused.retryAfterMs).toBe(120_000)
    clock.advanceTo(T0 + 123_000)
    expect(await settled(budget.acquire({ weight: 1 }))).toBe(true)
  })
})

describe('a Bybit budget', () => {
  it('learns each endpoint limit from X-Bapi-Limit / -Status / -Reset-Timestamp and waits for the reset near 80 %', async () => {
    const clock = createTestClock(T0)
    const budget = createBybitRateBudget({ clock })
    const headers = new Headers({ 'X-Bapi-Limit': '10', 'X-Bapi-Limit-Status': '2', 'X-Bapi-Limit-Reset-Timestamp': String(T0 + 400) })
    budget.observe({ status: 200, headers, endpoint: '/v5/order/create' })
    const create = budget.acquire({ endpoint: '/v5/order/create' })
    expect(await settled(create)).toBe(false) // 8 of 10 used
    expect(await settled(budget.acquire({ endpoint: '/v5/order/realtime' }))).toBe(true) // another endpoint's limit
    expect(await settled(budget.acquire({ endpoint: '/v5/order/create', priority: 'reduce-risk' }))).toBe(true)
    clock.advance(400)
    expect(await settled(create)).toBe(true)
  })
})

describe('a Bybit budget counts a rolling second per endpoint (its documented defaults up front)', () => {
  it('lets 8 of 10 creates through in any one second; the 9th goes exactly when the first leaves the window', async () => {
    const clock = createTestClock(T0 + 300) // not on a second boundary: an aligned window would admit 8 more at T0 + 1,000
    const budget = createBybitRateBudget({ clock, category: 'linear' })
    for (let i = 0; i < 8; i++) expect(await settled(budget.acquire({ endpoint: '/v5/order/create' }))).toBe(true)
    const ninth = budget.acquire({ endpoint: '/v5/order/create' })
    expect(await settled(ninth)).toBe(false)
    clock.advance(700) // T0 + 1,000: a new aligned second, but the rolling second still holds all 8
    expect(await settled(ninth)).toBe(false)
    clock.advance(300)
    expect(await settled(ninth)).toBe(true)
    expect(budget.usage().find((u) => u.kind === 'orders' && u.limit === 10)?.used).toBe(1)
  })
  it('inverse queries have the lower limit (10/s, linear 50/s)', async () => {
    const clock = createTestClock(T0)
    const inverse = createBybitRateBudget({ clock, category: 'inverse' })
    const linear = createBybitRateBudget({ clock, category: 'linear' })
    for (let i = 0; i < 8; i++) await inverse.acquire({ endpoint: '/v5/order/realtime' })
    for (let i = 0; i < 9; i++) await linear.acquire({ endpoint: '/v5/order/realtime' })
    expect(await settled(inverse.acquire({ endpoint: '/v5/order/realtime' }))).toBe(false)
    expect(await settled(linear.acquire({ endpoint: '/v5/order/realtime' }))).toBe(true)
  })
  it('the IP limit (600 per 5 s) spans every endpoint', async () => {
    const clock = createTestClock(T0)
    const budget = createBybitRateBudget({ clock })
    for (let i = 0; i < 480; i++) await budget.acquire({ endpoint: `/v5/market/path-${i % 7}` })
    const over = budget.acquire({ endpoint: '/v5/market/tickers' })
    expect(await settled(over)).toBe(false)
    clock.advance(5_000)
    expect(await settled(over)).toBe(true)
  })
  it('a 10006 without limit headers holds everyone for one second; HTTP 403 is a 10-minute IP ban', async () => {
    const clock = createTestClock(T0)
    const budget = createBybitRateBudget({ clock })
    budget.observe({ status: 200, headers: new Headers(), text: '{"retCode":10006,"retMsg":"Too many visits","result":{}}', endpoint: '/v5/order/create' })
    const held = budget.acquire({ endpoint: '/v5/position/list' })
    clock.advance(999)
    expect(await settled(held)).toBe(false)
    clock.advance(1)
    expect(await settled(held)).toBe(true)
    budget.observe({ status: 403, headers: new Headers(), text: 'access too frequent', endpoint: '/v5/order/create' })
    const refused = await budget.acquire({ endpoint: '/v5/order/cancel', priority: 'reduce-risk' }).catch((e: unknown) => e)
    expect(isPerpkitError(refused, 'ip-banned') && refused.retryAfterMs).toBe(600_000)
    clock.advance(600_000)
    expect(await settled(budget.acquire({ endpoint: '/v5/order/cancel' }))).toBe(true)
  })
})
