import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestClock } from '@perpkit/core'
import { afterAll, describe, expect, it } from 'vitest'
import { createRequestBudget } from './budget.js'
import { createFileBudgetLedger, createMemoryBudgetLedger } from './budget-ledger.js'
import { removeFileJournal } from './journal/file-journal.js'

const root = mkdtempSync(join(tmpdir(), 'perpkit-oms-budget-'))
afterAll(async () => removeFileJournal(root))

describe('budget ledgers', () => {
  it('file ledger: records survive reopening; a torn last line is ignored; load keeps only the window', async () => {
    const path = join(root, 'a', 'budget.log')
    const a = createFileBudgetLedger({ path, keepMs: 60_000, fsync: false })
    expect(await a.load()).toEqual([])
    for (const timestampMs of [0, 10_000, 70_000, 80_000]) await a.record({ timestampMs, weight: 5 })
    writeFileSync(path, `${readFileSync(path, 'utf8')}90000 `) // a crash mid-append
    const b = createFileBudgetLedger({ path, keepMs: 60_000 })
    expect(await b.load()).toEqual([
      { timestampMs: 70_000, weight: 5 },
      { timestampMs: 80_000, weight: 5 },
    ])
    expect(readFileSync(path, 'utf8')).toBe('70000 5\n80000 5\n') // compacted atomically
    await expect(b.record({ timestampMs: 1, weight: 0 })).rejects.toMatchObject({ code: 'invalid-input', path: 'weight' })
  })

  it('a crash loop shares one budget: 40 processes in 60 s never take more than the cap in any window', async () => {
    const clock = createTestClock(1_000_000)
    const ledger = createMemoryBudgetLedger()
    const config = { venueLimit: 120, windowMs: 60_000, capPerWindow: 90 }
    for (let restart = 0; restart < 40; restart++) {
      const budget = createRequestBudget({ clock, config, ledger })
      // each process wants 5 requests at start; the ones that do not fit wait (and die with the process)
      for (let i = 0; i < 5; i++) void budget.acquire(1).catch(() => undefined)
      await clock.advanceAsync(1_500)
    }
    const times = ledger.stamps.map((s) => s.timestampMs).sort((x, y) => x - y)
    let worst = 0
    for (const [i, t] of times.entries()) worst = Math.max(worst, times.slice(i).filter((u) => u < t + 60_000).length)
    expect(worst).toBeLessThanOrEqual(90)
    expect(times.length).toBeGreaterThanOrEqual(90) // it did work up to the cap
    expect(() => createRequestBudget({ clock, config, ledger }).tryAcquire(1)).toThrow(/use acquire/)
  })
})
