import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestClock } from '@perpkit/core'
import { afterEach, describe, expect, it } from 'vitest'
import { checkHeartbeat, createHeartbeat } from '../src/heartbeat.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const tmpFile = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'perpkit-hb-'))
  dirs.push(d)
  return join(d, 'state', 'heartbeat.json')
}
const read = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'))

describe('heartbeat file', () => {
  it('is written at start and then every interval, with the status', () => {
    const path = tmpFile()
    const clock = createTestClock(1_000_000)
    const hb = createHeartbeat({ path, clock, intervalMs: 5000, pid: 321 })
    hb.start()
    expect(read(path)).toEqual({ pid: 321, timestampMs: 1_000_000, status: 'starting' })
    hb.setStatus('trading')
    clock.advance(4999)
    expect(read(path)).toEqual({ pid: 321, timestampMs: 1_000_000, status: 'trading' })
    clock.advance(1)
    expect(read(path)).toEqual({ pid: 321, timestampMs: 1_005_000, status: 'trading' })
    clock.advance(10_000)
    expect(read(path)).toEqual({ pid: 321, timestampMs: 1_015_000, status: 'trading' })
    hb.stop()
    clock.advance(60_000)
    expect(read(path)).toEqual({ pid: 321, timestampMs: 1_015_000, status: 'trading' })
    expect(clock.pendingTimers()).toBe(0)
  })

  it('checkHeartbeat tells fresh, stale, missing and corrupt apart', () => {
    const path = tmpFile()
    const clock = createTestClock(2_000_000)
    expect(checkHeartbeat({ path, nowMs: clock.now(), maxAgeMs: 30_000 })).toEqual({ ok: false, reason: 'missing' })
    createHeartbeat({ path, clock, pid: 9 }).beat()
    expect(checkHeartbeat({ path, nowMs: 2_030_000, maxAgeMs: 30_000 })).toEqual({ ok: true, ageMs: 30_000, record: { pid: 9, timestampMs: 2_000_000, status: 'starting' } })
    expect(checkHeartbeat({ path, nowMs: 2_030_001, maxAgeMs: 30_000 })).toEqual({ ok: false, reason: 'stale', ageMs: 30_001 })
    writeFileSync(path, '{"pid":')
    expect(checkHeartbeat({ path, nowMs: 0, maxAgeMs: 1 })).toEqual({ ok: false, reason: 'corrupt' })
  })

  it('rejects a non-positive interval', () => {
    expect(() => createHeartbeat({ path: tmpFile(), clock: createTestClock(0), intervalMs: 0 })).toThrow(/intervalMs/)
  })
})
