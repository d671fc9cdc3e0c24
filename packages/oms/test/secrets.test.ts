/**
 * No secret reaches an event: venue rejections carrying credentials in their text travel through the whole
 * order manager (send → reject → order-rejected / request-retry / fatal events) and must arrive redacted.
 */
import { describe, expect, it } from 'vitest'
import type { EntryIntent } from '../src/index.js'
import { advance, BINANCE_BTC, createWorld, T0 } from './harness.js'

const SYM = BINANCE_BTC.symbol
const long = (over: Partial<EntryIntent> = {}): EntryIntent => ({ signalId: 'sig-secret', signalTimeMs: T0, symbol: SYM, direction: 'long', qty: 0.01, type: 'market', stopPrice: 64000, ...over })

// RFC 7519 §3.1 example JWT; Binance documentation's example secret and signature
const JWT = 'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'
const SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71'

const LEAKS: [string, string, string[]][] = [
  ['Authorization: Bearer', `Authorization: Bearer ${JWT}`, ['eyJ0eXAi', 'dBjftJeZ4CVP']],
  ['secret_key=', `bad request secret_key=${SECRET}`, [SECRET]],
  ['signature%3D', `url=%2Ffapi%2Fv1%2Forder%3Fsymbol%3DBTCUSDT%26signature%3D${SIGNATURE}`, [SIGNATURE]],
  ['password=', 'proxy auth failed password=hunter2', ['hunter2']],
  ['access_token=', 'GET /x?access_token=ya29.a0AfH6SMBx', ['ya29.a0AfH6SMBx']],
  ['Cookie:', 'upstream said Cookie: session=abc123zz; path=/', ['abc123zz']],
  ['a PEM block', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----', ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7']],
]

describe('secrets in venue errors never reach an event (end to end)', () => {
  it.each(LEAKS)('order-rejected carries no %s value', async (_name, message, secrets) => {
    const w = await createWorld({})
    // the first create is the pre-placed stop; reject the entry itself
    w.venue.faults.fail('createOrder', { kind: 'reject', code: 'venue-rejected', venueCode: -1102, skip: 1, message })
    await w.oms.submitEntry(long())
    await advance(w.clock, 2000)
    const rejected = w.events.filter((e) => e.type === 'order-rejected')
    expect(rejected).toHaveLength(1)
    expect(JSON.stringify(rejected[0])).toContain('[redacted]')
    const text = JSON.stringify(w.events)
    for (const s of secrets) expect(text).not.toContain(s)
  })

  it('a fatal authentication error with a bearer token is redacted in fatal, breaker and retry events', async () => {
    const w = await createWorld({})
    w.venue.faults.fail('createOrder', { kind: 'reject', code: 'authentication', venueCode: -2015, message: `Invalid API-key. Authorization: Bearer ${JWT}` })
    await w.oms.submitEntry(long())
    await advance(w.clock, 2000)
    expect(w.events.some((e) => e.type === 'fatal')).toBe(true)
    expect(JSON.stringify(w.events)).not.toContain('eyJ0eXAi')
  })
})
