/**
 * Where `perpkit live` trades: testnet unless production is asked for twice (the `--production` flag AND
 * `PERPKIT_CONFIRM_PRODUCTION=yes` in the environment), with the config's `testnet: false` agreeing. Keys come
 * from the environment only. Resolved before any connection is opened, so a refusal sends nothing anywhere.
 * @module
 */
import { InvalidInputError } from '@perpkit/core'
import { secretsFromEnv } from '../config.js'

/** What the operator asked for: the `--production` flag, the config's `testnet`, endpoint overrides, the environment. */
export interface LiveTargetRequest {
  readonly production: boolean
  readonly configTestnet: boolean
  readonly restBaseUrl?: string
  readonly wsBaseUrl?: string
  readonly env: NodeJS.ProcessEnv
}

/** The resolved target: the adapters' `environment`, keys and optional endpoint overrides. */
export interface LiveTarget {
  readonly environment: 'testnet' | 'production'
  readonly apiKey: string
  readonly secret: string
  readonly restBaseUrl?: string
  readonly wsBaseUrl?: string
}

const CONFIRM = 'PERPKIT_CONFIRM_PRODUCTION'
const BOTH = `production needs both the --production flag and ${CONFIRM}=yes in the environment`

function checkUrl(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InvalidInputError(`${name}: not a URL: ${value}`, { path: name })
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) throw new InvalidInputError(`${name}: expected http(s) or ws(s), got ${url.protocol}`, { path: name })
  return value.replace(/\/+$/, '')
}

/**
 * Resolve the live target, or throw {@link InvalidInputError} with one line saying what is missing.
 * Every partial request for production is refused (never silently downgraded to testnet): the flag alone, the
 * confirmation alone, a confirmation other than exactly `yes`, or `testnet: false` in the config without both.
 */
export function resolveLiveTarget(request: LiveTargetRequest): LiveTarget {
  const confirm = request.env[CONFIRM]
  const confirmed = confirm === 'yes'
  if (request.production && !confirmed) {
    const got = confirm === undefined || confirm === '' ? 'it is not set' : `it is "${confirm}", not exactly "yes"`
    throw new InvalidInputError(`${BOTH} (${got}); refusing to start`)
  }
  if (!request.production && confirm !== undefined && confirm !== '') throw new InvalidInputError(`${CONFIRM} is set but --production was not given; ${BOTH}; refusing to start`)
  if (!request.production && !request.configTestnet) throw new InvalidInputError(`the config says testnet: false but --production was not given; ${BOTH}; refusing to start`)
  if (request.production && request.configTestnet) throw new InvalidInputError('--production was given but the config says testnet: true; set testnet: false to trade in production')
  const environment = request.production ? 'production' : 'testnet'
  const secrets = secretsFromEnv(request.env, environment === 'testnet')
  const keyNames = environment === 'testnet' ? 'PERPKIT_TESTNET_API_KEY / PERPKIT_TESTNET_API_SECRET (or PERPKIT_API_KEY / PERPKIT_API_SECRET)' : 'PERPKIT_API_KEY / PERPKIT_API_SECRET'
  if (secrets.apiKey === undefined || secrets.apiSecret === undefined) throw new InvalidInputError(`API keys missing: set ${keyNames} in the environment`)
  const restBaseUrl = checkUrl('--rest-url', request.restBaseUrl)
  const wsBaseUrl = checkUrl('--ws-url', request.wsBaseUrl)
  return {
    environment,
    apiKey: secrets.apiKey,
    secret: secrets.apiSecret,
    ...(restBaseUrl !== undefined ? { restBaseUrl } : {}),
    ...(wsBaseUrl !== undefined ? { wsBaseUrl } : {}),
  }
}
