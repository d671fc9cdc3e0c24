import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { binanceSchemas } from '../../src/index.js'
import { docsFixture } from './recorded.js'
import { runScenario, type ScenarioResult } from './scenario.js'

type SchemaName = keyof typeof binanceSchemas
const issues = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues ?? []

describe('Binance USDⓈ-M docs examples validate against the dialect schemas', () => {
  const cases: ReadonlyArray<[string, SchemaName, boolean]> = [
    ['exchange_info_symbol.doc', 'exchangeInfoSymbol', false],
    ['premium_index.doc', 'premiumIndex', false],
    ['user_trades.doc', 'userTrade', true],
    ['position_risk_v2.doc', 'positionRiskV2', true],
    ['open_algo_orders.doc', 'algoOrder', true],
    ['open_algo_orders', 'algoOrder', true],
    ['order_response', 'order', false],
    ['balance', 'balance', true],
    ['account_info_v2', 'account', false],
    ['order_update_new', 'orderTradeUpdate', false],
    ['order_update_trade', 'orderTradeUpdate', false],
    ['account_update', 'accountUpdate', false],
    ['algo_update_new', 'algoUpdate', false],
    ['algo_update_canceled', 'algoUpdate', false],
    ['kline_stream_closed', 'klineEvent', false],
    ['agg_trade_stream', 'aggTradeEvent', false],
    ['mark_price_stream', 'markPriceEvent', false],
  ]
  it.each(cases)('%s → %s', (file, schema, isArray) => {
    const value = docsFixture(file)
    const items = isArray ? (value as unknown[]) : [value]
    expect(items.length).toBeGreaterThan(0)
    for (const item of items) expect(issues(binanceSchemas[schema], item)).toEqual([])
  })
})

describe("the server's own output validates against the same schemas", () => {
  let run: ScenarioResult
  beforeAll(async () => {
    run = await runScenario()
  })
  afterAll(async () => {
    run.user.close()
    run.market.close()
    await run.server.close()
  })

  const rest: ReadonlyArray<[string, SchemaName, 'one' | 'each']> = [
    ['exchangeInfo', 'exchangeInfo', 'one'],
    ['time', 'serverTime', 'one'],
    ['listenKey', 'listenKey', 'one'],
    ['leverage', 'leverage', 'one'],
    ['limit', 'order', 'one'],
    ['getOrder', 'order', 'one'],
    ['openOrders', 'order', 'each'],
    ['cancel', 'order', 'one'],
    ['market', 'order', 'one'],
    ['stop', 'algoOrder', 'one'],
    ['tp', 'algoOrder', 'one'],
    ['openAlgoOrders', 'algoOrder', 'each'],
    ['cancelTp', 'algoCancel', 'one'],
    ['getAlgo', 'algoOrder', 'one'],
    ['allAlgoOrders', 'algoOrder', 'each'],
    ['allOrders', 'order', 'each'],
    ['userTrades', 'userTrade', 'each'],
    ['positionRiskV3', 'positionRiskV3', 'each'],
    ['positionRiskV2', 'positionRiskV2', 'each'],
    ['balance', 'balance', 'each'],
    ['accountV2', 'account', 'one'],
    ['accountV3', 'account', 'one'],
    ['premiumIndex', 'premiumIndex', 'one'],
    ['fundingRate', 'fundingRate', 'each'],
    ['klines', 'kline', 'each'],
    ['error', 'error', 'one'],
  ]
  it.each(rest)('REST %s → %s', (name, schema, shape) => {
    const res = run.rest[name]
    expect(res?.status).toBe(name === 'error' ? 400 : 200)
    const items = shape === 'each' ? (res?.body as unknown[]) : [res?.body]
    expect(items.length).toBeGreaterThan(0)
    for (const item of items) expect(issues(binanceSchemas[schema], item)).toEqual([])
  })

  it('the scenario did what it says: the stop triggered on the recorded path and funding settled', () => {
    expect(run.rest['getAlgo']?.body).toMatchObject({ algoStatus: 'FINISHED', clientAlgoId: 'sl-1' })
    expect((run.rest['userTrades']?.body as { side: string }[]).map((t) => t.side)).toEqual(['BUY', 'SELL'])
    expect((run.rest['fundingRate']?.body as { fundingTime: number }[]).map((f) => f.fundingTime)).toEqual([1758240000000, 1758268800005])
    expect(run.server.handle.state().positions).toEqual([])
  })

  it('every user-data frame validates against its schema', () => {
    const byEvent: Record<string, SchemaName> = { ORDER_TRADE_UPDATE: 'orderTradeUpdate', ALGO_UPDATE: 'algoUpdate', ACCOUNT_UPDATE: 'accountUpdate' }
    const seen = new Set<string>()
    for (const frame of run.user.frames) {
      const e = (frame as { e: string }).e
      seen.add(e)
      const schema = byEvent[e]
      expect(schema, `unexpected event ${e}`).toBeDefined()
      expect(issues(binanceSchemas[schema as SchemaName], frame)).toEqual([])
    }
    expect([...seen].sort()).toEqual(['ACCOUNT_UPDATE', 'ALGO_UPDATE', 'ORDER_TRADE_UPDATE'])
    const algo = run.user.frames.filter((f) => (f as { e: string }).e === 'ALGO_UPDATE').map((f) => (f as { o: { caid: string; X: string } }).o)
    expect(algo.map((o) => `${o.caid}:${o.X}`)).toEqual(['sl-1:NEW', 'tp-1:NEW', 'tp-1:CANCELED', 'sl-1:TRIGGERED', 'sl-1:FINISHED'])
  })

  it('every market frame (combined stream) validates against its schema', () => {
    const byEvent: Record<string, SchemaName> = { kline: 'klineEvent', markPriceUpdate: 'markPriceEvent' }
    const streams = new Set<string>()
    for (const wrapped of run.market.frames) {
      const { stream, data } = wrapped as { stream: string; data: { e: string } }
      streams.add(stream)
      const schema = byEvent[data.e]
      expect(schema).toBeDefined()
      expect(issues(binanceSchemas[schema as SchemaName], data)).toEqual([])
    }
    expect([...streams].sort()).toEqual(['btcusdt@kline_15m', 'btcusdt@kline_5m', 'btcusdt@markPrice'])
  })
})
