import { describe, expect, it } from 'vitest'
import { createTestClock, systemClock } from './clock.js'

describe('createTestClock', () => {
  it('fires timers in due order, FIFO for equal due times, never early', () => {
    const clock = createTestClock(1000)
    const fired: string[] = []
    clock.setTimer(50, () => fired.push('b'))
    clock.setTimer(10, () => fired.push('a'))
    clock.setTimer(50, () => fired.push('c'))
    clock.advance(9)
    expect(fired).toEqual([])
    expect(clock.now()).toBe(1009)
    clock.advance(1)
    expect(fired).toEqual(['a'])
    clock.advance(100)
    expect(fired).toEqual(['a', 'b', 'c'])
    expect(clock.now()).toBe(1110)
  })
  it('reports time at the timer due moment inside callbacks and runs timers scheduled by timers', () => {
    const clock = createTestClock(0)
    const seen: number[] = []
    clock.setTimer(10, () => {
      seen.push(clock.now())
      clock.setTimer(5, () => seen.push(clock.now()))
    })
    clock.advance(100)
    expect(seen).toEqual([10, 15])
  })
  it('cancelled timers never fire', () => {
    const clock = createTestClock()
    let n = 0
    const cancel = clock.setTimer(5, () => n++)
    expect(clock.pendingTimers()).toBe(1)
    cancel()
    cancel()
    clock.advance(10)
    expect(n).toBe(0)
    expect(clock.pendingTimers()).toBe(0)
  })
  it('refuses to go backwards', () => {
    const clock = createTestClock(100)
    expect(() => clock.advanceTo(99)).toThrow(RangeError)
    expect(() => clock.advance(-1)).toThrow(RangeError)
  })
  it('stepWall moves now() backwards (or forwards) without running or rescheduling timers', () => {
    const clock = createTestClock(10_000)
    const fired: number[] = []
    clock.setTimer(1000, () => fired.push(clock.now()))
    clock.stepWall(-5000) // an NTP correction: the wall clock jumps 5 s back
    expect(clock.now()).toBe(5000)
    expect(clock.nextTimerMs()).toBe(6000) // still 1 s of elapsed time away
    clock.advance(999)
    expect(fired).toEqual([])
    clock.advance(1)
    expect(fired).toEqual([6000])
    expect(() => clock.advanceTo(5999)).toThrow(RangeError)
    clock.setTimer(500, () => fired.push(clock.now()))
    clock.stepWall(2000)
    clock.advanceTo(8499)
    expect(fired).toEqual([6000])
    clock.advanceTo(8500)
    expect(fired).toEqual([6000, 8500])
    expect(() => clock.stepWall(Number.NaN)).toThrow(RangeError)
  })
  it('advanceAsync lets awaiting code progress like real time', async () => {
    const clock = createTestClock(0)
    const log: number[] = []
    const task = (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(1000)
        log.push(clock.now())
      }
    })()
    await clock.advanceAsync(2500)
    expect(log).toEqual([1000, 2000])
    await clock.advanceAsync(500)
    await task
    expect(log).toEqual([1000, 2000, 3000])
    expect(clock.nextTimerMs()).toBeUndefined()
  })
})

describe('systemClock', () => {
  it('reads wall time and runs real timers', async () => {
    const before = Date.now()
    expect(systemClock.now()).toBeGreaterThanOrEqual(before)
    await systemClock.sleep(1)
    let fired = false
    const cancel = systemClock.setTimer(1000, () => {
      fired = true
    })
    cancel()
    expect(fired).toBe(false)
  })
})
