/**
 * Secret redaction by allow-list: a field's value survives only when the field is known to be safe.
 *
 * A "field" is any `name=value`, `name%3Dvalue` (URL-encoded, once or twice), `"name": value` (JSON, plain or
 * backslash-escaped) or `Name: value` (a header line, or a hyphenated header name anywhere). Values of fields
 * whose name is not on {@link SAFE_FIELDS} become `[redacted]`, so a credential under a name nobody thought of
 * (`secret_key`, `access_token`, `password`, `X-Some-Vendor-Sign`) is removed without being listed anywhere.
 * Things that are never fields are removed by shape: PEM blocks, `Cookie:` / `Set-Cookie:` lines, credentials
 * after an HTTP authorization scheme (`Bearer …`, `Basic …`), and long opaque tokens (≥ 32 characters of
 * base64/hex alphabet mixing letters and digits, the shape of API keys and signatures).
 * @module
 */

/** What replaces a removed value. */
const REDACTED = '[redacted]'

/**
 * Field names whose values are safe to show (compared lower-cased, without `-` and `_`): order parameters,
 * identifiers, timestamps, venue status codes and messages, and rate-limit headers. Anything else is redacted.
 */
const SAFE_FIELDS: ReadonlySet<string> = new Set(
  [
    // order and query parameters (Binance USDⓈ-M, Bybit v5)
    'symbol', 'side', 'type', 'orderType', 'timeInForce', 'quantity', 'qty', 'price', 'stopPrice', 'triggerPrice',
    'triggerBy', 'triggerDirection', 'reduceOnly', 'closePosition', 'closeOnTrigger', 'positionSide', 'positionIdx',
    'workingType', 'priceProtect', 'priceMatch', 'newOrderRespType', 'category', 'leverage', 'marginType',
    'marginMode', 'limit', 'startTime', 'endTime', 'fromId', 'cursor', 'activationPrice', 'callbackRate',
    // identifiers
    'orderId', 'clientOrderId', 'newClientOrderId', 'origClientOrderId', 'orderLinkId', 'tradeId', 'execId',
    // time
    'timestamp', 'recvWindow', 'time', 'serverTime', 'timeNow', 'timeSecond', 'updateTime',
    // status, codes and messages (their text passes through the same redaction)
    'code', 'msg', 'retCode', 'retMsg', 'retExtInfo', 'status', 'orderStatus', 'rejectReason', 'reason',
    'error', 'message', 'venueCode', 'state', 'method', 'path',
    // rate-limit and plain HTTP headers
    'retryAfter', 'retryAfterMs', 'weight', 'X-MBX-USED-WEIGHT-1M', 'X-MBX-ORDER-COUNT-10S', 'X-MBX-ORDER-COUNT-1M',
    'X-Bapi-Limit', 'X-Bapi-Limit-Status', 'X-Bapi-Limit-Reset-Timestamp', 'Content-Type', 'Content-Length', 'Date',
  ].map(normalise),
)

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '')
}

const isSafe = (name: string): boolean => SAFE_FIELDS.has(normalise(name))

/** PEM blocks (a BEGIN without END redacts to the end of the text). */
const PEM = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g
/** Cookie headers: the whole value (cookie names are arbitrary). */
const COOKIE = /\b((?:set-)?cookie\s*:\s*)[^\r\n]*/gi
/** Credentials after an HTTP authorization scheme. */
const AUTH_SCHEME = /\b(Bearer|Basic|Digest|Token|HMAC-SHA256)(\s+)[A-Za-z0-9._~+/=-]+/g
/** A header line (`Name: value` at the start of a line; not a URL scheme). */
const HEADER_LINE = /(^|[\r\n])([ \t]*)([A-Za-z][\w-]*)([ \t]*:[ \t]*)(?!\/\/)([^\r\n]*)/g
/** A hyphenated header name anywhere (`X-MBX-APIKEY: …`). */
const HEADER_INLINE = /(^|[^\w-])([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+)(\s*:\s*)(?!\/\/|\[redacted\])([^\s,;}\]]+)/g
/** A JSON member, plain or backslash-escaped: `"name": "value"` or `"name": 123`. */
const JSON_MEMBER = /(\\?["'])([A-Za-z_][\w.-]*)\1(\s*:\s*)(\\?"(?:[^"\\]|\\(?!")[\s\S])*?\\?"|[^,}\]\s]+)/g
/** A parameter `name=value`, with `=` possibly URL-encoded once or twice. The value stops at `&`/`%26`. */
const PARAM = /(^|[^\w.-])([A-Za-z_][\w.-]*)(=|%3[dD]|%253[dD])(?!\[redacted\])((?:(?!%26|%2526)[^&\s"',;}\])])*)/g
/** A long opaque token: the shape of API keys and signatures. */
const OPAQUE = /[A-Za-z0-9+/=]{32,}/g
const isOpaque = (token: string): boolean => /[0-9]/.test(token) && /[A-Za-z]/.test(token)

/**
 * Remove secrets from any text that may leave the process (error messages, event payloads). Values survive
 * only under field names known to be safe (order parameters, ids, timestamps, venue codes and messages,
 * rate-limit headers); PEM blocks, cookies, authorization credentials and long opaque tokens never survive.
 *
 * @param text - any text
 * @returns the text with every value not known to be safe replaced by `[redacted]`
 * @example
 * ```ts
 * import { redactSecrets } from '@perpkit/oms'
 * redactSecrets('GET /order?symbol=BTCUSDT&signature=abc123') // 'GET /order?symbol=BTCUSDT&signature=[redacted]'
 * redactSecrets('Authorization: Bearer eyJhbGciOi') // 'Authorization: [redacted]'
 * ```
 */
export function redactSecrets(text: string): string {
  return text
    .replace(PEM, REDACTED)
    .replace(COOKIE, `$1${REDACTED}`)
    .replace(AUTH_SCHEME, `$1$2${REDACTED}`)
    .replace(HEADER_LINE, (all: string, start: string, indent: string, name: string, sep: string, value: string) =>
      isSafe(name) || value === '' ? all : `${start}${indent}${name}${sep}${REDACTED}`,
    )
    .replace(HEADER_INLINE, (all: string, start: string, name: string, sep: string) => (isSafe(name) ? all : `${start}${name}${sep}${REDACTED}`))
    .replace(JSON_MEMBER, (all: string, quote: string, name: string, sep: string, value: string) => {
      if (isSafe(name)) return all
      const q = value.startsWith('\\"') ? '\\"' : value.startsWith('"') ? '"' : ''
      return `${quote}${name}${quote}${sep}${q}${REDACTED}${q}`
    })
    .replace(PARAM, (all: string, start: string, name: string, sep: string, value: string) =>
      isSafe(name) || value === '' ? all : `${start}${name}${sep}${REDACTED}`,
    )
    .replace(OPAQUE, (token: string) => (isOpaque(token) ? REDACTED : token))
}
