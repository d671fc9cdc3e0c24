/**
 * One deterministic Binance session driven by a raw signed client on a TestClock over the recorded price path:
 * market data, limit / market / algo orders, a stop that triggers on the recorded path, account queries,
 * settings, a listen key with a user-data socket and a market socket. Used by the payload and determinism tests.
 */
import { createTestClock } from '@perpkit/core'
import { startVenueServer, type VenueServer } from '../../src/index.js'
import { binanceRequest, type RawResponse } from '../helpers.js'
import { openSocket, type RecordingSocket, settle } from '../ws-client.js'
import { recordedCandles, recordedFunding } from './recorded.js'

export const BTC = 'BTC/USDT:USDT'
export const T0 = Date.UTC(2025, 8, 19)

export interface ScenarioResult {
  readonly server: VenueServer
  readonly rest: Record<string, RawResponse>
  readonly user: RecordingSocket
  readonly market: RecordingSocket
}

export async function runScenario(seed = 7): Promise<ScenarioResult> {
  const clock = createTestClock(T0)
  const server = await startVenueServer({
    dialect: 'binance-usdm',
    clock,
    seed,
    data: { timeframeMs: 300_000, candles: { [BTC]: recordedCandles() }, funding: { [BTC]: recordedFunding() } },
  })
  const rest: Record<string, RawResponse> = {}
  const call = async (name: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params: Record<string, string> = {}, signed = true) => {
    rest[name] = await binanceRequest({ baseUrl: server.httpUrl, method, path, params, signed, timestampMs: clock.now() })
    return rest[name]
  }
  server.handle.step(1)
  const key = await binanceRequest({ baseUrl: server.httpUrl, method: 'POST', path: '/fapi/v1/listenKey', apiKey: 'perpkit-local-key' })
  rest['listenKey'] = key
  const listenKey = (key.body as { listenKey: string }).listenKey
  const user = await openSocket(`${server.wsUrl}/private/ws?listenKey=${listenKey}`)
  const market = await openSocket(`${server.wsUrl}/market/stream?streams=btcusdt@kline_5m/btcusdt@kline_15m/btcusdt@markPrice`)
  await call('exchangeInfo', 'GET', '/fapi/v1/exchangeInfo', {}, false)
  await call('time', 'GET', '/fapi/v1/time', {}, false)
  await call('leverage', 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '10' })
  await call('limit', 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.010', price: '116000.0', newClientOrderId: 'lim-1' })
  await call('getOrder', 'GET', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'lim-1' })
  await call('openOrders', 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' })
  await call('cancel', 'DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'lim-1' })
  await call('market', 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.020', newClientOrderId: 'mkt-1' })
  await call('stop', 'POST', '/fapi/v1/algoOrder', { algoType: 'CONDITIONAL', symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', quantity: '0.020', triggerPrice: '116900.0', workingType: 'CONTRACT_PRICE', reduceOnly: 'true', clientAlgoId: 'sl-1' })
  await call('tp', 'POST', '/fapi/v1/algoOrder', { algoType: 'CONDITIONAL', symbol: 'BTCUSDT', side: 'SELL', type: 'TAKE_PROFIT_MARKET', triggerPrice: '130000.0', closePosition: 'true', clientAlgoId: 'tp-1' })
  await call('openAlgoOrders', 'GET', '/fapi/v1/openAlgoOrders', { symbol: 'BTCUSDT' })
  await call('cancelTp', 'DELETE', '/fapi/v1/algoOrder', { clientAlgoId: 'tp-1' })
  await call('positionRiskV3', 'GET', '/fapi/v3/positionRisk', { symbol: 'BTCUSDT' })
  await call('positionRiskV2', 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })
  // feed bars 50 minutes at a time and keep the listen key alive, as a client does (it expires after 60 minutes)
  const feed = async (bars: number): Promise<void> => {
    for (let left = bars; left > 0; left -= 10) {
      server.handle.step(Math.min(10, left))
      await binanceRequest({ baseUrl: server.httpUrl, method: 'PUT', path: '/fapi/v1/listenKey', apiKey: 'perpkit-local-key' })
    }
  }
  // the recorded path rises first, then falls through 116,900 (lows of 116,567 around 06:40): the stop triggers
  await feed(90)
  await call('getAlgo', 'GET', '/fapi/v1/algoOrder', { clientAlgoId: 'sl-1' })
  await call('allAlgoOrders', 'GET', '/fapi/v1/allAlgoOrders', { symbol: 'BTCUSDT' })
  await call('allOrders', 'GET', '/fapi/v1/allOrders', { symbol: 'BTCUSDT' })
  await call('userTrades', 'GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT' })
  await call('balance', 'GET', '/fapi/v2/balance')
  await call('accountV2', 'GET', '/fapi/v2/account')
  await call('accountV3', 'GET', '/fapi/v3/account')
  // past the 08:00 funding settlement
  await feed(17)
  await call('premiumIndex', 'GET', '/fapi/v1/premiumIndex', { symbol: 'BTCUSDT' }, false)
  await call('fundingRate', 'GET', '/fapi/v1/fundingRate', { symbol: 'BTCUSDT' }, false)
  await call('klines', 'GET', '/fapi/v1/klines', { symbol: 'BTCUSDT', interval: '15m', limit: '10' }, false)
  await call('error', 'GET', '/fapi/v1/klines', { symbol: 'NOPE', interval: '15m' }, false)
  await settle(300)
  return { server, rest, user, market }
}
