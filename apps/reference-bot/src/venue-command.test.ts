import { describe, expect, it } from 'vitest'
import { type Io, main } from './cli.js'

describe('perpkit venue', () => {
  it('serves the local Binance venue, replays bars from the embedded data through it, and stops after --bars', async () => {
    let out = ''
    let err = ''
    let base = ''
    const answers: unknown[] = []
    const io: Io = {
      out: (t) => {
        out += t
        base ||= /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? ''
      },
      err: (t) => (err += t),
      env: {},
      isTty: false,
      nowMs: () => Date.UTC(2026, 0, 5, 12, 0),
      // each pause between bars: ask the running server for its klines, as a client would
      sleep: async () => {
        const res = await fetch(`${base}/fapi/v1/klines?symbol=BTCUSDT&interval=5m&limit=1000`)
        answers.push(await res.json())
      },
    }
    const code = await main(['venue', '--dialect', 'binance-usdm', '--port', '0', '--preload', '3', '--bars', '2', '--bar-ms', '1'], io)
    expect(err).toBe('')
    expect(code).toBe(0)
    expect(out).toMatch(/binance-usdm \(testnet\) on http:\/\/127\.0\.0\.1:\d+/)
    expect(out).toMatch(/API key perpkit-local-key/)
    expect(out).toMatch(/stopped after 5 bars/)
    // 3 preloaded bars, then one more per pause; the first bar of the embedded file (2025-07-04 11:35 UTC) re-stamped
    expect((answers as unknown[][]).map((a) => a.length)).toEqual([3, 4])
    const [firstBar] = answers[0] as string[][]
    expect(firstBar?.slice(1, 5)).toEqual(['108989.4', '108989.4', '108941.4', '108953.4'])
  })

  it('refuses an unknown dialect as a usage error', async () => {
    let err = ''
    const io: Io = { out: () => {}, err: (t) => (err += t), env: {}, isTty: false, nowMs: () => 0, sleep: async () => {} }
    expect(await main(['venue', '--dialect', 'kraken'], io)).toBe(2)
    expect(err).toMatch(/kraken/)
  })
})
