/**
 * Test helpers: a minimal signed Binance HTTP client written from the docs' signing rule (query string,
 * HMAC-SHA256 hex of the query + body, `X-MBX-APIKEY` header) — independent of the server's own code.
 */
import { createHmac } from 'node:crypto'
import { DEFAULT_API_KEY } from '../src/index.js'

export interface RawResponse {
  readonly status: number
  readonly headers: Headers
  readonly body: unknown
}

export async function binanceRequest(args: {
  readonly baseUrl: string
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  readonly path: string
  readonly params?: Readonly<Record<string, string | number | boolean>>
  readonly signed?: boolean
  readonly timestampMs?: number
  readonly apiKey?: string
  readonly secret?: string
}): Promise<RawResponse> {
  const params = new URLSearchParams(Object.entries(args.params ?? {}).map(([k, v]): [string, string] => [k, String(v)]))
  if (args.signed === true) {
    params.set('timestamp', String(args.timestampMs ?? Date.now()))
    const signature = createHmac('sha256', args.secret ?? DEFAULT_API_KEY.secret).update(params.toString()).digest('hex')
    params.set('signature', signature)
  }
  const headers: Record<string, string> = {}
  if (args.signed === true || args.apiKey !== undefined) headers['X-MBX-APIKEY'] = args.apiKey ?? DEFAULT_API_KEY.apiKey
  const query = params.toString()
  const res = await fetch(`${args.baseUrl}${args.path}${query.length > 0 ? `?${query}` : ''}`, { method: args.method, headers })
  const text = await res.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON (HTML error pages)
  }
  return { status: res.status, headers: res.headers, body }
}
