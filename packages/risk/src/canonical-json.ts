/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, numbers in JavaScript's shortest
 * round-trip form (`-0` written as `0`), `undefined` properties omitted. Used for decision signatures.
 * @module
 */
import { InvalidInputError } from '@perpkit/core'

/**
 * Encode `value` as canonical JSON so that equal values always produce identical bytes.
 *
 * @param value - plain JSON-like data (objects, arrays, strings, finite numbers, booleans, null)
 * @returns the canonical string
 * @throws InvalidInputError for NaN/±Infinity, `undefined` inside arrays, functions, symbols, bigints or
 *   non-plain objects (the path of the offending value is reported)
 * @example
 * ```ts
 * import { canonicalJson } from '@perpkit/risk'
 * canonicalJson({ b: 1, a: [true, null, 'x'] }) // '{"a":[true,null,"x"],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '')
}

function encode(value: unknown, path: string): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidInputError('canonical JSON cannot encode a non-finite number', { path: path || '(root)' })
      return Object.is(value, -0) ? '0' : JSON.stringify(value)
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value
          .map((v, i) => {
            if (v === undefined) throw new InvalidInputError('canonical JSON cannot encode undefined in an array', { path: `${path}[${i}]` })
            return encode(v, `${path}[${i}]`)
          })
          .join(',')}]`
      }
      const proto = Object.getPrototypeOf(value) as unknown
      if (proto !== Object.prototype && proto !== null) throw new InvalidInputError('canonical JSON encodes plain objects only', { path: path || '(root)' })
      const rec = value as Record<string, unknown>
      const keys = Object.keys(rec).filter((k) => rec[k] !== undefined).sort()
      return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(rec[k], path ? `${path}.${k}` : k)}`).join(',')}}`
    }
    default:
      throw new InvalidInputError(`canonical JSON cannot encode a ${typeof value}`, { path: path || '(root)' })
  }
}
