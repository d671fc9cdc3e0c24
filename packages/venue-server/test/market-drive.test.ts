/**
 * Driving the public market from a test: a forming bar (`updateCandle`) goes out as Binance `x: false` and Bybit
 * `confirm: false` frames that pass the docs-pinned schemas, the applied bar closes it; the `skip` fault swallows
 * a kline frame (a skipped bar) while the bar stays in the klines history; a silenced socket leaves pings
 * unanswered (half-open) and answers them again afterwards.
 */
import { createTestClock } from '@perpkit/core'
import WebSocket from 'ws'
import { describe, expect, it } from 'vitest'
import { bybitWsSchemas } from '../src/bybit/schemas/ws.js'
import { binanceSchemas, startVenueServer } from '../src/index.js'
import { openSocket } from './ws-client.js'

const T0 = Date.UTC(2026, 0, 5)
const bar = (i: number, close: number) => ({ openTimeMs: T0 + i * 60_000, open: close - 5, high: close + 10, low: close - 10, close, volume: 2 })

describe('a test drives the market', () => {
  it('Binance: forming kline x:false, then the closed bar x:true; a skipped frame is still in /fapi/v1/klines', async () => {
    const clock = createTestClock(T0)
    const server = await startVenueServer({ dialect: 'binance-usdm', clock })
    try {
      const socket = await openSocket(`${server.wsUrl}/stream?streams=btcusdt@kline_1m`)
      server.handle.venue.updateCandle({ symbol: 'BTC/USDT:USDT', candle: bar(0, 65_000) })
      server.handle.venue.applyCandle({ symbol: 'BTC/USDT:USDT', candle: bar(0, 65_010) })
      server.handle.faults.ws({ kind: 'skip', channel: 'market', count: 1 })
      server.handle.venue.applyCandle({ symbol: 'BTC/USDT:USDT', candle: bar(1, 65_020) })
      server.handle.venue.applyCandle({ symbol: 'BTC/USDT:USDT', candle: bar(2, 65_030) })
      const frames = (await socket.waitFrames(3)) as { stream: string; data: unknown }[]
      const k = frames.map((f) => binanceSchemas.klineEvent.parse(f.data).k)
      expect(k.map((x) => [x.t, x.c, x.x])).toEqual([
        [T0, '65000.0', false],
        [T0, '65010.0', true],
        [T0 + 120_000, '65030.0', true],
      ])
      const rows = (await (await fetch(`${server.httpUrl}/fapi/v1/klines?symbol=BTCUSDT&interval=1m`)).json()) as unknown[][]
      expect(rows.map((r) => [r[0], r[4]])).toEqual([
        [T0, '65010.0'],
        [T0 + 60_000, '65020.0'],
        [T0 + 120_000, '65030.0'],
      ])
      socket.close()
    } finally {
      await server.close()
    }
  })

  it('Bybit: forming kline confirm:false, then confirm:true', async () => {
    const clock = createTestClock(T0)
    const server = await startVenueServer({ dialect: 'bybit', clock })
    try {
      const socket = await openSocket(`${server.wsUrl}/v5/public/inverse`)
      socket.send({ op: 'subscribe', args: ['kline.1.BTCUSD'] })
      await socket.waitFrames(1)
      server.handle.venue.updateCandle({ symbol: 'BTC/USD:BTC', candle: bar(0, 65_000) })
      server.handle.venue.applyCandle({ symbol: 'BTC/USD:BTC', candle: bar(0, 65_010) })
      const frames = await socket.waitFrames(3)
      const k = frames.slice(1).map((f) => bybitWsSchemas.kline.parse(f).data[0])
      expect(k.map((x) => [x?.start, x?.close, x?.confirm])).toEqual([
        [T0, '65000.0', false],
        [T0, '65010.0', true],
      ])
      socket.close()
    } finally {
      await server.close()
    }
  })

  it('a silenced channel leaves WebSocket pings unanswered until the silence ends', async () => {
    const clock = createTestClock(T0)
    const server = await startVenueServer({ dialect: 'binance-usdm', clock })
    try {
      const ws = new WebSocket(`${server.wsUrl}/stream?streams=btcusdt@aggTrade`)
      await new Promise((resolve) => ws.once('open', resolve))
      const pongs: string[] = []
      ws.on('pong', (d) => pongs.push(String(d)))
      const ping = async (tag: string): Promise<void> => {
        ws.ping(tag)
        // a loopback round trip; the answer to the next ping arrives after the answer to this one
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      await ping('a')
      server.handle.faults.ws({ kind: 'silence', channel: 'market', untilMs: T0 + 10_000 })
      await ping('b')
      clock.advance(10_000)
      await ping('c')
      for (let i = 0; i < 100 && !pongs.includes('c'); i++) await new Promise((resolve) => setTimeout(resolve, 10))
      expect(pongs).toEqual(['a', 'c'])
      ws.close()
    } finally {
      await server.close()
    }
  })
})
