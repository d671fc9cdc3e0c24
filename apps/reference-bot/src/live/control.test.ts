import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type Io, main } from '../cli.js'
import {
  claimControlRequests,
  controlOutcome,
  finishControlRequest,
  pendingControlRequests,
  readOperatorHalt,
  submitControlRequest,
  withdrawControlRequest,
  writeOperatorHalt,
} from './control.js'

const tmp = mkdtempSync(join(tmpdir(), 'perpkit-control-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))
const fresh = (): string => mkdtempSync(join(tmp, 'state-'))

describe('the control channel (files in the state directory)', () => {
  it('hands requests to the bot oldest first, each exactly once, and the outcome back to the command', () => {
    const dir = fresh()
    const a = submitControlRequest(dir, { type: 'halt', reason: 'news', requestedAtMs: 2_000 })
    const b = submitControlRequest(dir, { type: 'resume', requestedAtMs: 1_000 })
    expect(pendingControlRequests(dir)).toBe(2)
    const claimed = claimControlRequests(dir, 3_000)
    expect(claimed.map((c) => c.id)).toEqual([b, a])
    expect(claimed[1]?.request).toEqual({ type: 'halt', reason: 'news', requestedAtMs: 2_000 })
    expect(pendingControlRequests(dir)).toBe(0)
    // claimed: the command can no longer withdraw it, its outcome will come
    expect(withdrawControlRequest(dir, a)).toBe(false)
    expect(controlOutcome(dir, a)).toBeUndefined()
    finishControlRequest(dir, a, { ok: true, message: 'halted', doneAtMs: 3_001 })
    expect(controlOutcome(dir, a)).toEqual({ ok: true, message: 'halted', doneAtMs: 3_001 })
  })

  it('a claim left by a bot that died before its outcome is handed to the next bot; a finished one is not', () => {
    const dir = fresh()
    const a = submitControlRequest(dir, { type: 'halt', reason: 'x', requestedAtMs: 1 })
    const b = submitControlRequest(dir, { type: 'resume', requestedAtMs: 2 })
    claimControlRequests(dir, 10) // the bot dies here
    finishControlRequest(dir, a, { ok: true, message: 'halted', doneAtMs: 11 })
    expect(claimControlRequests(dir, 20).map((c) => c.id)).toEqual([b])
  })

  it('a request withdrawn before the bot looked is never applied', () => {
    const dir = fresh()
    const id = submitControlRequest(dir, { type: 'close', symbol: 'BTC/USDT:USDT', requestedAtMs: 1, expiresAtMs: 2 })
    expect(withdrawControlRequest(dir, id)).toBe(true)
    expect(claimControlRequests(dir, 3)).toEqual([])
  })

  it('a file that is not a request is answered with a failed outcome, not applied', () => {
    const dir = fresh()
    mkdirSync(join(dir, 'control', 'inbox'), { recursive: true })
    writeFileSync(join(dir, 'control', 'inbox', '000000000000001-junk.json'), '{"type":"close","requestedAtMs":1}')
    expect(claimControlRequests(dir, 5)).toEqual([])
    expect(controlOutcome(dir, '000000000000001-junk')).toMatchObject({ ok: false, message: expect.stringMatching(/not a control request/) as unknown })
    expect(readdirSync(join(dir, 'control', 'claimed'))).toEqual([])
  })

  it('records and clears the operator HALT', () => {
    const dir = fresh()
    expect(readOperatorHalt(dir)).toBeUndefined()
    writeOperatorHalt(dir, { reason: 'night', sinceMs: 5 })
    expect(readOperatorHalt(dir)).toEqual({ reason: 'night', sinceMs: 5 })
    writeOperatorHalt(dir, undefined)
    expect(readOperatorHalt(dir)).toBeUndefined()
  })
})

describe('perpkit close / flatten confirmation', () => {
  const env = { PERPKIT_TESTNET_API_KEY: 'k', PERPKIT_TESTNET_API_SECRET: 's' }
  // nothing listens on port 9: any request would fail the command differently
  const where = ['--rest-url', 'http://127.0.0.1:9', '--ws-url', 'ws://127.0.0.1:9']
  const io = (prompt?: (q: string) => Promise<string>) => {
    const seen = { out: '', err: '', asked: [] as string[] }
    const value: Io = {
      out: (t) => (seen.out += t), err: (t) => (seen.err += t), env, isTty: false, nowMs: () => 0, sleep: async () => {},
      ...(prompt !== undefined ? { prompt: (q: string) => (seen.asked.push(q), prompt(q)) } : {}),
    }
    return { value, seen }
  }

  it('asks on a terminal; anything but yes sends nothing and queues nothing', async () => {
    const dir = fresh()
    const { value, seen } = io(async () => 'n')
    expect(await main(['flatten', ...where, '--state-dir', dir], value)).toBe(1)
    expect(seen.asked).toEqual([expect.stringMatching(/^perpkit flatten: close the BTC\/USDT:USDT position with a reduce-only market order and cancel the bot's working orders on binance-usdm TESTNET at http:\/\/127\.0\.0\.1:9\? \[y\/N\] $/)])
    expect(seen.err).toBe('perpkit flatten: not confirmed; nothing sent\n')
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses without --yes when stdin is not a terminal (usage error, exit 2)', async () => {
    const { value, seen } = io()
    expect(await main(['close', 'BTC', ...where], value)).toBe(2)
    expect(seen.err).toMatch(/^perpkit close: refusing to close the BTC\/USDT:USDT position .* without confirmation: stdin is not a terminal; pass --yes to confirm from a script\n/)
  })
})
