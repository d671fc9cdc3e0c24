import { createTestClock, systemClock } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { type LoopDelaySource, type Stall, createWatchdog, eventLoopDelaySource } from '../src/watchdog.js'

/** A delay source the test sets by hand. */
function fakeDelay(): LoopDelaySource & { next: number; resets: number } {
  const d = {
    next: 0,
    resets: 0,
    maxMs: () => d.next,
    reset: () => {
      d.resets++
      d.next = 0
    },
    close: () => {},
  }
  return d
}

describe('watchdog with a test clock', () => {
  it('reports a silent stream once per episode, and its recovery', () => {
    const clock = createTestClock(0)
    const stalls: Stall[] = []
    const recovered: Stall[] = []
    const wd = createWatchdog({
      clock,
      checkIntervalMs: 1000,
      streams: { 'user-stream': 10_000, 'market-data': 3000 },
      loopDelay: fakeDelay(),
      onStall: (s) => stalls.push(s),
      onRecover: (s) => recovered.push(s),
    })
    wd.start()
    for (let t = 0; t < 3; t++) {
      clock.advance(1000)
      wd.reportActivity('market-data')
    }
    expect(stalls).toEqual([])
    clock.advance(3000) // market data silent since t=3000, now 6000: 3000 ms, not more than the bound
    expect(stalls).toEqual([])
    clock.advance(1000) // 4000 ms > 3000
    expect(stalls).toEqual([{ type: 'stream-silent', stream: 'market-data', silentMs: 4000, limitMs: 3000, timestampMs: 7000 }])
    clock.advance(3000) // still silent: no second call
    expect(stalls).toHaveLength(1)
    expect(wd.stalenessSeconds('market-data')).toBe(7)
    wd.reportActivity('market-data')
    clock.advance(1000)
    expect(recovered).toEqual([{ type: 'stream-silent', stream: 'market-data', silentMs: 7000, limitMs: 3000, timestampMs: 10_000 }])
    clock.advance(1000) // user stream silent since start (0): 12 s > 10 s
    expect(stalls.map((s) => (s.type === 'stream-silent' ? s.stream : s.type))).toEqual(['market-data', 'user-stream'])
    wd.stop()
    expect(clock.pendingTimers()).toBe(0)
  })

  it('reports event-loop lag above the bound and resets the window every check', () => {
    const clock = createTestClock(0)
    const delay = fakeDelay()
    const stalls: Stall[] = []
    const wd = createWatchdog({ clock, checkIntervalMs: 500, maxEventLoopLagMs: 200, loopDelay: delay, onStall: (s) => stalls.push(s) })
    wd.start()
    delay.next = 199
    clock.advance(500)
    expect(stalls).toEqual([])
    expect(wd.lastLagMs()).toBe(199)
    delay.next = 850
    clock.advance(500)
    expect(stalls).toEqual([{ type: 'event-loop-lag', lagMs: 850, limitMs: 200, timestampMs: 1000 }])
    expect(delay.resets).toBe(3) // start + two checks
    wd.stop()
  })

  it('rejects activity on a stream it does not watch, and bad bounds', () => {
    const clock = createTestClock(0)
    const wd = createWatchdog({ clock, streams: { trades: 1000 }, loopDelay: fakeDelay(), onStall: () => {} })
    expect(() => wd.reportActivity('candles')).toThrow(/unknown stream 'candles'/)
    expect(() => createWatchdog({ clock, streams: { trades: 0 }, onStall: () => {} })).toThrow(/streams.trades/)
    expect(() => createWatchdog({ clock, maxEventLoopLagMs: -1, onStall: () => {} })).toThrow(/maxEventLoopLagMs/)
  })
})

describe('watchdog on the real event loop', () => {
  it('detects a loop blocked by synchronous work', async () => {
    const delay = eventLoopDelaySource(10)
    const clock = createTestClock(0) // checks are run by hand; the lag itself is real
    const stalls: Stall[] = []
    const wd = createWatchdog({ clock, maxEventLoopLagMs: 100, loopDelay: delay, onStall: (s) => stalls.push(s) })
    wd.start()
    await new Promise((r) => setTimeout(r, 50)) // let the monitor sample an idle loop
    expect(wd.check()).toEqual([])
    // a reset discards the monitor's next sample (it restarts its reference time), so let it sample once first
    await new Promise((r) => setTimeout(r, 50))
    const until = performance.now() + 400
    while (performance.now() < until) {
      // block the loop for 400 ms
    }
    await new Promise((r) => setTimeout(r, 30)) // the monitor records the delay when the loop gets back to it
    const seen = wd.check()
    expect(seen).toHaveLength(1)
    expect(seen[0]?.type).toBe('event-loop-lag')
    expect(seen[0]?.type === 'event-loop-lag' && seen[0].lagMs).toBeGreaterThan(100)
    expect(stalls).toHaveLength(1)
    wd.stop()
    delay.close()
  })

  it('counts a late check timer as lag (a block the delay monitor did not sample)', async () => {
    const stalls: Stall[] = []
    const wd = createWatchdog({ clock: systemClock, checkIntervalMs: 20, maxEventLoopLagMs: 150, loopDelay: fakeDelay(), onStall: (s) => stalls.push(s) })
    wd.start()
    const until = performance.now() + 400
    while (performance.now() < until) {
      // block the loop: the check due in 20 ms runs ~380 ms late
    }
    await new Promise((r) => setTimeout(r, 60))
    wd.stop()
    expect(stalls).toHaveLength(1)
    expect(stalls[0]?.type === 'event-loop-lag' && stalls[0].lagMs).toBeGreaterThan(150)
  })
})
