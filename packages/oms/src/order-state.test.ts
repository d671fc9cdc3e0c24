import { isPerpkitError } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { isTerminalOrderState, nextOrderState, ORDER_EVENTS, ORDER_STATES, type OrderEvent, type OrderState, transitionOrder } from './order-state.js'

// The expected table, written out independently of ORDER_TRANSITIONS: [from, event, to].
const LEGAL: readonly (readonly [OrderState, OrderEvent, OrderState])[] = [
  ['intent', 'submit', 'submitting'],
  ['intent', 'abandon', 'expired'],
  ['submitting', 'accept', 'open'],
  ['submitting', 'reject', 'rejected'],
  ['submitting', 'outcome-unknown', 'unknown'],
  ['submitting', 'partial-fill', 'partially-filled'],
  ['submitting', 'fill', 'filled'],
  ['submitting', 'trigger', 'triggered'],
  ['submitting', 'cancel-confirmed', 'canceled'],
  ['submitting', 'expire', 'expired'],
  ['unknown', 'accept', 'open'],
  ['unknown', 'reject', 'rejected'],
  ['unknown', 'absent', 'intent'],
  ['unknown', 'partial-fill', 'partially-filled'],
  ['unknown', 'fill', 'filled'],
  ['unknown', 'trigger', 'triggered'],
  ['unknown', 'request-cancel', 'cancel-pending'],
  ['unknown', 'cancel-confirmed', 'canceled'],
  ['unknown', 'expire', 'expired'],
  ['unknown', 'abandon', 'expired'],
  ['open', 'partial-fill', 'partially-filled'],
  ['open', 'fill', 'filled'],
  ['open', 'trigger', 'triggered'],
  ['open', 'request-cancel', 'cancel-pending'],
  ['open', 'cancel-confirmed', 'canceled'],
  ['open', 'expire', 'expired'],
  ['partially-filled', 'partial-fill', 'partially-filled'],
  ['partially-filled', 'fill', 'filled'],
  ['partially-filled', 'request-cancel', 'cancel-pending'],
  ['partially-filled', 'cancel-confirmed', 'canceled'],
  ['partially-filled', 'expire', 'expired'],
  ['triggered', 'partial-fill', 'partially-filled'],
  ['triggered', 'fill', 'filled'],
  ['triggered', 'request-cancel', 'cancel-pending'],
  ['triggered', 'cancel-confirmed', 'canceled'],
  ['triggered', 'expire', 'expired'],
  ['cancel-pending', 'partial-fill', 'cancel-pending'],
  ['cancel-pending', 'fill', 'filled'],
  ['cancel-pending', 'cancel-confirmed', 'canceled'],
  ['cancel-pending', 'cancel-failed', 'open'],
  ['cancel-pending', 'expire', 'expired'],
  // a late fill after a confirmed cancel / expiry is accepted
  ['canceled', 'partial-fill', 'canceled'],
  ['canceled', 'fill', 'filled'],
  ['expired', 'partial-fill', 'expired'],
  ['expired', 'fill', 'filled'],
]

describe('order transition table', () => {
  const legal = new Map(LEGAL.map(([f, e, t]) => [`${f}|${e}`, t]))
  const pairs = ORDER_STATES.flatMap((s) => ORDER_EVENTS.map((e) => [s, e] as const))

  it('covers every (state, event) pair: 11 states × 13 events', () => {
    expect(pairs).toHaveLength(11 * 13)
  })

  it.each(pairs)('%s + %s', (state, event) => {
    const expected = legal.get(`${state}|${event}`)
    expect(nextOrderState(state, event)).toBe(expected)
    if (expected !== undefined) {
      expect(transitionOrder(state, event)).toBe(expected)
    } else {
      let caught: unknown
      const before = state
      try {
        transitionOrder(state, event)
      } catch (e) {
        caught = e
      }
      expect(isPerpkitError(caught, 'invalid-transition')).toBe(true)
      expect((caught as { details: unknown }).details).toEqual({ from: before, event })
    }
  })

  it('terminal states accept nothing but late fills', () => {
    for (const s of ORDER_STATES.filter(isTerminalOrderState)) {
      for (const e of ORDER_EVENTS) {
        const next = nextOrderState(s, e)
        if (next !== undefined) expect(['fill', 'partial-fill']).toContain(e)
      }
    }
    expect(ORDER_STATES.filter(isTerminalOrderState).sort()).toEqual(['canceled', 'expired', 'filled', 'rejected'])
  })
})
