import { describe, expect, it } from 'vitest'
import { checkTimestamp, hmacSha256Hex, verifyHmacSha256Hex } from './signature.js'

describe('HMAC-SHA256 signatures', () => {
  it("reproduces the worked example of Binance's SIGNED endpoint docs", () => {
    // https://developers.binance.com/docs/binance-spot-api-docs/rest-api/endpoint-security-type (HMAC example)
    const secret = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'
    const payload = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559'
    expect(hmacSha256Hex({ secret, payload })).toBe('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71')
    expect(verifyHmacSha256Hex({ secret, payload, signature: 'C8DB56825AE71D6D79447849E617115F4A920FA2ACDCAB2B053C4B2838BD6B71' })).toBe(true)
    expect(verifyHmacSha256Hex({ secret, payload: `${payload}0`, signature: 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71' })).toBe(false)
  })

  it('accepts timestamps inside [server − recvWindow, server + tolerance] only', () => {
    const base = { recvWindowMs: 5000, serverMs: 10_000, aheadToleranceMs: 1000 }
    expect(checkTimestamp({ ...base, timestampMs: 5000 })).toBe('ok')
    expect(checkTimestamp({ ...base, timestampMs: 4999 })).toBe('too-old')
    expect(checkTimestamp({ ...base, timestampMs: 11_000 })).toBe('ok')
    expect(checkTimestamp({ ...base, timestampMs: 11_001 })).toBe('too-new')
  })
})
