import { type Candle, createTestClock, type TestClock, type UserStreamEvent } from '@perpkit/core'
import { BINANCE_BTCUSDT, BYBIT_BTCUSD, BYBIT_BTCUSDT } from '@perpkit/core/testing'
import { createSimVenue, type SimVenue, type SimVenueOptions } from '../src/index.js'

export const T0 = Date.UTC(2025, 8, 19) // 2025-09-19 00:00 UTC

export { BINANCE_BTCUSDT, BYBIT_BTCUSD, BYBIT_BTCUSDT }

export interface Rig {
  readonly venue: SimVenue
  readonly clock: TestClock
  readonly events: UserStreamEvent[]
  readonly symbol: string
  /** Feed a candle at the next 5-minute slot (clock advanced to its open). */
  candle(o: number, h: number, l: number, c: number, volume?: number): void
}

export function rig(profile: SimVenueOptions['profile'], extra: Partial<SimVenueOptions> = {}): Rig {
  const clock = createTestClock(T0)
  const ins = profile === 'binance-usdm' ? BINANCE_BTCUSDT : profile === 'bybit-inverse' ? BYBIT_BTCUSD : BYBIT_BTCUSDT
  const venue = createSimVenue({
    profile,
    instruments: [ins],
    balances: profile === 'bybit-inverse' ? { BTC: 1 } : { USDT: 10_000 },
    clock,
    record: { calls: true, events: true },
    ...extra,
  })
  const events: UserStreamEvent[] = []
  venue.subscribeUserStream((e) => events.push(e))
  let slot = 0
  return {
    venue,
    clock,
    events,
    symbol: ins.symbol,
    candle(open, high, low, close, volume = 1_000) {
      const openTimeMs = T0 + slot++ * 300_000
      if (clock.now() < openTimeMs) clock.advanceTo(openTimeMs)
      const candle: Candle = { openTimeMs, open, high, low, close, volume }
      venue.applyCandle({ symbol: ins.symbol, candle })
    },
  }
}

/** Rejection of a promise as a PerpkitError-like record. */
export async function rejection(p: Promise<unknown>): Promise<{ code: string; venueCode: unknown; message: string; retryAfterMs?: number }> {
  try {
    await p
  } catch (e) {
    const x = e as { code: string; venueCode: unknown; message: string; retryAfterMs?: number }
    return x
  }
  throw new Error('expected a rejection')
}
