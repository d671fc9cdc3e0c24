/**
 * A real ccxt 4.5.84 `binanceusdm` (ccxt pro, so the WebSocket methods exist) with every Binance USDⓈ-M URL
 * pointed at a local venue server. Nothing else is changed: ccxt signs, builds and parses as it does live.
 */
import ccxt from 'ccxt'
import { DEFAULT_API_KEY, type VenueServer } from '../src/index.js'

type BinanceUsdm = InstanceType<typeof ccxt.pro.binanceusdm>

export function ccxtBinanceUsdm(server: VenueServer, overrides: Record<string, unknown> = {}): BinanceUsdm {
  const exchange = new ccxt.pro.binanceusdm({
    apiKey: DEFAULT_API_KEY.apiKey,
    secret: DEFAULT_API_KEY.secret,
    enableRateLimit: false,
    timeout: 5_000,
    // the spot wallet's currency list (sapi) is not part of USDⓈ-M futures; every other option is ccxt's default
    options: { fetchCurrencies: false },
    ...overrides,
  })
  const api = exchange.urls['api'] as Record<string, unknown>
  for (const [k, v] of Object.entries(api)) {
    if (typeof v === 'string' && v.startsWith('https://fapi.binance.com')) api[k] = v.replace('https://fapi.binance.com', server.httpUrl)
    else if (typeof v === 'string') api[k] = 'http://127.0.0.1:9/blocked-non-futures-endpoint'
  }
  const ws = api['ws'] as Record<string, unknown> | undefined
  if (ws !== undefined) {
    ws['future'] = `${server.wsUrl}/ws`
    const wsApi = ws['ws-api'] as Record<string, string> | undefined
    if (wsApi !== undefined) wsApi['future'] = `${server.wsUrl}/ws-fapi/v1`
  }
  return exchange
}
