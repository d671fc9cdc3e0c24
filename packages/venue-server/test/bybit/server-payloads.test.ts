import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { z } from 'zod'
import { DEFAULT_API_KEY, type VenueServer } from '../../src/index.js'
import { bybitErrorEnvelope } from '../../src/bybit/schemas/primitives.js'
import { bybitRestSchemas } from '../../src/bybit/schemas/rest.js'
import { bybitWsSchemas } from '../../src/bybit/schemas/ws.js'
import { ccxtBybit } from '../ccxt-bybit.js'
import { startBybit } from './scenario.js'

let server: VenueServer | undefined
const sockets: WebSocket[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate()
  await server?.close()
  server = undefined
})

const ROUTE_SCHEMA: Readonly<Record<string, z.ZodType>> = {
  'market.time': bybitRestSchemas.serverTime,
  'market.instruments-info': bybitRestSchemas.instruments,
  'market.kline': bybitRestSchemas.kline,
  'market.tickers': bybitRestSchemas.tickers,
  'market.funding-history': bybitRestSchemas.fundingHistory,
  'order.create': bybitRestSchemas.orderAck,
  'order.amend': bybitRestSchemas.orderAck,
  'order.cancel': bybitRestSchemas.orderAck,
  'order.cancel-all': bybitRestSchemas.cancelAll,
  'order.realtime': bybitRestSchemas.orderList,
  'order.history': bybitRestSchemas.orderList,
  'execution.list': bybitRestSchemas.executionList,
  'position.list': bybitRestSchemas.positionList,
  'position.set-leverage': bybitRestSchemas.empty,
  'position.switch-mode': bybitRestSchemas.empty,
  'account.set-margin-mode': bybitRestSchemas.setMarginMode,
  'account.info': bybitRestSchemas.accountInfo,
  'account.wallet-balance': bybitRestSchemas.walletBalance,
  'user.query-api': bybitRestSchemas.apiKeyInfo,
  'asset.coin-query-info': bybitRestSchemas.coinInfo,
}

function wsSchemaOf(frame: Record<string, unknown>): [string, z.ZodType] {
  const topic = typeof frame.topic === 'string' ? frame.topic : undefined
  if (topic === 'order' || topic === 'execution' || topic === 'position' || topic === 'wallet') return [topic, bybitWsSchemas[topic]]
  if (topic?.startsWith('kline.') === true) return ['kline', bybitWsSchemas.kline]
  if (topic?.startsWith('publicTrade.') === true) return ['publicTrade', bybitWsSchemas.publicTrade]
  if (topic?.startsWith('tickers.') === true) return ['tickers', bybitWsSchemas.tickers]
  if (frame.op === 'pong') return ['privatePong', bybitWsSchemas.privatePong]
  if (frame.ret_msg === 'pong') return ['publicPong', bybitWsSchemas.publicPong]
  return [`answer:${String(frame.op)}`, bybitWsSchemas.commandAnswer]
}

async function open(url: string): Promise<{ ws: WebSocket; frames: unknown[] }> {
  const ws = new WebSocket(url)
  sockets.push(ws)
  const frames: unknown[] = []
  ws.on('message', (d) => frames.push(JSON.parse(String(d))))
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  return { ws, frames }
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !check(); i++) await new Promise((r) => setTimeout(r, 20))
  if (!check()) throw new Error('condition not reached')
}

describe('every REST answer and WebSocket frame the server sent validates against its zod schema', () => {
  it('a session touching every endpoint and topic', async () => {
    ;({ server } = await startBybit())
    const s = server
    s.handle.step(2)
    const now = (): number => s.handle.clock.now()

    const priv = await open(`${s.wsUrl}/v5/private`)
    const expires = now() + 10_000
    priv.ws.send(JSON.stringify({ op: 'auth', args: [DEFAULT_API_KEY.apiKey, expires, createHmac('sha256', DEFAULT_API_KEY.secret).update(`GET/realtime${String(expires)}`).digest('hex')] }))
    priv.ws.send(JSON.stringify({ op: 'subscribe', args: ['order', 'execution', 'position', 'wallet'] }))
    priv.ws.send(JSON.stringify({ req_id: 'p1', op: 'ping' }))
    const pub = await open(`${s.wsUrl}/v5/public/linear`)
    pub.ws.send(JSON.stringify({ op: 'subscribe', args: ['kline.1.BTCUSDT', 'publicTrade.BTCUSDT', 'tickers.BTCUSDT'] }))
    pub.ws.send(JSON.stringify({ op: 'ping' }))
    await until(() => priv.frames.length >= 3 && pub.frames.length >= 3)

    const exchange = ccxtBybit(s)
    await exchange.loadMarkets()
    await exchange.fetchTime()
    await exchange.fetchOHLCV('BTC/USD:BTC', '1m')
    await exchange.fetchTicker('BTC/USDT:USDT')
    await exchange.fetchFundingRateHistory('BTC/USDT:USDT')
    await exchange.setPositionMode(true, 'BTC/USDT:USDT')
    await exchange.setPositionMode(false, 'BTC/USDT:USDT')
    await exchange.setLeverage(10, 'BTC/USDT:USDT')
    await exchange.setMarginMode('isolated')
    await exchange.setMarginMode('cross')
    const limit = await exchange.createOrder('BTC/USDT:USDT', 'limit', 'buy', 0.01, 17000, { clientOrderId: 'p-lim' })
    await exchange.editOrder(String(limit.id), 'BTC/USDT:USDT', 'limit', 'buy', 0.01, 17050)
    await exchange.cancelOrder(String(limit.id), 'BTC/USDT:USDT')
    await exchange.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01)
    await exchange.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.01, undefined, { triggerPrice: 17180, triggerDirection: 'descending', reduceOnly: true })
    await exchange.createOrder('BTC/USD:BTC', 'market', 'sell', 100)
    await exchange.createOrder('BTC/USD:BTC', 'limit', 'buy', 10, 16000)
    await exchange.cancelAllOrders('BTC/USD:BTC')
    await exchange.fetchOpenOrders('BTC/USDT:USDT')
    await exchange.fetchClosedOrders('BTC/USDT:USDT')
    await exchange.fetchMyTrades('BTC/USD:BTC')
    await exchange.fetchPositions()
    await exchange.fetchBalance()
    await expect(exchange.createOrder('BTC/USDT:USDT', 'market', 'buy', 100)).rejects.toThrow() // an error answer
    s.handle.step(8) // the stop triggers and fills; klines and tickers stream
    s.handle.venue.applyTrade({ symbol: 'BTC/USDT:USDT', trade: { tradeId: 't-1', timestampMs: now(), price: 17170, qty: 0.5, side: 'sell' } })
    await until(() => pub.frames.some((f) => (f as { topic?: string }).topic === 'publicTrade.BTCUSDT'))
    await until(() => priv.frames.filter((f) => (f as { topic?: string }).topic === 'execution').length >= 3)

    const seen = new Set<string>()
    const failures: string[] = []
    for (const e of s.handle.eventLog()) {
      const body = JSON.parse(e.body) as Record<string, unknown>
      if (e.kind === 'http') {
        const ok = body.retCode === 0
        const schema = ok ? ROUTE_SCHEMA[e.ref] : bybitErrorEnvelope
        if (schema === undefined) {
          failures.push(`no schema for route ${e.ref}`)
          continue
        }
        seen.add(ok ? e.ref : 'error')
        const r = schema.safeParse(body)
        if (!r.success) failures.push(`${e.ref}: ${JSON.stringify(r.error.issues.slice(0, 3))}`)
      } else if (e.kind === 'ws') {
        const [name, schema] = wsSchemaOf(body)
        seen.add(name)
        const r = schema.safeParse(body)
        if (!r.success) failures.push(`${name}: ${JSON.stringify(r.error.issues.slice(0, 3))}`)
      }
    }
    expect(failures).toEqual([])
    expect([...seen].sort()).toEqual(
      [...Object.keys(ROUTE_SCHEMA), 'error', 'order', 'execution', 'position', 'wallet', 'kline', 'publicTrade', 'tickers', 'privatePong', 'publicPong', 'answer:auth', 'answer:subscribe'].sort(),
    )
  })
})
