import { describe, expect, it } from 'vitest'
import { redactSecrets } from './redact.js'

// Credentials from Binance's API documentation worked example (SIGNED endpoint, HMAC SHA256):
// https://developers.binance.com/docs/derivatives/usds-margined-futures/general-info#signed-trade-and-user_data-endpoint-security
const BINANCE_API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'
const BINANCE_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'
const BINANCE_SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71'
const BINANCE_QUERY = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559'
// RFC 7519 §3.1 example JWT (the shape of an OAuth bearer token)
const JWT = 'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
// RFC 7468 §5.1 certificate example header/footer with a body line of the same shape
const PEM = ['-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj', 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo', '-----END PRIVATE KEY-----'].join('\n')

describe('redactSecrets: secrets never survive', () => {
  it.each([
    ['an Authorization bearer header', `Authorization: Bearer ${JWT}`, ['eyJ0eXAi', 'dBjftJeZ4CVP']],
    ['a bearer token mid-sentence', `request failed (headers Authorization Bearer ${JWT}) 401`, ['eyJ0eXAi']],
    ['secret_key= in a query', `POST /api?secret_key=${BINANCE_SECRET}&symbol=BTCUSDT`, [BINANCE_SECRET]],
    ['a URL-encoded signature', `url=https%3A%2F%2Ffapi.binance.com%2Forder%3F${encodeURIComponent(BINANCE_QUERY)}%26signature%3D${BINANCE_SIGNATURE}`, [BINANCE_SIGNATURE]],
    ['a twice URL-encoded signature', `q=signature%253Dab12cd34ef%2526symbol%253DBTC`, ['ab12cd34ef']],
    ['password=', 'login failed password=hunter2 user=alice', ['hunter2']],
    ['access_token=', 'GET /v5/user?access_token=ya29.a0AfH6SMBx&limit=5', ['ya29.a0AfH6SMBx']],
    ['a Cookie header', 'Cookie: session=abc123; csrftoken=zz9', ['abc123', 'zz9']],
    ['a Set-Cookie header mid-text', 'response Set-Cookie: sid=31d4d96e407aad42; Path=/; Secure', ['31d4d96e407aad42']],
    ['a PEM private key', `key material:\n${PEM}\ndone`, ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj', 'MIIBIjANBg']],
    ['a PEM block cut before its END line', `${PEM.split('\n').slice(0, 2).join('\n')}`, ['MIIEvQIBADANBg']],
    ['Binance signed query', `${BINANCE_QUERY}&signature=${BINANCE_SIGNATURE}`, [BINANCE_SIGNATURE]],
    ['Binance API key header', `X-MBX-APIKEY: ${BINANCE_API_KEY}`, [BINANCE_API_KEY]],
    ['Bybit sign headers inline', 'sent X-BAPI-API-KEY: XXXXXXXXXXXXXXXXXX, X-BAPI-SIGN: 1b5e8a2f and X-BAPI-TIMESTAMP: 1', ['XXXXXXXXXXXXXXXXXX', '1b5e8a2f']],
    ['a JSON body', '{"api_key":"XXXXXXXXXX","sign":"YYYYYYYY","passphrase":"PPPP","symbol":"BTCUSD"}', ['XXXXXXXXXX', 'YYYYYYYY', 'PPPP']],
    ['an escaped JSON body', '{\\"privateKey\\":\\"k-123\\",\\"qty\\":\\"5\\"}', ['k-123']],
    ['a field nobody listed', 'x_vendor_credential=topsecret42', ['topsecret42']],
    ['a short signature', 'GET /fapi/v1/order?symbol=BTCUSDT&timestamp=1&signature=abc123def', ['abc123def']],
    ['apiKey= and secret=', 'apiKey=K1 secret=S1', ['K1', 'S1']],
    ['an Authorization header without a scheme', 'Authorization: Bearer-token-123', ['Bearer-token-123']],
    ['a bare API key in prose', `invalid key ${BINANCE_API_KEY} for this IP`, [BINANCE_API_KEY]],
  ])('%s', (_name, text, secrets) => {
    const out = redactSecrets(text)
    for (const s of secrets) expect(out).not.toContain(s)
    expect(out).toContain('[redacted]')
  })
})

describe('redactSecrets: safe fields and venue messages survive', () => {
  it.each([
    // Binance USDⓈ-M error messages (error code documentation)
    ['{"code":-2019,"msg":"Margin is insufficient."}'],
    ['{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}'],
    ['{"code":-2021,"msg":"Order would immediately trigger."}'],
    ['{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}'],
    // Bybit v5 error messages
    ['{"retCode":110007,"retMsg":"ab not enough for new order","result":{},"time":1672211928338}'.replace('"result":{},', '')],
    ['{"retCode":110072,"retMsg":"OrderLinkedID is duplicate"}'],
    // the order parameters of Binance's signed-request example
    [BINANCE_QUERY],
    ['newClientOrderId=pk_0a1b2c3d4e5f60718293a4b5_en0 orderId=283194212'],
    ['GET https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT'],
    ['X-MBX-USED-WEIGHT-1M: 42'],
  ])('%s', (text) => {
    expect(redactSecrets(text)).toBe(text)
  })

  it('is idempotent', () => {
    const once = redactSecrets(`${BINANCE_QUERY}&signature=${BINANCE_SIGNATURE} Authorization: Bearer ${JWT}`)
    expect(redactSecrets(once)).toBe(once)
    expect(once).toBe(`${BINANCE_QUERY}&signature=[redacted] Authorization: Bearer [redacted]`)
  })
})
