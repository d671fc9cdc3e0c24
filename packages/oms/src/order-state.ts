/**
 * The order state machine: an explicit transition table, nothing implicit.
 * @module
 */
import { PerpkitError } from '@perpkit/core'

/**
 * Local state of an order.
 * - `intent`: journaled, not sent. - `submitting`: create in flight. - `unknown`: sent, outcome ambiguous
 *   (timeout, 5xx, disconnect) until a query by client id resolves it. - `triggered`: a conditional order fired.
 * - `cancel-pending`: cancel sent, not yet confirmed. Terminal: `filled`, `rejected`, `canceled`, `expired`.
 */
export type OrderState =
  | 'intent'
  | 'submitting'
  | 'open'
  | 'partially-filled'
  | 'filled'
  | 'rejected'
  | 'unknown'
  | 'triggered'
  | 'cancel-pending'
  | 'canceled'
  | 'expired'

/**
 * Events that move an order.
 * - `submit`: the create leaves. - `accept`: the venue holds it. - `reject`: an answer proving non-acceptance.
 * - `outcome-unknown`: timeout / 5xx / disconnect. - `absent`: repeated queries over the grace period prove the venue
 *   never took it (back to `intent`, so it may be re-sent with the same client id). - `partial-fill` / `fill`:
 *   an execution leaving qty open / completing it. - `trigger`: a conditional order fired. - `request-cancel`,
 *   `cancel-confirmed`, `cancel-failed`: cancel lifecycle. - `expire`: the venue expired it (post-only cross, IOC).
 * - `abandon`: an intent or unknown order is given up (proven absent and no longer wanted).
 */
export type OrderEvent =
  | 'submit'
  | 'accept'
  | 'reject'
  | 'outcome-unknown'
  | 'absent'
  | 'partial-fill'
  | 'fill'
  | 'trigger'
  | 'request-cancel'
  | 'cancel-confirmed'
  | 'cancel-failed'
  | 'expire'
  | 'abandon'

/**
 * Every order state, in a stable order.
 * @example
 * ```ts
 * import { ORDER_STATES } from '@perpkit/oms'
 * ORDER_STATES.length // 11
 * ```
 */
export const ORDER_STATES: readonly OrderState[] = [
  'intent',
  'submitting',
  'open',
  'partially-filled',
  'filled',
  'rejected',
  'unknown',
  'triggered',
  'cancel-pending',
  'canceled',
  'expired',
]

/**
 * Every order event, in a stable order.
 * @example
 * ```ts
 * import { ORDER_EVENTS } from '@perpkit/oms'
 * ORDER_EVENTS.includes('absent') // true
 * ```
 */
export const ORDER_EVENTS: readonly OrderEvent[] = [
  'submit',
  'accept',
  'reject',
  'outcome-unknown',
  'absent',
  'partial-fill',
  'fill',
  'trigger',
  'request-cancel',
  'cancel-confirmed',
  'cancel-failed',
  'expire',
  'abandon',
]

/**
 * States after which nothing changes, except a late fill after a confirmed cancel / expiry.
 * @example
 * ```ts
 * import { TERMINAL_STATES } from '@perpkit/oms'
 * TERMINAL_STATES.includes('filled') // true
 * ```
 */
export const TERMINAL_STATES: readonly OrderState[] = ['filled', 'rejected', 'canceled', 'expired']

/**
 * The transition table: `ORDER_TRANSITIONS[state][event]` is the next state; a missing entry is illegal.
 * A late fill after a confirmed cancel or expiry is accepted (`canceled --fill--> filled`,
 * `canceled --partial-fill--> canceled`).
 * @example
 * ```ts
 * import { ORDER_TRANSITIONS } from '@perpkit/oms'
 * ORDER_TRANSITIONS.unknown.absent // 'intent'
 * ```
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderState, Readonly<Partial<Record<OrderEvent, OrderState>>>>> = {
  intent: { submit: 'submitting', abandon: 'expired' },
  submitting: {
    accept: 'open',
    reject: 'rejected',
    'outcome-unknown': 'unknown',
    'partial-fill': 'partially-filled',
    fill: 'filled',
    trigger: 'triggered',
    'cancel-confirmed': 'canceled',
    expire: 'expired',
  },
  unknown: {
    accept: 'open',
    reject: 'rejected',
    absent: 'intent',
    'partial-fill': 'partially-filled',
    fill: 'filled',
    trigger: 'triggered',
    'request-cancel': 'cancel-pending',
    'cancel-confirmed': 'canceled',
    expire: 'expired',
    abandon: 'expired',
  },
  open: {
    'partial-fill': 'partially-filled',
    fill: 'filled',
    trigger: 'triggered',
    'request-cancel': 'cancel-pending',
    'cancel-confirmed': 'canceled',
    expire: 'expired',
  },
  'partially-filled': {
    'partial-fill': 'partially-filled',
    fill: 'filled',
    'request-cancel': 'cancel-pending',
    'cancel-confirmed': 'canceled',
    expire: 'expired',
  },
  triggered: {
    'partial-fill': 'partially-filled',
    fill: 'filled',
    'request-cancel': 'cancel-pending',
    'cancel-confirmed': 'canceled',
    expire: 'expired',
  },
  'cancel-pending': {
    'partial-fill': 'cancel-pending',
    fill: 'filled',
    'cancel-confirmed': 'canceled',
    'cancel-failed': 'open',
    expire: 'expired',
  },
  filled: {},
  rejected: {},
  canceled: { 'partial-fill': 'canceled', fill: 'filled' },
  expired: { 'partial-fill': 'expired', fill: 'filled' },
}

/**
 * Next state of an order, or `undefined` when the event is illegal in `state`.
 *
 * @param state - current state
 * @param event - event
 * @returns the next state, or undefined
 * @example
 * ```ts
 * import { nextOrderState } from '@perpkit/oms'
 * nextOrderState('submitting', 'outcome-unknown') // 'unknown'
 * nextOrderState('filled', 'accept') // undefined
 * ```
 */
export function nextOrderState(state: OrderState, event: OrderEvent): OrderState | undefined {
  return ORDER_TRANSITIONS[state]?.[event]
}

/**
 * Apply an event to an order state.
 *
 * @param state - current state
 * @param event - event
 * @returns the next state
 * @throws PerpkitError `invalid-transition` (with `details.from` / `details.event`) when illegal; the caller's
 *   state is untouched because this function is pure
 * @example
 * ```ts
 * import { transitionOrder } from '@perpkit/oms'
 * transitionOrder('intent', 'submit') // 'submitting'
 * ```
 */
export function transitionOrder(state: OrderState, event: OrderEvent): OrderState {
  const next = nextOrderState(state, event)
  if (next === undefined) {
    throw new PerpkitError('invalid-transition', `order event '${event}' is illegal in state '${state}'`, { details: { from: state, event } })
  }
  return next
}

/**
 * True for terminal states (`filled`, `rejected`, `canceled`, `expired`).
 * @param state - an order state
 * @returns whether it is terminal
 * @example
 * ```ts
 * import { isTerminalOrderState } from '@perpkit/oms'
 * isTerminalOrderState('canceled') // true
 * ```
 */
export function isTerminalOrderState(state: OrderState): boolean {
  return TERMINAL_STATES.includes(state)
}
