import { type Clock, InvalidInputError, PerpkitError } from '@perpkit/core'
import type { AlertEvent, AlertSeverity } from './alert-events.js'

/** A message handed to a channel. */
export interface AlertMessage {
  /** The final text (prefix, counts and redaction applied). */
  readonly text: string
  /** Urgency. */
  readonly severity: AlertSeverity
  /** The event behind the message (absent for the alerter's own summaries). */
  readonly event?: AlertEvent
  /** How many events this message stands for (more than 1 after de-duplication). */
  readonly count: number
}

/** Somewhere alerts go. `send` rejects with a `PerpkitError` when the message was not accepted. */
export interface AlertChannel {
  /** Channel name for error reports (`telegram`, `slack`, `webhook`). */
  readonly name: string
  /** Deliver one message. */
  send(message: AlertMessage): Promise<void>
}

/** HTTP options shared by the channels. */
export interface HttpChannelOptions {
  /** Clock for the request timeout. */
  readonly clock: Clock
  /** Request timeout (default 10,000 ms). */
  readonly timeoutMs?: number
  /** fetch implementation (default the global `fetch`). */
  readonly fetch?: typeof fetch
}

async function postJson(args: {
  readonly channel: string
  readonly url: string
  readonly body: unknown
  readonly options: HttpChannelOptions
}): Promise<{ readonly status: number; readonly text: string }> {
  const doFetch = args.options.fetch ?? fetch
  const controller = new AbortController()
  const cancel = args.options.clock.setTimer(args.options.timeoutMs ?? 10_000, () => controller.abort())
  try {
    const res = await doFetch(args.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args.body),
      signal: controller.signal,
    })
    return { status: res.status, text: await res.text() }
  } catch (e) {
    // the URL carries the secret (bot token, webhook path): never put it, or the cause's text, in the message
    throw new PerpkitError('network', `${args.channel}: request failed (${e instanceof Error ? e.name : 'error'})`, { retryable: true })
  } finally {
    cancel()
  }
}

function failure(channel: string, status: number, detail: string, retryAfterMs?: number): PerpkitError {
  const code = status === 401 || status === 403 || status === 404 ? 'authentication' : status === 429 ? 'rate-limited' : 'venue-rejected'
  return new PerpkitError(code, `${channel}: HTTP ${status}${detail === '' ? '' : ` ${detail}`}`, {
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    retryable: status === 429 || status >= 500,
  })
}

function requireText(value: string, path: string): void {
  if (value.trim() === '') throw new InvalidInputError('must not be empty', { path })
}

/** Options of {@link createTelegramChannel}. */
export interface TelegramChannelOptions extends HttpChannelOptions {
  /** Bot token from BotFather (kept out of every message and error). */
  readonly botToken: string
  /** Chat id (a user, group or channel the bot may write to). */
  readonly chatId: string
  /** API base URL (default `https://api.telegram.org`; a local fake in tests). */
  readonly baseUrl?: string
}

/**
 * Telegram, send-only: it calls `sendMessage` and nothing else. It never polls `getUpdates`, so any number of bot
 * instances (or another program using the same token for commands) can share a token without conflicting. Info
 * alerts are sent silently (`disable_notification`). Throws `InvalidInputError` for an empty token or chat id.
 *
 * @example
 * ```ts
 * import { createTelegramChannel } from '@perpkit/ops'
 * import { systemClock } from '@perpkit/core'
 * const telegram = createTelegramChannel({ botToken: process.env.TELEGRAM_BOT_TOKEN ?? '', chatId: '123456', clock: systemClock })
 * await telegram.send({ text: 'HALT BTC/USDT:USDT: daily loss limit', severity: 'critical', count: 1 })
 * ```
 */
export function createTelegramChannel(options: TelegramChannelOptions): AlertChannel {
  requireText(options.botToken, 'botToken')
  requireText(options.chatId, 'chatId')
  const url = `${(options.baseUrl ?? 'https://api.telegram.org').replace(/\/+$/, '')}/bot${options.botToken}/sendMessage`
  return {
    name: 'telegram',
    async send(message) {
      const res = await postJson({
        channel: 'telegram',
        url,
        options,
        body: { chat_id: options.chatId, text: message.text, disable_notification: message.severity === 'info', link_preview_options: { is_disabled: true } },
      })
      let answer: { ok?: boolean; description?: string; parameters?: { retry_after?: number } } = {}
      try {
        answer = JSON.parse(res.text) as typeof answer
      } catch {
        // not JSON: judged by the status below
      }
      if (res.status === 200 && answer.ok === true) return
      const retryAfter = answer.parameters?.retry_after
      throw failure('telegram', res.status, String(answer.description ?? '').replaceAll(options.botToken, '[redacted]'), retryAfter === undefined ? undefined : retryAfter * 1000)
    },
  }
}

/** Options of {@link createSlackChannel}. */
export interface SlackChannelOptions extends HttpChannelOptions {
  /** Incoming-webhook URL (`https://hooks.slack.com/services/...`; a secret). */
  readonly webhookUrl: string
}

/**
 * Slack incoming webhook: POST `{ text }`; Slack answers 200 `ok`. Throws `InvalidInputError` for an empty URL.
 *
 * @example
 * ```ts
 * import { createSlackChannel } from '@perpkit/ops'
 * import { systemClock } from '@perpkit/core'
 * const slack = createSlackChannel({ webhookUrl: process.env.SLACK_WEBHOOK_URL ?? '', clock: systemClock })
 * await slack.send({ text: 'STOP MISSING BTC/USDT:USDT: not on the book', severity: 'critical', count: 1 })
 * ```
 */
export function createSlackChannel(options: SlackChannelOptions): AlertChannel {
  requireText(options.webhookUrl, 'webhookUrl')
  return postingChannel({ name: 'slack', url: options.webhookUrl, options, body: (m) => ({ text: m.text }), accepted: (status) => status === 200 })
}

/** A channel that POSTs one JSON body per message and judges the answer by its status. */
function postingChannel(args: {
  readonly name: string
  readonly url: string
  readonly options: HttpChannelOptions
  readonly body: (message: AlertMessage) => unknown
  readonly accepted: (status: number) => boolean
}): AlertChannel {
  return {
    name: args.name,
    async send(message) {
      const res = await postJson({ channel: args.name, url: args.url, options: args.options, body: args.body(message) })
      if (!args.accepted(res.status)) throw failure(args.name, res.status, res.text.slice(0, 200))
    },
  }
}

/** Options of {@link createWebhookChannel}. */
export interface WebhookChannelOptions extends HttpChannelOptions {
  /** Where to POST. */
  readonly url: string
}

/**
 * Generic JSON webhook: POST `{ text, severity, count, event }`; any 2xx answer is success. Throws
 * `InvalidInputError` for an empty URL.
 *
 * @example
 * ```ts
 * import { createWebhookChannel } from '@perpkit/ops'
 * import { systemClock } from '@perpkit/core'
 * const hook = createWebhookChannel({ url: 'http://127.0.0.1:8080/alerts', clock: systemClock })
 * await hook.send({ text: 'RESUME account: manual', severity: 'warning', count: 1 })
 * ```
 */
export function createWebhookChannel(options: WebhookChannelOptions): AlertChannel {
  requireText(options.url, 'url')
  return postingChannel({
    name: 'webhook',
    url: options.url,
    options,
    body: (m) => ({ text: m.text, severity: m.severity, count: m.count, ...(m.event === undefined ? {} : { event: m.event }) }),
    accepted: (status) => status >= 200 && status < 300,
  })
}
