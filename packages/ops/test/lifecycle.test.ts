import { EventEmitter } from 'node:events'
import { createTestClock } from '@perpkit/core'
import { describe, expect, it } from 'vitest'
import { type LifecycleEvent, type ShutdownReason, createLifecycle } from '../src/lifecycle.js'

function harness(overrides: { fatalAction?: 'halt' | 'flatten'; slowStep?: boolean; failingStep?: boolean } = {}) {
  const proc = new EventEmitter()
  const clock = createTestClock(0)
  const calls: string[] = []
  const exits: number[] = []
  const events: LifecycleEvent[] = []
  const lifecycle = createLifecycle({
    clock,
    process: proc,
    stepTimeoutMs: 5000,
    fatalAction: overrides.fatalAction ?? 'halt',
    halt: (r: ShutdownReason) => {
      calls.push(`halt:${r.type}`)
    },
    flatten: async (r: ShutdownReason) => {
      calls.push(`flatten:${r.type}`)
    },
    steps: [
      { name: 'stop new entries', run: () => void calls.push('stop new entries') },
      {
        name: 'flush journal',
        run: async () => {
          calls.push('flush journal')
          if (overrides.failingStep) throw new Error('disk full')
          if (overrides.slowStep) await new Promise(() => {}) // never settles
        },
      },
      { name: 'close streams', run: () => void calls.push('close streams') },
    ],
    onEvent: (e) => void events.push(e),
    exit: (code) => void exits.push(code),
  })
  lifecycle.install()
  return { proc, clock, calls, exits, events, lifecycle }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 50; i++) await Promise.resolve()
}

describe('graceful shutdown', () => {
  it('runs the steps in order on SIGTERM, never the halt/flatten actions, then exits 0', async () => {
    const h = harness()
    h.proc.emit('SIGTERM')
    await settle()
    expect(h.calls).toEqual(['stop new entries', 'flush journal', 'close streams'])
    expect(h.exits).toEqual([0])
    const finished = h.events.find((e) => e.type === 'shutdown-finished')
    expect(finished?.type === 'shutdown-finished' && finished.report.steps.map((s) => s.outcome)).toEqual(['done', 'done', 'done'])
    expect(h.events[0]).toEqual({ type: 'shutdown-started', reason: { type: 'signal', signal: 'SIGTERM' } })
  })

  it('abandons a step after the timeout, goes on with the next, and exits 1', async () => {
    const h = harness({ slowStep: true })
    h.proc.emit('SIGINT')
    await settle()
    expect(h.calls).toEqual(['stop new entries', 'flush journal'])
    await h.clock.advanceAsync(4999)
    expect(h.exits).toEqual([])
    await h.clock.advanceAsync(1)
    expect(h.calls).toEqual(['stop new entries', 'flush journal', 'close streams'])
    expect(h.exits).toEqual([1])
    expect(h.events).toContainEqual({ type: 'step-finished', step: { name: 'flush journal', outcome: 'timed-out' } })
  })

  it('a second signal during shutdown exits at once with 130', async () => {
    const h = harness({ slowStep: true })
    h.proc.emit('SIGTERM')
    await settle()
    h.proc.emit('SIGINT')
    expect(h.exits).toEqual([130])
    expect(h.events).toContainEqual({ type: 'forced-exit', signal: 'SIGINT' })
  })

  it('reports a failing step with its message and goes on', async () => {
    const h = harness({ failingStep: true })
    const report = await h.lifecycle.shutdown({ type: 'requested', note: 'operator' })
    expect(report.steps).toEqual([
      { name: 'stop new entries', outcome: 'done' },
      { name: 'flush journal', outcome: 'failed', error: 'disk full' },
      { name: 'close streams', outcome: 'done' },
    ])
    expect(report.exitCode).toBe(1)
    expect(await h.lifecycle.shutdown({ type: 'requested', note: 'again' })).toBe(report)
    expect(h.exits).toEqual([1])
  })
})

describe('process exception hook', () => {
  it('uncaught exception with fatalAction halt: halt first, then the steps, exit 70', async () => {
    const h = harness({ fatalAction: 'halt' })
    h.proc.emit('uncaughtException', new Error('boom'))
    await settle()
    expect(h.calls).toEqual(['halt:fatal', 'stop new entries', 'flush journal', 'close streams'])
    expect(h.exits).toEqual([70])
    expect(h.events).toContainEqual({ type: 'fatal-error', source: 'uncaughtException', message: 'boom', action: 'halt' })
  })

  it('unhandled rejection with fatalAction flatten: flatten first, exit 70', async () => {
    const h = harness({ fatalAction: 'flatten' })
    h.proc.emit('unhandledRejection', 'lost promise')
    await settle()
    expect(h.calls[0]).toBe('flatten:fatal')
    expect(h.calls).not.toContain('halt:fatal')
    expect(h.exits).toEqual([70])
    expect(h.events).toContainEqual({ type: 'fatal-error', source: 'unhandledRejection', message: 'lost promise', action: 'flatten' })
  })

  it('uninstall removes every listener', () => {
    const h = harness()
    h.lifecycle.uninstall()
    for (const e of ['SIGINT', 'SIGTERM', 'uncaughtException', 'unhandledRejection']) expect(h.proc.listenerCount(e)).toBe(0)
  })

  it('rejects duplicate step names and a non-positive timeout', () => {
    const base = { clock: createTestClock(0), fatalAction: 'halt' as const, halt: () => {}, flatten: () => {} }
    expect(() => createLifecycle({ ...base, steps: [{ name: 'a', run: () => {} }, { name: 'a', run: () => {} }] })).toThrow(/unique/)
    expect(() => createLifecycle({ ...base, steps: [], stepTimeoutMs: 0 })).toThrow(/stepTimeoutMs/)
  })
})

describe('on a real process', () => {
  const run = async (arg: string, signal?: NodeJS.Signals): Promise<{ code: number | string; lines: string[] }> => {
    const { startFixture, firstLine, exited } = await import('./child.js')
    const child = startFixture('lifecycle.ts', [arg])
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    expect(await firstLine(child)).toBe('ready')
    if (signal !== undefined) child.kill(signal)
    const code = await exited(child)
    return { code, lines: out.trim().split('\n') }
  }

  it('SIGTERM: steps in order, exit 0', async () => {
    expect(await run('wait', 'SIGTERM')).toEqual({ code: 0, lines: ['ready', 'stop new entries', 'flush journal'] })
  })

  it('uncaught exception: halt, steps, exit 70', async () => {
    expect(await run('throw')).toEqual({ code: 70, lines: ['ready', 'halt', 'stop new entries', 'flush journal'] })
  })
})
