import { createTestClock, isPerpkitError, systemClock } from '@perpkit/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSlackChannel, createTelegramChannel, createWebhookChannel } from '../src/alert-channels.js'
import { ALERT_EVENT_TYPES, type AlertEvent, formatAlert } from '../src/alert-events.js'
import { createAlerter } from '../src/alerter.js'
import { startFakeChatServer } from './fake-chat-server.js'

const TOKEN = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11'
const SLACK_PATH = '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'
let fake: Awaited<ReturnType<typeof startFakeChatServer>>

beforeEach(async () => {
  fake = await startFakeChatServer({ token: TOKEN, slackPath: SLACK_PATH })
})
afterEach(async () => {
  await fake.close()
})

/** Channels to the fake; the clock only drives dedupe/rate windows, HTTP timeouts use the wall clock. */
function setup(opts: { maxMessages?: number; dedupeWindowMs?: number } = {}) {
  const clock = createTestClock(1_700_000_000_000)
  const errors: { channel: string; error: unknown }[] = []
  const slackUrl = `${fake.base}${SLACK_PATH}`
  const alerter = createAlerter({
    clock,
    label: 'btc-bot',
    dedupeWindowMs: opts.dedupeWindowMs ?? 60_000,
    rateLimit: { maxMessages: opts.maxMessages ?? 20, windowMs: 60_000 },
    secrets: [TOKEN, slackUrl, 'sk-live-apikey-0001'],
    onError: (error, channel) => errors.push({ channel, error }),
    channels: [
      createTelegramChannel({ botToken: TOKEN, chatId: '987654321', baseUrl: fake.base, clock: systemClock }),
      createSlackChannel({ webhookUrl: slackUrl, clock: systemClock }),
      createWebhookChannel({ url: `${fake.base}/hook`, clock: systemClock }),
    ],
  })
  return { clock, alerter, errors }
}
const telegramTexts = (): string[] => fake.received.filter((r) => r.path.endsWith('/sendMessage')).map((r) => (r.body as { text: string }).text)
const slackTexts = (): string[] => fake.received.filter((r) => r.path === SLACK_PATH).map((r) => (r.body as { text: string }).text)

describe('alerts to local fake Telegram / Slack / webhook servers', () => {
  it('sends each event to every channel in its documented shape, and never calls getUpdates', async () => {
    const { alerter, errors } = setup()
    expect(await alerter.notify({ type: 'halt', scope: 'symbol', symbol: 'BTC/USDT:USDT', reason: 'daily loss limit' })).toBe('sent')
    expect(await alerter.notify({ type: 'fill', symbol: 'BTC/USDT:USDT', side: 'buy', role: 'entry', qty: '0.010', price: '65000.1' })).toBe('sent')
    expect(errors).toEqual([])
    const tg = fake.received.filter((r) => r.path.startsWith('/bot'))
    expect(tg.map((r) => [r.method, r.path])).toEqual([
      ['POST', `/bot${TOKEN}/sendMessage`],
      ['POST', `/bot${TOKEN}/sendMessage`],
    ])
    expect(tg[0]?.body).toEqual({ chat_id: '987654321', text: '[btc-bot] HALT BTC/USDT:USDT: daily loss limit', disable_notification: false, link_preview_options: { is_disabled: true } })
    expect(tg[1]?.body).toMatchObject({ text: '[btc-bot] FILL BTC/USDT:USDT entry buy 0.010 @ 65000.1', disable_notification: true })
    expect(slackTexts()).toEqual(['[btc-bot] HALT BTC/USDT:USDT: daily loss limit', '[btc-bot] FILL BTC/USDT:USDT entry buy 0.010 @ 65000.1'])
    const hook = fake.received.filter((r) => r.path === '/hook')
    expect(hook[0]?.body).toEqual({
      text: '[btc-bot] HALT BTC/USDT:USDT: daily loss limit',
      severity: 'critical',
      count: 1,
      event: { type: 'halt', scope: 'symbol', symbol: 'BTC/USDT:USDT', reason: 'daily loss limit' },
    })
    expect(fake.received.some((r) => r.path.includes('getUpdates'))).toBe(false)
  })

  it('de-duplicates the same key within the window into one follow-up with a count', async () => {
    const { alerter, clock } = setup({ dedupeWindowMs: 60_000 })
    const storm: AlertEvent = { type: 'reconnect-storm', stream: 'user-stream', reconnects: 6, windowMs: 300_000 }
    expect(await alerter.notify(storm)).toBe('sent')
    for (let i = 0; i < 4; i++) {
      clock.advance(5000)
      expect(await alerter.notify(storm)).toBe('deduplicated')
    }
    expect(telegramTexts()).toEqual(['[btc-bot] RECONNECT STORM user-stream: 6 reconnects in 300 s'])
    await clock.advanceAsync(40_000) // window of the first event ends at +60 s
    await new Promise((r) => setTimeout(r, 100)) // the follow-up is sent from the timer
    expect(telegramTexts()).toEqual([
      '[btc-bot] RECONNECT STORM user-stream: 6 reconnects in 300 s',
      '[btc-bot] RECONNECT STORM user-stream: 6 reconnects in 300 s (×5 in the last 60 s)',
    ])
    // a new window: sent again at once
    expect(await alerter.notify(storm)).toBe('sent')
    expect(telegramTexts()).toHaveLength(3)
    alerter.close()
  })

  it('rate-limits non-critical messages, never critical ones, and says how many were dropped', async () => {
    const { alerter, clock } = setup({ maxMessages: 2 })
    const fill = (price: string): AlertEvent => ({ type: 'fill', symbol: 'ETH/USDT:USDT', side: 'sell', role: 'exit', qty: '1', price })
    expect(await alerter.notify(fill('3000'))).toBe('sent')
    expect(await alerter.notify(fill('3001'))).toBe('sent')
    expect(await alerter.notify(fill('3002'))).toBe('rate-limited')
    expect(await alerter.notify(fill('3003'))).toBe('rate-limited')
    expect(await alerter.notify({ type: 'stop-missing', symbol: 'ETH/USDT:USDT', detail: 'not on the book after fill' })).toBe('sent')
    clock.advance(60_000)
    expect(await alerter.notify(fill('3004'))).toBe('sent')
    expect(telegramTexts()).toEqual([
      '[btc-bot] FILL ETH/USDT:USDT exit sell 1 @ 3000',
      '[btc-bot] FILL ETH/USDT:USDT exit sell 1 @ 3001',
      '[btc-bot] STOP MISSING ETH/USDT:USDT: not on the book after fill (2 earlier alerts dropped by the rate limit)',
      '[btc-bot] FILL ETH/USDT:USDT exit sell 1 @ 3004',
    ])
    alerter.close()
  })

  it('keeps secrets out of every message and every error', async () => {
    const { alerter, errors } = setup()
    await alerter.notify({ type: 'halt', scope: 'account', reason: `key sk-live-apikey-0001 rejected by ${fake.base}${SLACK_PATH}` })
    for (const r of fake.received) {
      expect(r.raw).not.toContain('sk-live-apikey-0001')
      expect(r.raw).not.toContain(SLACK_PATH)
      expect(r.raw).not.toContain(TOKEN)
    }
    expect(telegramTexts()[0]).toBe('[btc-bot] HALT account: key [redacted] rejected by [redacted]')
    // Telegram's documented flood answer: 429 with parameters.retry_after (seconds)
    fake.replyTelegram({ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } } })
    await alerter.notify({ type: 'resume', scope: 'account', reason: 'manual' })
    const tgError = errors.find((e) => e.channel === 'telegram')?.error
    expect(isPerpkitError(tgError, 'rate-limited')).toBe(true)
    expect((tgError as { retryAfterMs?: number }).retryAfterMs).toBe(3000)
    expect(String((tgError as Error).message)).not.toContain(TOKEN)
    alerter.close()
  })

  it('maps a wrong token to authentication and an unreachable host to network, without the URL', async () => {
    const clock = systemClock
    const wrong = createTelegramChannel({ botToken: '1:wrong', chatId: '1', baseUrl: fake.base, clock })
    await expect(wrong.send({ text: 'x', severity: 'info', count: 1 })).rejects.toMatchObject({ code: 'authentication' })
    await fake.close()
    const down = createSlackChannel({ webhookUrl: `${fake.base}${SLACK_PATH}`, clock })
    const err = await down.send({ text: 'x', severity: 'info', count: 1 }).catch((e: unknown) => e)
    expect(isPerpkitError(err, 'network')).toBe(true)
    expect((err as Error).message).not.toContain(SLACK_PATH)
    fake = await startFakeChatServer({ token: TOKEN, slackPath: SLACK_PATH }) // for afterEach
  })
})

describe('formatAlert', () => {
  it('renders every event type with a key and severity', () => {
    const samples: AlertEvent[] = [
      { type: 'start', mode: 'testnet', symbols: ['BTC/USDT:USDT'], version: '0.1.0' },
      { type: 'stop', reason: 'signal', detail: 'SIGTERM' },
      { type: 'fill', symbol: 'S', side: 'buy', role: 'entry', qty: '1', price: '2' },
      { type: 'stop-placed', symbol: 'S', triggerPrice: '95', qty: '1' },
      { type: 'stop-moved', symbol: 'S', fromPrice: '95', toPrice: '97.5' },
      { type: 'stop-missing', symbol: 'S', detail: 'gone' },
      { type: 'halt', scope: 'account', reason: 'drawdown' },
      { type: 'resume', scope: 'symbol', symbol: 'S', reason: 'manual' },
      { type: 'breaker-trip', reason: '3 losses', cooldownMs: 900_000 },
      { type: 'reconnect-storm', stream: 'market-data', reconnects: 5, windowMs: 60_000 },
      { type: 'daily-summary', dateUtc: '2026-12-04', equity: '10250.50', pnl: '+250.50', currency: 'USDT', trades: 7, halts: 0 },
    ]
    expect(samples.map((e) => e.type)).toEqual([...ALERT_EVENT_TYPES])
    expect(samples.map((e) => formatAlert(e).text)).toEqual([
      'START testnet BTC/USDT:USDT (v0.1.0)',
      'STOP (signal): SIGTERM',
      'FILL S entry buy 1 @ 2',
      'STOP PLACED S 1 @ 95',
      'STOP MOVED S 95 → 97.5',
      'STOP MISSING S: gone',
      'HALT account: drawdown',
      'RESUME S: manual',
      'BREAKER TRIP: 3 losses (cooldown 900 s)',
      'RECONNECT STORM market-data: 5 reconnects in 60 s',
      'DAILY 2026-12-04: equity 10250.50 USDT, PnL +250.50 USDT, 7 trades, 0 halts',
    ])
    expect(samples.filter((e) => formatAlert(e).severity === 'critical').map((e) => e.type)).toEqual(['stop-missing', 'halt', 'breaker-trip'])
  })
})
