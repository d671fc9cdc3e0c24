/**
 * Schema parsing that fails with {@link InvalidInputError} carrying the path of the first bad field.
 * @module
 */
import type { z } from 'zod'
import { InvalidInputError } from './errors.js'

/**
 * Format a zod issue path as `a.b[0].c`.
 * @example
 * ```ts
 * import { formatIssuePath } from '@perpkit/core'
 * formatIssuePath(['orders', 0, 'qty']) // 'orders[0].qty'
 * ```
 */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out === '' ? String(key) : `.${String(key)}`
  }
  return out
}

/**
 * Parse `input` with `schema`, or throw {@link InvalidInputError} whose `path` names the first bad field and
 * whose message lists every problem (`what` prefixes the message, e.g. `'order request'`).
 *
 * @throws InvalidInputError when the input does not match the schema
 * @example
 * ```ts
 * import { parseOrThrow, orderRequestSchema } from '@perpkit/core'
 * try {
 *   parseOrThrow(orderRequestSchema, { symbol: 'BTC/USDT:USDT', qty: -1 }, 'order request')
 * } catch (e) {
 *   // InvalidInputError: clientOrderId: order request: ... ; qty: must be > 0
 * }
 * ```
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what = 'input'): z.output<S> {
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues
  const first = issues[0]
  const path = first ? formatIssuePath(first.path) : ''
  const summary = issues.map((i) => `${formatIssuePath(i.path) || '(root)'}: ${i.message}`).join('; ')
  throw new InvalidInputError(`invalid ${what}: ${summary}`, {
    cause: parsed.error,
    details: { issues: issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message })) },
    ...(path ? { path } : {}),
  })
}
