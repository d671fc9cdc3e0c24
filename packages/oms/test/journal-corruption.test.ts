/**
 * A journal with one bad byte in the middle of its history must stop the order manager's start with a typed
 * error and leave the file untouched; it must never be read as a torn tail (which would drop every later record,
 * reuse client ids and flatten a healthy, protected position).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isPerpkitError } from '@perpkit/core'
import { afterAll, describe, expect, it } from 'vitest'
import { createFileJournal, createOrderManager, type EntryIntent, FILE_JOURNAL_FILES, removeFileJournal } from '../src/index.js'
import { advance, BINANCE_BTC, createWorld, venueStops } from './harness.js'

const SYM = BINANCE_BTC.symbol
const root = mkdtempSync(join(tmpdir(), 'perpkit-oms-corrupt-'))
afterAll(async () => removeFileJournal(root))

describe('journal corruption in the middle of the history', () => {
  it('stops the start with corrupt-data, keeps the file, sends nothing, and the protected position stays as it was', async () => {
    const dir = join(root, 'a')
    const w = await createWorld({ start: false })
    const mk = () => createOrderManager({ venue: w.venue, clock: w.clock, journal: createFileJournal({ dir, fsync: false }), instruments: [BINANCE_BTC], config: { makerOnly: false } })
    const a = mk()
    a.onMarkPrice({ symbol: SYM, markPrice: 65000 })
    await a.start()
    const intent: EntryIntent = { signalId: 'sig-corrupt', signalTimeMs: w.clock.now(), symbol: SYM, direction: 'long', qty: 0.01, type: 'market', stopPrice: 64000, takeProfitPrice: 66000 }
    await a.submitEntry(intent)
    await advance(w.clock, 1000)
    await a.stop()
    const logPath = join(dir, FILE_JOURNAL_FILES.log)
    const lines = readFileSync(logPath, 'utf8').split('\n').filter((l) => l !== '')
    expect(lines.length).toBeGreaterThan(6)
    // flip one byte inside the second record's JSON
    const bytes = readFileSync(logPath)
    const offset = Buffer.byteLength(`${lines[0]}\n`) + 20
    bytes[offset] = (bytes[offset] as number) ^ 0x04
    writeFileSync(logPath, bytes)
    const callsBefore = w.venue.callLog().length
    const stopsBefore = venueStops(w.venue, SYM).map((o) => o.clientOrderId)

    const b = mk()
    b.onMarkPrice({ symbol: SYM, markPrice: 65000 })
    const err = await b.start().catch((e: unknown) => e)
    expect(isPerpkitError(err, 'corrupt-data')).toBe(true)
    expect((err as Error).message).toMatch(/line 2 .*intact record\(s\) follow/)
    await advance(w.clock, 5000)
    expect(readFileSync(logPath).equals(bytes)).toBe(true)
    expect(w.venue.callLog().slice(callsBefore).filter((c) => c.method === 'createOrder' || c.method === 'cancelOrder')).toHaveLength(0)
    expect(venueStops(w.venue, SYM).map((o) => o.clientOrderId)).toEqual(stopsBefore)
  })
})
