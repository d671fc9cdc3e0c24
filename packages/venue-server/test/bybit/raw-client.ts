/**
 * A minimal signed Bybit v5 HTTP client written from the docs' signing rule — HMAC-SHA256 hex of
 * `timestamp + apiKey + recvWindow + (query string | JSON body)` in `X-BAPI-SIGN`, with `X-BAPI-API-KEY`,
 * `X-BAPI-TIMESTAMP`, `X-BAPI-RECV-WINDOW` — independent of the server's own code.
 */
import { createHmac } from 'node:crypto'
import { DEFAULT_API_KEY } from '../../src/index.js'

export interface BybitRawResponse {
  readonly status: number
  readonly headers: Headers
  readonly body: { retCode: number; retMsg: string; result: Record<string, unknown>; time: number } & Record<string, unknown>
}

export async function bybitRest(args: {
  readonly baseUrl: string
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly params?: Readonly<Record<string, unknown>>
  readonly timestampMs: number
  readonly recvWindow?: number
  readonly apiKey?: string
  readonly secret?: string
  readonly signed?: boolean
}): Promise<BybitRawResponse> {
  const apiKey = args.apiKey ?? DEFAULT_API_KEY.apiKey
  const secret = args.secret ?? DEFAULT_API_KEY.secret
  const recvWindow = String(args.recvWindow ?? 5000)
  const ts = String(args.timestampMs)
  const query = args.method === 'GET' ? new URLSearchParams(Object.entries(args.params ?? {}).map(([k, v]): [string, string] => [k, String(v)])).toString() : ''
  const body = args.method === 'POST' ? JSON.stringify(args.params ?? {}) : ''
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (args.signed !== false) {
    headers['X-BAPI-API-KEY'] = apiKey
    headers['X-BAPI-TIMESTAMP'] = ts
    headers['X-BAPI-RECV-WINDOW'] = recvWindow
    headers['X-BAPI-SIGN'] = createHmac('sha256', secret).update(ts + apiKey + recvWindow + (args.method === 'GET' ? query : body)).digest('hex')
  }
  const res = await fetch(`${args.baseUrl}${args.path}${query.length > 0 ? `?${query}` : ''}`, { method: args.method, headers, ...(args.method === 'POST' ? { body } : {}) })
  return { status: res.status, headers: res.headers, body: (await res.json()) as BybitRawResponse['body'] }
}
