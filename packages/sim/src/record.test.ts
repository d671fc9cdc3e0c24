import { isPerpkitError, type UserStreamEvent } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { rig } from '../test/helpers.js'

/** A create-order request that counts how often it is serialised (JSON.stringify calls toJSON). */
function countingRequest(symbol: string): { request: Parameters<ReturnType<typeof rig>['venue']['createOrder']>[0]; serialised: () => number } {
  let n = 0
  const request = { symbol, clientOrderId: 'pk_rec_1', side: 'buy' as const, type: 'market' as const, qty: 0.01 }
  // non-enumerable, so the venue's strict request schema does not see an extra key
  Object.defineProperty(request, 'toJSON', {
    enumerable: false,
    value: () => {
      n++
      return { ...request }
    },
  })
  return { request, serialised: () => n }
}

function invalidState(fn: () => unknown): boolean {
  try {
    fn()
    return false
  } catch (e) {
    return isPerpkitError(e, 'invalid-state')
  }
}

describe('record option: call log and event log are opt-in', () => {
  it('by default keeps neither: reading them throws invalid-state, and no call is serialised', async () => {
    const r = rig('binance-usdm', { record: {} })
    r.candle(116_000, 116_100, 115_900, 116_050)
    const { request, serialised } = countingRequest(r.symbol)
    await r.venue.createOrder(request)
    expect(serialised()).toBe(0)
    expect(invalidState(() => r.venue.callLog())).toBe(true)
    expect(invalidState(() => r.venue.eventLog())).toBe(true)
    expect(invalidState(() => r.venue.eventLogHash())).toBe(true)
    // events are still delivered to listeners
    expect(r.events.some((e) => e.type === 'fill')).toBe(true)
  })

  it('record.calls keeps every call with a copy of its arguments taken at call time', async () => {
    const r = rig('binance-usdm', { record: { calls: true } })
    r.candle(116_000, 116_100, 115_900, 116_050)
    const { request, serialised } = countingRequest(r.symbol)
    await r.venue.createOrder(request)
    await r.venue.fetchPositions()
    expect(serialised()).toBe(1)
    const log = r.venue.callLog()
    expect(log.map((c) => c.method)).toEqual(['createOrder', 'fetchPositions'])
    expect(log[0]).toMatchObject({ seq: 1, outcome: 'ok', reachedVenue: true, args: { clientOrderId: 'pk_rec_1', qty: 0.01 } })
    expect(invalidState(() => r.venue.eventLog())).toBe(true)
  })

  it('record.events keeps every emitted event; the hash changes with them', async () => {
    const r = rig('binance-usdm', { record: { events: true } })
    r.candle(116_000, 116_100, 115_900, 116_050)
    const before = r.venue.eventLogHash()
    const { request } = countingRequest(r.symbol)
    await r.venue.createOrder(request)
    const log: readonly UserStreamEvent[] = r.venue.eventLog()
    expect(log.length).toBeGreaterThan(0)
    expect(log).toEqual(r.events)
    expect(r.venue.eventLogHash()).not.toBe(before)
    expect(invalidState(() => r.venue.callLog())).toBe(true)
  })

  it('a listener added during delivery gets the next event, not the current one; one removed during delivery still gets it', async () => {
    const r = rig('binance-usdm', { record: {} })
    r.candle(116_000, 116_100, 115_900, 116_050)
    const late: UserStreamEvent[] = []
    let lateAdded = false
    const second: UserStreamEvent[] = []
    let unsubscribeSecond = (): void => {}
    r.venue.subscribeUserStream(() => {
      unsubscribeSecond()
      if (!lateAdded) {
        lateAdded = true
        r.venue.subscribeUserStream((e) => late.push(e))
      }
    })
    unsubscribeSecond = r.venue.subscribeUserStream((e) => second.push(e))
    const { request } = countingRequest(r.symbol)
    await r.venue.createOrder(request)
    const emitted = r.events.length - r.events.findIndex((e) => e.type === 'order')
    expect(second).toHaveLength(1)
    expect(late).toHaveLength(emitted - 1)
  })
})
