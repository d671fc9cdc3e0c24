import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestClock, isPerpkitError } from '@perpkit/core'
import { afterEach, describe, expect, it } from 'vitest'
import { InstanceLockedError, acquireInstanceLock, lockFileName } from '../src/instance-lock.js'
import { exited, firstLine, startFixture } from './child.js'

const dirs: string[] = []
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'perpkit-lock-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const SYMBOL = 'BTC/USDT:USDT'

describe('single-instance lock across processes', () => {
  it('refuses a second instance while the first lives, and takes over once it was killed', async () => {
    const dir = tmp()
    const first = startFixture('hold-lock.ts', [dir, 'main', SYMBOL])
    const line = await firstLine(first)
    expect(line).toMatch(/^locked \d+$/)
    const firstPid = Number(line.split(' ')[1])
    expect(firstPid).toBe(first.pid)

    // a second process is refused
    const second = startFixture('hold-lock.ts', [dir, 'main', SYMBOL])
    expect(await firstLine(second)).toBe('refused InstanceLockedError')
    expect(await exited(second)).toBe(3)

    // and so is this process, with the owner named
    let refused: unknown
    try {
      acquireInstanceLock({ dir, account: 'main', symbol: SYMBOL, clock: createTestClock(1), releaseOnExit: false })
    } catch (e) {
      refused = e
    }
    expect(refused).toBeInstanceOf(InstanceLockedError)
    expect(isPerpkitError(refused, 'invalid-state')).toBe(true)
    expect((refused as InstanceLockedError).owner?.pid).toBe(firstPid)

    // kill -9: the lock file stays behind with a dead pid → stale, taken over
    first.kill('SIGKILL')
    expect(await exited(first)).toBe('SIGKILL')
    const path = join(dir, lockFileName({ account: 'main', symbol: SYMBOL }))
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(firstPid)
    const lock = acquireInstanceLock({ dir, account: 'main', symbol: SYMBOL, clock: createTestClock(1_700_000_000_000), releaseOnExit: false })
    expect(lock.tookOverFrom?.pid).toBe(firstPid)
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, startedMs: 1_700_000_000_000, account: 'main', symbol: SYMBOL })
    lock.release()
    expect(existsSync(path)).toBe(false)
  })

  it('releases the lock when the owner exits normally', async () => {
    const dir = tmp()
    const child = startFixture('hold-lock.ts', [dir, 'main', SYMBOL])
    expect(await firstLine(child)).toMatch(/^locked /)
    const path = join(dir, lockFileName({ account: 'main', symbol: SYMBOL }))
    expect(existsSync(path)).toBe(true)
    child.stdin.write('exit\n')
    expect(await exited(child)).toBe(0)
    expect(existsSync(path)).toBe(false)
  })

  it('locks account+symbol pairs independently', async () => {
    const dir = tmp()
    const clock = createTestClock(0)
    const a = acquireInstanceLock({ dir, account: 'main', symbol: SYMBOL, clock, releaseOnExit: false })
    const b = acquireInstanceLock({ dir, account: 'main', symbol: 'ETH/USDT:USDT', clock, releaseOnExit: false })
    const c = acquireInstanceLock({ dir, account: 'sub', symbol: SYMBOL, clock, releaseOnExit: false })
    expect(new Set([a.path, b.path, c.path]).size).toBe(3)
    for (const l of [a, b, c]) l.release()
  })
})

describe('stale-lock rules', () => {
  const write = (dir: string, owner: object): string => {
    const path = join(dir, lockFileName({ account: 'main', symbol: SYMBOL }))
    writeFileSync(path, JSON.stringify(owner))
    return path
  }

  it('never takes over a lock written on another host (its pid cannot be checked here)', () => {
    const dir = tmp()
    write(dir, { pid: 4242, host: 'other-host', startedMs: 5, account: 'main', symbol: SYMBOL })
    const probed: number[] = []
    expect(() =>
      acquireInstanceLock({ dir, account: 'main', symbol: SYMBOL, clock: createTestClock(0), host: 'this-host', releaseOnExit: false, isPidAlive: (p) => (probed.push(p), false) }),
    ).toThrow(/locked by pid 4242 on other-host/)
    expect(probed).toEqual([])
  })

  it('takes over a dead pid on the same host, refuses a live one', () => {
    const dir = tmp()
    write(dir, { pid: 4242, host: 'h', startedMs: 5, account: 'main', symbol: SYMBOL })
    expect(() => acquireInstanceLock({ dir, account: 'main', symbol: SYMBOL, clock: createTestClock(0), host: 'h', pid: 7, releaseOnExit: false, isPidAlive: () => true })).toThrow(InstanceLockedError)
    const lock = acquireInstanceLock({ dir, account: 'main', symbol: SYMBOL, clock: createTestClock(0), host: 'h', pid: 7, releaseOnExit: false, isPidAlive: (p) => p !== 4242 })
    expect(lock.tookOverFrom).toEqual({ pid: 4242, host: 'h', startedMs: 5, account: 'main', symbol: SYMBOL })
    lock.release()
  })

  it('does not remove a lock that is no longer its own', () => {
    const dir = tmp()
    const lock = acquireInstanceLock({ dir, account: 'main', symbol: SYMBOL, clock: createTestClock(0), releaseOnExit: false })
    const path = write(dir, { pid: 99999, host: 'x', startedMs: 1, account: 'main', symbol: SYMBOL })
    lock.release()
    expect(existsSync(path)).toBe(true)
  })

  it('refuses a lock file that is not a perpkit lock, with corrupt-data', () => {
    const dir = tmp()
    writeFileSync(join(dir, lockFileName({ account: 'main', symbol: SYMBOL })), 'garbage')
    let err: unknown
    try {
      acquireInstanceLock({ dir, account: 'main', symbol: SYMBOL, clock: createTestClock(0), releaseOnExit: false })
    } catch (e) {
      err = e
    }
    expect(isPerpkitError(err, 'corrupt-data')).toBe(true)
  })

  it('rejects an empty account or symbol with invalid-input, creating nothing', () => {
    const dir = tmp()
    expect(() => acquireInstanceLock({ dir, account: ' ', symbol: SYMBOL, clock: createTestClock(0) })).toThrow(/account: must not be empty/)
    expect(() => acquireInstanceLock({ dir, account: 'main', symbol: '', clock: createTestClock(0) })).toThrow(/symbol: must not be empty/)
  })

  it('encodes every character outside [A-Za-z0-9._-] in the file name', () => {
    expect(lockFileName({ account: 'main', symbol: 'BTC/USDT:USDT' })).toBe('perpkit-main-BTC%2FUSDT%3AUSDT.lock')
    expect(lockFileName({ account: 'a/b', symbol: 'x' })).not.toBe(lockFileName({ account: 'a_b', symbol: 'x' }))
  })
})
