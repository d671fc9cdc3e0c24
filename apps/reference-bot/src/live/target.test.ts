import { describe, expect, it } from 'vitest'
import { InvalidInputError } from '@perpkit/core'
import { resolveLiveTarget } from './target.js'

const KEYS = { PERPKIT_TESTNET_API_KEY: 'tk', PERPKIT_TESTNET_API_SECRET: 'ts', PERPKIT_API_KEY: 'pk', PERPKIT_API_SECRET: 'ps' }

describe('resolveLiveTarget: the production guard', () => {
  // every way of asking for production without both opt-ins (and the config agreeing) is refused
  const refused: [string, { production: boolean; configTestnet: boolean; confirm?: string }, RegExp][] = [
    ['flag alone', { production: true, configTestnet: false }, /--production flag and PERPKIT_CONFIRM_PRODUCTION=yes.*it is not set/],
    ['flag + empty confirmation', { production: true, configTestnet: false, confirm: '' }, /it is not set/],
    ['flag + confirmation "YES"', { production: true, configTestnet: false, confirm: 'YES' }, /it is "YES", not exactly "yes"/],
    ['flag + confirmation "true"', { production: true, configTestnet: false, confirm: 'true' }, /not exactly "yes"/],
    ['flag + confirmation "yes " (trailing space)', { production: true, configTestnet: false, confirm: 'yes ' }, /not exactly "yes"/],
    ['confirmation alone', { production: false, configTestnet: false, confirm: 'yes' }, /PERPKIT_CONFIRM_PRODUCTION is set but --production was not given/],
    ['confirmation alone, config on testnet', { production: false, configTestnet: true, confirm: 'yes' }, /--production was not given/],
    ['config testnet: false alone', { production: false, configTestnet: false }, /config says testnet: false but --production was not given/],
    ['both opt-ins but config testnet: true', { production: true, configTestnet: true, confirm: 'yes' }, /config says testnet: true/],
  ]
  it.each(refused)('%s → refused with a clear message', (_name, req, message) => {
    const env = { ...KEYS, ...(req.confirm !== undefined ? { PERPKIT_CONFIRM_PRODUCTION: req.confirm } : {}) }
    const attempt = () => resolveLiveTarget({ production: req.production, configTestnet: req.configTestnet, env })
    expect(attempt).toThrow(InvalidInputError)
    expect(attempt).toThrow(message)
  })

  it('testnet by default, with the testnet keys', () => {
    expect(resolveLiveTarget({ production: false, configTestnet: true, env: KEYS })).toEqual({ environment: 'testnet', apiKey: 'tk', secret: 'ts' })
  })

  it('production with both opt-ins and testnet: false, with the production keys', () => {
    expect(resolveLiveTarget({ production: true, configTestnet: false, env: { ...KEYS, PERPKIT_CONFIRM_PRODUCTION: 'yes' } })).toEqual({ environment: 'production', apiKey: 'pk', secret: 'ps' })
  })

  it('blank variables (a .env file with empty lines) count as not set: the testnet falls back to the other keys', () => {
    const env = { PERPKIT_TESTNET_API_KEY: '', PERPKIT_TESTNET_API_SECRET: '', PERPKIT_API_KEY: 'pk', PERPKIT_API_SECRET: 'ps', PERPKIT_CONFIRM_PRODUCTION: '' }
    expect(resolveLiveTarget({ production: false, configTestnet: true, env })).toEqual({ environment: 'testnet', apiKey: 'pk', secret: 'ps' })
  })

  it('missing keys are refused naming the variables, never echoing values', () => {
    expect(() => resolveLiveTarget({ production: false, configTestnet: true, env: { PERPKIT_TESTNET_API_KEY: 'only-key' } })).toThrow(/API keys missing: set PERPKIT_TESTNET_API_KEY/)
    expect(() => resolveLiveTarget({ production: true, configTestnet: false, env: { PERPKIT_CONFIRM_PRODUCTION: 'yes', PERPKIT_TESTNET_API_KEY: 'a', PERPKIT_TESTNET_API_SECRET: 'b' } })).toThrow(/API keys missing: set PERPKIT_API_KEY/)
  })

  it('base URLs are overridable (a local venue server) and checked', () => {
    const t = resolveLiveTarget({ production: false, configTestnet: true, env: KEYS, restBaseUrl: 'http://127.0.0.1:8080/', wsBaseUrl: 'ws://127.0.0.1:8080' })
    expect(t).toMatchObject({ environment: 'testnet', restBaseUrl: 'http://127.0.0.1:8080', wsBaseUrl: 'ws://127.0.0.1:8080' })
    expect(() => resolveLiveTarget({ production: false, configTestnet: true, env: KEYS, restBaseUrl: '127.0.0.1:8080' })).toThrow(/--rest-url: /)
    expect(() => resolveLiveTarget({ production: false, configTestnet: true, env: KEYS, wsBaseUrl: 'ftp://x' })).toThrow(/--ws-url: expected http\(s\) or ws\(s\)/)
  })
})
