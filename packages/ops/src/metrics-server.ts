import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PerpkitError } from '@perpkit/core'
import type { Registry } from 'prom-client'

/** Options of {@link serveMetrics}. */
export interface MetricsServerOptions {
  /** What to serve. */
  readonly registry: Registry
  /** Interface to bind (default `127.0.0.1`: expose it on purpose, e.g. `0.0.0.0` inside a container). */
  readonly host?: string
  /** Port (default 9464; 0 picks a free one). */
  readonly port?: number
  /** Path of the metrics (default `/metrics`). */
  readonly path?: string
}

/** A running metrics server. */
export interface MetricsServer {
  /** The bound port. */
  readonly port: number
  /** Full URL of the metrics, e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string
  /** Stop listening. */
  close(): Promise<void>
}

/**
 * Serve a registry in the Prometheus text format on `GET <path>` (404 elsewhere, 405 for other methods).
 * Rejects with `PerpkitError` `network` if the port cannot be bound.
 *
 * @example
 * ```ts
 * import { createBotMetrics, serveMetrics } from '@perpkit/ops'
 * const metrics = createBotMetrics()
 * const server = await serveMetrics({ registry: metrics.registry, port: 9464 })
 * console.log(`scrape ${server.url}`)
 * await server.close()
 * ```
 */
export async function serveMetrics(options: MetricsServerOptions): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1'
  const path = options.path ?? '/metrics'
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n')
      return
    }
    options.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n'),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new PerpkitError('network', `cannot serve metrics on ${host}:${options.port ?? 9464}`, { cause: e, retryable: false })))
    server.listen(options.port ?? 9464, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    port,
    url: `http://${shownHost}:${port}${path}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e === undefined ? resolve() : reject(e)))
        server.closeAllConnections()
      }),
  }
}
