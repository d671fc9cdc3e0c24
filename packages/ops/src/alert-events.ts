/** Side of a fill. */
export type FillSide = 'buy' | 'sell'

/** What a fill did to the position. */
export type FillRole = 'entry' | 'exit' | 'stop' | 'take-profit' | 'liquidation'

/** Scope of a halt or resume. */
export type HaltScope = 'symbol' | 'account'

/**
 * Everything the bot alerts on, a discriminated union on `type`. Values are the app's (no secrets: the alerter
 * also scrubs the configured secrets from every text).
 */
export type AlertEvent =
  | { readonly type: 'start'; readonly mode: 'live' | 'testnet' | 'paper'; readonly symbols: readonly string[]; readonly version?: string }
  | { readonly type: 'stop'; readonly reason: 'signal' | 'fatal' | 'requested'; readonly detail?: string }
  | { readonly type: 'fill'; readonly symbol: string; readonly side: FillSide; readonly role: FillRole; readonly qty: string; readonly price: string }
  | { readonly type: 'stop-placed'; readonly symbol: string; readonly triggerPrice: string; readonly qty: string }
  | { readonly type: 'stop-moved'; readonly symbol: string; readonly fromPrice: string; readonly toPrice: string }
  | { readonly type: 'stop-missing'; readonly symbol: string; readonly detail: string }
  | { readonly type: 'halt'; readonly scope: HaltScope; readonly symbol?: string; readonly reason: string }
  | { readonly type: 'resume'; readonly scope: HaltScope; readonly symbol?: string; readonly reason: string }
  | { readonly type: 'breaker-trip'; readonly reason: string; readonly symbol?: string; readonly cooldownMs?: number }
  | { readonly type: 'reconnect-storm'; readonly stream: string; readonly reconnects: number; readonly windowMs: number }
  | {
      readonly type: 'daily-summary'
      readonly dateUtc: string
      readonly equity: string
      readonly pnl: string
      readonly currency: string
      readonly trades: number
      readonly halts: number
    }

/**
 * Every alert event type, in a stable order.
 *
 * @example
 * ```ts
 * import { ALERT_EVENT_TYPES } from '@perpkit/ops'
 * ALERT_EVENT_TYPES.includes('stop-missing') // true
 * ```
 */
export const ALERT_EVENT_TYPES = [
  'start',
  'stop',
  'fill',
  'stop-placed',
  'stop-moved',
  'stop-missing',
  'halt',
  'resume',
  'breaker-trip',
  'reconnect-storm',
  'daily-summary',
] as const satisfies readonly AlertEvent['type'][]

/** How urgent an alert is. */
export type AlertSeverity = 'info' | 'warning' | 'critical'

/** An event rendered for a channel. */
export interface FormattedAlert {
  /** Events with the same key within the dedupe window are sent once, with a count. */
  readonly key: string
  /** Urgency (critical alerts are never dropped by the rate limit). */
  readonly severity: AlertSeverity
  /** One plain-text message (no markup, so nothing needs escaping). */
  readonly text: string
}

const SEVERITY: Readonly<Record<AlertEvent['type'], AlertSeverity>> = {
  start: 'info',
  stop: 'warning',
  fill: 'info',
  'stop-placed': 'info',
  'stop-moved': 'info',
  'stop-missing': 'critical',
  halt: 'critical',
  resume: 'warning',
  'breaker-trip': 'critical',
  'reconnect-storm': 'warning',
  'daily-summary': 'info',
}

const scopeText = (scope: HaltScope, symbol: string | undefined): string => (scope === 'account' ? 'account' : (symbol ?? 'symbol'))

/**
 * Render an alert event: its dedupe key, severity and text.
 *
 * @example
 * ```ts
 * import { formatAlert } from '@perpkit/ops'
 * const alert = formatAlert({ type: 'halt', scope: 'symbol', symbol: 'BTC/USDT:USDT', reason: 'daily loss limit' })
 * alert.text // 'HALT BTC/USDT:USDT: daily loss limit'
 * alert.severity // 'critical'
 * ```
 */
export function formatAlert(event: AlertEvent): FormattedAlert {
  const severity = SEVERITY[event.type]
  switch (event.type) {
    case 'start':
      return { key: 'start', severity, text: `START ${event.mode} ${event.symbols.join(', ')}${event.version === undefined ? '' : ` (v${event.version})`}` }
    case 'stop':
      return { key: 'stop', severity, text: `STOP (${event.reason})${event.detail === undefined ? '' : `: ${event.detail}`}` }
    case 'fill':
      return { key: `fill:${event.symbol}:${event.role}:${event.side}:${event.price}:${event.qty}`, severity, text: `FILL ${event.symbol} ${event.role} ${event.side} ${event.qty} @ ${event.price}` }
    case 'stop-placed':
      return { key: `stop-placed:${event.symbol}:${event.triggerPrice}`, severity, text: `STOP PLACED ${event.symbol} ${event.qty} @ ${event.triggerPrice}` }
    case 'stop-moved':
      return { key: `stop-moved:${event.symbol}:${event.toPrice}`, severity, text: `STOP MOVED ${event.symbol} ${event.fromPrice} → ${event.toPrice}` }
    case 'stop-missing':
      return { key: `stop-missing:${event.symbol}`, severity, text: `STOP MISSING ${event.symbol}: ${event.detail}` }
    case 'halt':
      return { key: `halt:${event.scope}:${event.symbol ?? ''}:${event.reason}`, severity, text: `HALT ${scopeText(event.scope, event.symbol)}: ${event.reason}` }
    case 'resume':
      return { key: `resume:${event.scope}:${event.symbol ?? ''}`, severity, text: `RESUME ${scopeText(event.scope, event.symbol)}: ${event.reason}` }
    case 'breaker-trip':
      return {
        key: `breaker-trip:${event.symbol ?? ''}:${event.reason}`,
        severity,
        text: `BREAKER TRIP${event.symbol === undefined ? '' : ` ${event.symbol}`}: ${event.reason}${event.cooldownMs === undefined ? '' : ` (cooldown ${Math.round(event.cooldownMs / 1000)} s)`}`,
      }
    case 'reconnect-storm':
      return { key: `reconnect-storm:${event.stream}`, severity, text: `RECONNECT STORM ${event.stream}: ${event.reconnects} reconnects in ${Math.round(event.windowMs / 1000)} s` }
    case 'daily-summary':
      return {
        key: `daily-summary:${event.dateUtc}`,
        severity,
        text: `DAILY ${event.dateUtc}: equity ${event.equity} ${event.currency}, PnL ${event.pnl} ${event.currency}, ${event.trades} trades, ${event.halts} halts`,
      }
  }
}
