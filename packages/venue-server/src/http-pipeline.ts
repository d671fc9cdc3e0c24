/**
 * The HTTP request pipeline shared by every dialect: read the request, log it, find the route, apply the
 * fault plan (before or after the venue acts), run the route, add the dialect's headers, answer, and record
 * the answer in the wire event log.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Clock } from '@perpkit/core'
import type { DialectInstance, HttpMethod, Route, VenueRequest, VenueResponse } from './dialect.js'
import type { WireEventLog } from './event-log.js'
import type { FaultEngine, HttpFault } from './fault-plan.js'
import { loggableParams, type RequestLog, type RequestLogEntry } from './request-log.js'

const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE']

/**
 * The request handler of one server.
 * @example
 * ```ts
 * const pipeline = createHttpPipeline({ instance, clock, faults, requestLog, eventLog })
 * http.createServer((req, res) => void pipeline.handle(req, res))
 * ```
 */
export interface HttpPipeline {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>
  /** Destroy the connections of requests that are deliberately left unanswered. */
  releaseHeld(): void
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** What the request log keeps of a request: its parameters plus the top-level scalar fields of a JSON body (Bybit v5). */
function logParamsOf(params: URLSearchParams, body: string, contentType: string | undefined): URLSearchParams {
  if (body.length === 0 || !(contentType ?? '').includes('application/json')) return params
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return params // the route answers a malformed body; the log keeps what it can
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return params
  const out = new URLSearchParams(params)
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.append(k, String(v))
  return out
}

function paramsOf(rawQuery: string, body: string, contentType: string | undefined): URLSearchParams {
  const params = new URLSearchParams(rawQuery)
  if (body.length > 0 && (contentType ?? '').includes('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(body)) params.append(k, v)
  }
  return params
}

/**
 * Create the pipeline.
 *
 * @param args.instance - the running dialect
 * @param args.clock - server clock (arrival times, slow responses)
 * @param args.faults - fault engine
 * @param args.requestLog - request log
 * @param args.eventLog - wire event log
 * @returns the pipeline
 * @throws never
 * @example
 * ```ts
 * const pipeline = createHttpPipeline({ instance, clock, faults, requestLog, eventLog })
 * ```
 */
export function createHttpPipeline(args: {
  readonly instance: DialectInstance
  readonly clock: Clock
  readonly faults: FaultEngine
  readonly requestLog: RequestLog
  readonly eventLog: WireEventLog
}): HttpPipeline {
  const { instance, clock, faults, requestLog, eventLog } = args
  const routes = new Map<string, Route>(instance.routes.map((r) => [`${r.method} ${r.path}`, r]))
  const held = new Set<ServerResponse>()

  const answer = (res: ServerResponse, request: VenueRequest, entry: RequestLogEntry, ref: string, response: VenueResponse): void => {
    const extra = instance.responseHeaders?.(request, response) ?? {}
    const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body)
    const headers: Record<string, string> = {
      'content-type': typeof response.body === 'string' ? 'text/html;charset=utf-8' : 'application/json',
      ...extra,
      ...response.headers,
    }
    entry.status = response.status
    eventLog.record({ timestampMs: clock.now(), kind: 'http', ref, status: response.status, body })
    res.writeHead(response.status, headers)
    res.end(body)
  }
  const hold = (res: ServerResponse): void => {
    held.add(res)
    res.on('close', () => held.delete(res))
  }

  return {
    async handle(req, res) {
      const body = await readBody(req)
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const rawQuery = url.search.startsWith('?') ? url.search.slice(1) : url.search
      const method = (req.method ?? 'GET').toUpperCase()
      const params = paramsOf(rawQuery, body, req.headers['content-type'])
      const seq = requestLog.nextSeq()
      const request: VenueRequest = {
        method: (METHODS.includes(method) ? method : 'GET') as HttpMethod,
        path: url.pathname,
        params,
        rawQuery,
        body,
        headers: req.headers,
        receivedAtMs: clock.now(),
        seq,
      }
      const route = METHODS.includes(method) ? routes.get(`${method} ${url.pathname}`) : undefined
      const apiKey = req.headers['x-mbx-apikey'] ?? req.headers['x-bapi-api-key']
      const entry = requestLog.add({
        timestampMs: request.receivedAtMs,
        transport: 'http',
        method,
        path: url.pathname,
        ...(route === undefined ? {} : { route: route.name }),
        params: loggableParams(logParamsOf(params, body, req.headers['content-type'])),
        ...(typeof apiKey === 'string' ? { apiKey } : {}),
        accepted: false,
      })
      if (route === undefined) {
        answer(res, request, entry, `${method} ${url.pathname}`, instance.notFound(request))
        return
      }
      const fault: HttpFault | undefined = faults.takeHttpFault(route)
      if (fault !== undefined) entry.fault = fault.kind
      switch (fault?.kind) {
        case 'timeout-before-accept':
          hold(res)
          return
        case 'http-5xx-before-accept':
        case 'rate-limited':
        case 'maintenance':
          answer(res, request, entry, route.name, instance.renderFault(fault, request))
          return
        case 'slow':
          await clock.sleep(fault.delayMs ?? 1_000)
          break
        default:
          break
      }
      let response: VenueResponse
      try {
        response = await route.handle(request)
      } catch (error) {
        entry.fault = `internal-error: ${error instanceof Error ? error.message : String(error)}`
        answer(res, request, entry, route.name, instance.renderFault({ kind: 'http-5xx-before-accept' }, request))
        return
      }
      entry.accepted = response.accepted === true
      if (fault?.kind === 'timeout-after-accept') {
        hold(res)
        return
      }
      if (fault?.kind === 'http-5xx-after-accept') {
        answer(res, request, entry, route.name, instance.renderFault(fault, request))
        return
      }
      answer(res, request, entry, route.name, response)
    },
    releaseHeld() {
      for (const res of held) res.destroy()
      held.clear()
    },
  }
}
