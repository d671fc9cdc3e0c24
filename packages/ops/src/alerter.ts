import { type CancelTimer, type Clock, InvalidInputError } from '@perpkit/core'
import type { AlertChannel, AlertMessage } from './alert-channels.js'
import { type AlertEvent, formatAlert } from './alert-events.js'

/** Options of {@link createAlerter}. */
export interface AlerterOptions {
  /** Where messages go (all of them, in parallel). */
  readonly channels: readonly AlertChannel[]
  /** Clock for the dedupe and rate windows. */
  readonly clock: Clock
  /** Events with the same key within this window are sent once; the repeats follow as one count (default 60,000 ms). */
  readonly dedupeWindowMs?: number
  /** At most `maxMessages` per `windowMs` (default 20 per 60,000 ms); critical alerts are never dropped. */
  readonly rateLimit?: { readonly maxMessages: number; readonly windowMs: number }
  /** Strings that must never appear in a message (API keys, tokens, webhook URLs): replaced by `[redacted]`. */
  readonly secrets?: readonly string[]
  /** Prepended to every text, e.g. the bot's name: `[btc-bot] HALT ...`. */
  readonly label?: string
  /** A channel failed to deliver (log it; the alerter never throws). */
  readonly onError?: (error: unknown, channel: string) => void
}

/** What happened to one event. */
export type NotifyOutcome = 'sent' | 'deduplicated' | 'rate-limited'

/** The alert pipeline: format, de-duplicate, rate-limit, redact, fan out. */
export interface Alerter {
  /** Alert on an event. Resolves when every channel has answered (never rejects). */
  notify(event: AlertEvent): Promise<NotifyOutcome>
  /** Send the pending repeat counts now (e.g. before exit). */
  flush(): Promise<void>
  /** Cancel the timers (pending counts are dropped; call `flush` first to keep them). */
  close(): void
}

interface DedupeEntry {
  readonly firstMs: number
  readonly text: string
  readonly severity: AlertMessage['severity']
  repeats: number
  cancel: CancelTimer
}

/**
 * Build the alert pipeline. The first event of a key is sent at once; repeats of that key within `dedupeWindowMs`
 * are held and counted, and when the window ends one message says how many (`... (×5 in the last 60 s)`). Beyond
 * `rateLimit.maxMessages` per `rateLimit.windowMs`, non-critical messages are dropped and the next message sent
 * says how many were dropped. Every configured secret is replaced by `[redacted]` in the text and in the event
 * forwarded to webhooks. Throws `InvalidInputError` for non-positive windows or limits.
 *
 * @example
 * ```ts
 * import { createAlerter, createTelegramChannel } from '@perpkit/ops'
 * import { systemClock } from '@perpkit/core'
 * const botToken = process.env.TELEGRAM_BOT_TOKEN ?? ''
 * const alerter = createAlerter({
 *   clock: systemClock,
 *   channels: [createTelegramChannel({ botToken, chatId: '123456', clock: systemClock })],
 *   secrets: [botToken],
 *   label: 'btc-bot',
 * })
 * await alerter.notify({ type: 'halt', scope: 'account', reason: 'daily loss limit' })
 * ```
 */
export function createAlerter(options: AlerterOptions): Alerter {
  const dedupeWindowMs = options.dedupeWindowMs ?? 60_000
  const rate = options.rateLimit ?? { maxMessages: 20, windowMs: 60_000 }
  for (const [v, path] of [[dedupeWindowMs, 'dedupeWindowMs'], [rate.maxMessages, 'rateLimit.maxMessages'], [rate.windowMs, 'rateLimit.windowMs']] as const) {
    if (!Number.isFinite(v) || v <= 0) throw new InvalidInputError('must be positive', { path })
  }
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)
  const redact = (text: string): string => secrets.reduce((t, s) => t.replaceAll(s, '[redacted]'), text)
  const prefix = options.label === undefined ? '' : `[${options.label}] `
  const pending = new Map<string, DedupeEntry>()
  const sentAt: number[] = []
  let dropped = 0

  const deliver = async (message: AlertMessage): Promise<void> => {
    await Promise.all(
      options.channels.map(async (channel) => {
        try {
          await channel.send(message)
        } catch (e) {
          options.onError?.(e, channel.name)
        }
      }),
    )
  }
  /** Apply the rate limit and send; returns false when dropped. */
  const emit = async (text: string, severity: AlertMessage['severity'], count: number, event?: AlertEvent): Promise<boolean> => {
    const now = options.clock.now()
    while (sentAt.length > 0 && (sentAt[0] ?? 0) <= now - rate.windowMs) sentAt.shift()
    if (sentAt.length >= rate.maxMessages && severity !== 'critical') {
      dropped++
      return false
    }
    sentAt.push(now)
    const note = dropped > 0 ? ` (${dropped} earlier alert${dropped === 1 ? '' : 's'} dropped by the rate limit)` : ''
    dropped = 0
    const safeEvent = event === undefined ? undefined : (JSON.parse(redact(JSON.stringify(event))) as AlertEvent)
    await deliver({ text: redact(`${prefix}${text}${note}`), severity, count, ...(safeEvent === undefined ? {} : { event: safeEvent }) })
    return true
  }
  const flushKey = async (key: string): Promise<void> => {
    const entry = pending.get(key)
    if (entry === undefined) return
    pending.delete(key)
    entry.cancel()
    if (entry.repeats > 0) {
      await emit(`${entry.text} (×${entry.repeats + 1} in the last ${Math.round(dedupeWindowMs / 1000)} s)`, entry.severity, entry.repeats)
    }
  }

  return {
    async notify(event) {
      const alert = formatAlert(event)
      const existing = pending.get(alert.key)
      if (existing !== undefined && options.clock.now() - existing.firstMs < dedupeWindowMs) {
        existing.repeats++
        return 'deduplicated'
      }
      if (existing !== undefined) await flushKey(alert.key)
      const entry: DedupeEntry = { firstMs: options.clock.now(), text: alert.text, severity: alert.severity, repeats: 0, cancel: () => {} }
      entry.cancel = options.clock.setTimer(dedupeWindowMs, () => void flushKey(alert.key))
      pending.set(alert.key, entry)
      return (await emit(alert.text, alert.severity, 1, event)) ? 'sent' : 'rate-limited'
    },
    async flush() {
      for (const key of [...pending.keys()]) await flushKey(key)
    },
    close() {
      for (const entry of pending.values()) entry.cancel()
      pending.clear()
    },
  }
}
