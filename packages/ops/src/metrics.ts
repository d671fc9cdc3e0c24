import type { OrderStatus } from '@perpkit/core'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** Protective-stop status of a symbol (the order manager's `StopStatus`). */
export type StopStatusLabel = 'NONE' | 'ACTIVE' | 'PENDING' | 'MISSING' | 'ERROR'

/** Trading mode of the risk layer (`ACTIVE` trades, `REDUCING` only reduces, `HALTED` opens nothing). */
export type RiskModeLabel = 'ACTIVE' | 'REDUCING' | 'HALTED'

/**
 * Every stop status, in a stable order.
 *
 * @example
 * ```ts
 * import { STOP_STATUS_LABELS } from '@perpkit/ops'
 * STOP_STATUS_LABELS.length // 5
 * ```
 */
export const STOP_STATUS_LABELS = ['NONE', 'ACTIVE', 'PENDING', 'MISSING', 'ERROR'] as const satisfies readonly StopStatusLabel[]

/**
 * Every risk mode, in a stable order.
 *
 * @example
 * ```ts
 * import { RISK_MODE_LABELS } from '@perpkit/ops'
 * RISK_MODE_LABELS.includes('HALTED') // true
 * ```
 */
export const RISK_MODE_LABELS = ['ACTIVE', 'REDUCING', 'HALTED'] as const satisfies readonly RiskModeLabel[]

/**
 * Names of the metrics {@link createBotMetrics} registers (without the default `process_*` / `nodejs_*` ones).
 * The shipped Grafana dashboard only queries these.
 *
 * @example
 * ```ts
 * import { BOT_METRIC_NAMES } from '@perpkit/ops'
 * BOT_METRIC_NAMES.includes('perpkit_equity') // true
 * ```
 */
export const BOT_METRIC_NAMES = [
  'perpkit_equity',
  'perpkit_position_contracts',
  'perpkit_realized_pnl',
  'perpkit_unrealized_pnl',
  'perpkit_orders',
  'perpkit_stop_status',
  'perpkit_halted',
  'perpkit_halts_total',
  'perpkit_risk_mode',
  'perpkit_ws_staleness_seconds',
  'perpkit_request_budget_used_ratio',
  'perpkit_event_loop_lag_seconds',
  'perpkit_decision_latency_seconds',
] as const

/**
 * Buckets of the decision latency histogram, seconds (1 ms … 5 s).
 *
 * @example
 * ```ts
 * import { DECISION_LATENCY_BUCKETS_SECONDS } from '@perpkit/ops'
 * DECISION_LATENCY_BUCKETS_SECONDS[0] // 0.001
 * ```
 */
export const DECISION_LATENCY_BUCKETS_SECONDS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

/** The bot's metrics, with setters that keep label sets closed. */
export interface BotMetrics {
  /** The registry to serve (see {@link serveMetrics}). */
  readonly registry: Registry
  /** Account equity in its settlement currency. */
  setEquity(args: { readonly account: string; readonly currency: string; readonly equity: number }): void
  /** Signed position size in contracts (long > 0, short < 0). */
  setPosition(args: { readonly symbol: string; readonly qtyContracts: number }): void
  /** Realized and unrealized PnL of a symbol. */
  setPnl(args: { readonly symbol: string; readonly currency: string; readonly realized: number; readonly unrealized: number }): void
  /** Number of orders in each state for a symbol (states not given are set to 0). */
  setOrders(args: { readonly symbol: string; readonly byState: Partial<Record<OrderStatus, number>> }): void
  /** Current protective-stop status of a symbol (1 on the current status, 0 on the others). */
  setStopStatus(args: { readonly symbol: string; readonly status: StopStatusLabel }): void
  /** A halt started (counts it by reason and marks the scope halted). */
  recordHalt(args: { readonly scope: string; readonly reason: string }): void
  /** A halt ended. */
  recordResume(args: { readonly scope: string }): void
  /** Current risk mode (1 on the current mode, 0 on the others). */
  setRiskMode(mode: RiskModeLabel): void
  /** Seconds since a stream last delivered a message. */
  setStreamStaleness(args: { readonly stream: string; readonly seconds: number }): void
  /** Share of the venue's request budget in use, 0…1. */
  setRequestBudgetUsed(args: { readonly venue: string; readonly ratio: number }): void
  /** Largest event-loop lag of the last watchdog check, ms. */
  setEventLoopLagMs(lagMs: number): void
  /** Time from market event to decision, ms. */
  observeDecisionLatencyMs(latencyMs: number): void
}

/** Options of {@link createBotMetrics}. */
export interface BotMetricsOptions {
  /** Use this registry instead of a fresh one. */
  readonly registry?: Registry
  /** Also collect prom-client's default process metrics (default true). */
  readonly defaultMetrics?: boolean
  /** Labels added to every series, e.g. `{ bot: 'btc-bot' }`. */
  readonly defaultLabels?: Readonly<Record<string, string>>
}

const ORDER_STATES: readonly OrderStatus[] = ['open', 'untriggered', 'triggered', 'partially-filled', 'filled', 'canceled', 'rejected', 'expired']

/**
 * Create the bot's Prometheus metrics ({@link BOT_METRIC_NAMES}) in their own registry.
 *
 * @example
 * ```ts
 * import { createBotMetrics } from '@perpkit/ops'
 * const metrics = createBotMetrics({ defaultLabels: { bot: 'btc-bot' } })
 * metrics.setEquity({ account: 'main', currency: 'USDT', equity: 10_250.5 })
 * metrics.setStopStatus({ symbol: 'BTC/USDT:USDT', status: 'ACTIVE' })
 * metrics.observeDecisionLatencyMs(3.2)
 * const text = await metrics.registry.metrics() // Prometheus text format
 * ```
 */
export function createBotMetrics(options: BotMetricsOptions = {}): BotMetrics {
  const registry = options.registry ?? new Registry()
  if (options.defaultLabels !== undefined) registry.setDefaultLabels({ ...options.defaultLabels })
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry })
  const registers = [registry]
  const equity = new Gauge({ name: 'perpkit_equity', help: 'Account equity in its settlement currency', labelNames: ['account', 'currency'], registers })
  const position = new Gauge({ name: 'perpkit_position_contracts', help: 'Signed position size in contracts (long > 0, short < 0)', labelNames: ['symbol'], registers })
  const realized = new Gauge({ name: 'perpkit_realized_pnl', help: 'Realized PnL of the session', labelNames: ['symbol', 'currency'], registers })
  const unrealized = new Gauge({ name: 'perpkit_unrealized_pnl', help: 'Unrealized PnL at the mark price', labelNames: ['symbol', 'currency'], registers })
  const orders = new Gauge({ name: 'perpkit_orders', help: 'Orders known to the order manager, by state', labelNames: ['symbol', 'state'], registers })
  const stop = new Gauge({ name: 'perpkit_stop_status', help: 'Protective stop status (1 on the current status)', labelNames: ['symbol', 'status'], registers })
  const halted = new Gauge({ name: 'perpkit_halted', help: '1 while the scope (account or symbol) is halted', labelNames: ['scope'], registers })
  const halts = new Counter({ name: 'perpkit_halts_total', help: 'Halts, by reason', labelNames: ['scope', 'reason'], registers })
  const riskMode = new Gauge({ name: 'perpkit_risk_mode', help: 'Risk trading mode (1 on the current mode)', labelNames: ['mode'], registers })
  const staleness = new Gauge({ name: 'perpkit_ws_staleness_seconds', help: 'Seconds since the stream last delivered a message', labelNames: ['stream'], registers })
  const budget = new Gauge({ name: 'perpkit_request_budget_used_ratio', help: "Share of the venue's request budget in use (0..1)", labelNames: ['venue'], registers })
  const lag = new Gauge({ name: 'perpkit_event_loop_lag_seconds', help: 'Largest event-loop lag seen by the last watchdog check', registers })
  const latency = new Histogram({
    name: 'perpkit_decision_latency_seconds',
    help: 'Time from a market event to the decision on it',
    buckets: [...DECISION_LATENCY_BUCKETS_SECONDS],
    registers,
  })
  return {
    registry,
    setEquity: (a) => equity.set({ account: a.account, currency: a.currency }, a.equity),
    setPosition: (a) => position.set({ symbol: a.symbol }, a.qtyContracts),
    setPnl: (a) => {
      realized.set({ symbol: a.symbol, currency: a.currency }, a.realized)
      unrealized.set({ symbol: a.symbol, currency: a.currency }, a.unrealized)
    },
    setOrders: (a) => {
      for (const state of ORDER_STATES) orders.set({ symbol: a.symbol, state }, a.byState[state] ?? 0)
    },
    setStopStatus: (a) => {
      for (const status of STOP_STATUS_LABELS) stop.set({ symbol: a.symbol, status }, status === a.status ? 1 : 0)
    },
    recordHalt: (a) => {
      halts.inc({ scope: a.scope, reason: a.reason })
      halted.set({ scope: a.scope }, 1)
    },
    recordResume: (a) => halted.set({ scope: a.scope }, 0),
    setRiskMode: (mode) => {
      for (const m of RISK_MODE_LABELS) riskMode.set({ mode: m }, m === mode ? 1 : 0)
    },
    setStreamStaleness: (a) => staleness.set({ stream: a.stream }, a.seconds),
    setRequestBudgetUsed: (a) => budget.set({ venue: a.venue }, a.ratio),
    setEventLoopLagMs: (ms) => lag.set(ms / 1000),
    observeDecisionLatencyMs: (ms) => latency.observe(ms / 1000),
  }
}
