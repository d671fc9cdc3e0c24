import { describe, expect, it } from 'vitest'
import { bybitRestSchemas } from '../../src/bybit/schemas/rest.js'
import { bybitWsSchemas } from '../../src/bybit/schemas/ws.js'
import { docsFixture } from './fixtures.js'

// Each official docs example must pass the schema the server's output is checked with.
describe('Bybit v5 docs examples validate against the dialect schemas', () => {
  const rest: ReadonlyArray<[string, keyof typeof bybitRestSchemas]> = [
    ['rest_server_time', 'serverTime'],
    ['rest_instruments_info_linear', 'instruments'],
    ['rest_kline', 'kline'],
    ['rest_funding_history', 'fundingHistory'],
    ['rest_create_order', 'orderAck'],
    ['rest_amend_order', 'orderAck'],
    ['rest_cancel_order', 'orderAck'],
    ['rest_cancel_all', 'cancelAll'],
    ['rest_open_order', 'orderList'],
    ['rest_execution_list', 'executionList'],
    ['rest_position_list', 'positionList'],
    ['rest_wallet_balance', 'walletBalance'],
    ['rest_api_key_info', 'apiKeyInfo'],
  ]
  it.each(rest)('%s', (file, schema) => {
    const result = bybitRestSchemas[schema].safeParse(docsFixture(file))
    expect(result.error?.issues ?? []).toEqual([])
  })

  it('rest_tickers (inverse tab)', () => {
    const [inverse] = docsFixture('rest_tickers') as unknown[]
    expect(bybitRestSchemas.tickers.safeParse(inverse).error?.issues ?? []).toEqual([])
  })

  const ws: ReadonlyArray<[string, keyof typeof bybitWsSchemas]> = [
    ['ws_private_order', 'order'],
    ['ws_private_execution', 'execution'],
    ['ws_private_position', 'position'],
    ['ws_private_wallet', 'wallet'],
    ['ws_public_kline', 'kline'],
    ['ws_public_trade', 'publicTrade'],
    ['ws_public_ticker_linear', 'tickers'],
  ]
  it.each(ws)('%s', (file, schema) => {
    expect(bybitWsSchemas[schema].safeParse(docsFixture(file)).error?.issues ?? []).toEqual([])
  })

  it('ws command answers (auth, subscribe, pongs)', () => {
    const answers = docsFixture('ws_command_answers') as Record<string, unknown>
    expect(bybitWsSchemas.commandAnswer.safeParse(answers.authSuccess).success).toBe(true)
    expect(bybitWsSchemas.commandAnswer.safeParse(answers.privateSubscribe).success).toBe(true)
    expect(bybitWsSchemas.commandAnswer.safeParse(answers.publicSubscribeLinearInverse).success).toBe(true)
    expect(bybitWsSchemas.publicPong.safeParse(answers.publicPongLinearInverse).success).toBe(true)
    expect(bybitWsSchemas.privatePong.safeParse(answers.privatePong).success).toBe(true)
  })

  it('a schema rejects a payload that breaks it (missing avgPrice on a REST position)', () => {
    const doc = docsFixture('rest_position_list') as { result: { list: Array<Record<string, unknown>> } }
    const first = doc.result.list[0]
    if (first === undefined) throw new Error('fixture has no position')
    delete first.avgPrice
    expect(bybitRestSchemas.positionList.safeParse(doc).success).toBe(false)
  })
})
