import { describe, expect, it } from 'vitest'
import { blockedHosts } from './loopback-guard.js'

describe('loopback guard', () => {
  it('refuses a connection to a non-loopback host', async () => {
    const before = blockedHosts.length
    // a TEST-NET-3 documentation address (RFC 5737): never routable, and the guard throws before any packet
    await expect(fetch('http://203.0.113.7:80/fapi/v1/time')).rejects.toThrow()
    expect(blockedHosts.slice(before)).toEqual(['203.0.113.7'])
  })
})
