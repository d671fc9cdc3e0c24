/**
 * `@perpkit/ops`: what a bot needs to run unattended. Single-instance lock, heartbeat file and watchdog, process
 * exception hook and graceful shutdown, alerts (Telegram send-only, Slack, webhook), Prometheus metrics and
 * structured logs. This is the package that touches the process, the file system and HTTP; the libraries below it
 * stay pure, and an app composes them with this.
 *
 * @example
 * ```ts
 * import { acquireInstanceLock, createBotMetrics, serveMetrics } from '@perpkit/ops'
 * import { systemClock } from '@perpkit/core'
 * const lock = acquireInstanceLock({ dir: '/tmp/perpkit', account: 'main', symbol: 'BTC/USDT:USDT', clock: systemClock })
 * const metrics = createBotMetrics()
 * const server = await serveMetrics({ registry: metrics.registry, port: 0 })
 * await server.close()
 * lock.release()
 * ```
 * @packageDocumentation
 */
export { type AlertChannel, type AlertMessage, type HttpChannelOptions, type SlackChannelOptions, type TelegramChannelOptions, type WebhookChannelOptions, createSlackChannel, createTelegramChannel, createWebhookChannel } from './alert-channels.js'
export { ALERT_EVENT_TYPES, type AlertEvent, type AlertSeverity, type FillRole, type FillSide, type FormattedAlert, type HaltScope, formatAlert } from './alert-events.js'
export { type Alerter, type AlerterOptions, type NotifyOutcome, createAlerter } from './alerter.js'
export { type Heartbeat, type HeartbeatCheck, type HeartbeatOptions, type HeartbeatRecord, type HeartbeatStatus, checkHeartbeat, createHeartbeat } from './heartbeat.js'
export { type InstanceLock, type InstanceLockOptions, InstanceLockedError, type LockOwner, acquireInstanceLock, lockFileName, pidIsAlive } from './instance-lock.js'
export { type FatalAction, type Lifecycle, type LifecycleEvent, type LifecycleOptions, type ProcessEvents, type ShutdownReason, type ShutdownReport, type ShutdownStep, type StepOutcome, createLifecycle } from './lifecycle.js'
export { DEFAULT_REDACT_PATHS, type LogLevel, type LogRotation, type Logger, type LoggerSetup, closeLogger, componentLogger, createLogger } from './logger.js'
export { BOT_METRIC_NAMES, type BotMetrics, type BotMetricsOptions, DECISION_LATENCY_BUCKETS_SECONDS, RISK_MODE_LABELS, type RiskModeLabel, STOP_STATUS_LABELS, type StopStatusLabel, createBotMetrics } from './metrics.js'
export { type MetricsServer, type MetricsServerOptions, serveMetrics } from './metrics-server.js'
export { type LoopDelaySource, type Stall, type Watchdog, type WatchdogOptions, createWatchdog, eventLoopDelaySource } from './watchdog.js'
