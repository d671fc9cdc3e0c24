import { describe, expect, it } from 'vitest'
import { createBacktestJournal } from './backtest-journal.js'

describe('createBacktestJournal', () => {
  it('numbers records from 1, keeps nothing, and refuses use after close', async () => {
    const j = createBacktestJournal<{ n: number }, string>()
    expect(await j.recover()).toEqual({ snapshot: null, records: [], truncatedTail: false })
    expect(await j.append('a', 10)).toEqual({ seq: 1, timestampMs: 10, payload: 'a' })
    expect(await j.append('b', 11)).toEqual({ seq: 2, timestampMs: 11, payload: 'b' })
    await j.writeSnapshot(2, { n: 1 })
    await expect(j.writeSnapshot(3, { n: 1 })).rejects.toMatchObject({ code: 'invalid-input' })
    expect(await j.recover()).toEqual({ snapshot: null, records: [], truncatedTail: false })
    await j.close()
    await expect(j.append('c', 12)).rejects.toMatchObject({ code: 'invalid-state' })
  })
})
