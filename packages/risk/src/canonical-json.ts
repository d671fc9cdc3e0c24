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
  return canonicalCopy(value).json
}

/** Thrown by {@link encode} (which tracks no path, to stay cheap) for anything canonical JSON cannot hold. */
const UNENCODABLE = new Error('unencodable')

/** A value's canonical JSON and a plain copy of it that holds exactly what the JSON holds. */
export interface CanonicalCopy {
  /** The canonical JSON text. */
  readonly json: string
  /**
   * A deep copy equal to `JSON.parse(json)`: keys in sorted order, `undefined` properties dropped, `-0` as `0`
   * (what is stored next to a signature is exactly what was signed, without a second encode and parse).
   */
  readonly copy: unknown
}

/**
 * Encode `value` as canonical JSON and copy it in the same pass (package-internal; not exported from the index).
 *
 * @param value - plain JSON-like data
 * @param path - where `value` sits, for error paths (default: the root)
 * @returns the canonical text and the matching copy
 * @throws InvalidInputError exactly as {@link canonicalJson}
 */
export function canonicalCopy(value: unknown, path = ''): CanonicalCopy {
  const out = { text: '' }
  try {
    const copy = encode(value, out)
    return { json: out.text, copy }
  } catch (e) {
    if (e !== UNENCODABLE) throw e
  }
  // something cannot be encoded: walk again, tracking where, to throw the error with its path
  explain(value, path)
  throw new InvalidInputError('canonical JSON cannot encode this value', { path: path || '(root)' })
}

/** Characters JSON.stringify escapes: controls, quote, backslash, and (lone) surrogates. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: JSON must escape them
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/** JSON string literal of `s`: JSON.stringify's text, built directly when nothing needs escaping. */
function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`
}

/** Append `value`'s canonical text to `out.text` and return its copy. */
function encode(value: unknown, out: { text: string }): unknown {
  if (value === null) {
    out.text += 'null'
    return null
  }
  switch (typeof value) {
    case 'string':
      out.text += quote(value)
      return value
    case 'boolean':
      out.text += value ? 'true' : 'false'
      return value
    case 'number':
      if (!Number.isFinite(value)) throw UNENCODABLE
      // a finite number's JSON text is its shortest round-trip form; -0 is written (and copied) as 0
      if (value === 0) {
        out.text += '0'
        return 0
      }
      out.text += JSON.stringify(value)
      return value
    case 'object': {
      if (Array.isArray(value)) {
        const arr: unknown[] = new Array<unknown>(value.length)
        out.text += '['
        for (let i = 0; i < value.length; i++) {
          const v: unknown = value[i]
          if (v === undefined) throw UNENCODABLE
          if (i > 0) out.text += ','
          arr[i] = encode(v, out)
        }
        out.text += ']'
        return arr
      }
      const proto = Object.getPrototypeOf(value) as unknown
      if (proto !== Object.prototype && proto !== null) throw UNENCODABLE
      const rec = value as Record<string, unknown>
      const keys = Object.keys(rec).filter((k) => rec[k] !== undefined).sort()
      const obj: Record<string, unknown> = {}
      out.text += '{'
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string
        if (i > 0) out.text += ','
        out.text += quote(k)
        out.text += ':'
        const v = encode(rec[k], out)
        // a "__proto__" key is an own property (as JSON.parse makes it), not the prototype
        if (k === '__proto__') Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true })
        else obj[k] = v
      }
      out.text += '}'
      return obj
    }
    default:
      throw UNENCODABLE
  }
}

/** Find the first value {@link encode} refuses, in encoding order, and throw its InvalidInputError with the path. */
function explain(value: unknown, path: string): void {
  if (value === null) return
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidInputError('canonical JSON cannot encode a non-finite number', { path: path || '(root)' })
      return
    case 'object': {
      if (Array.isArray(value)) {
        value.forEach((v: unknown, i) => {
          if (v === undefined) throw new InvalidInputError('canonical JSON cannot encode undefined in an array', { path: `${path}[${i}]` })
          explain(v, `${path}[${i}]`)
        })
        return
      }
      const proto = Object.getPrototypeOf(value) as unknown
      if (proto !== Object.prototype && proto !== null) throw new InvalidInputError('canonical JSON encodes plain objects only', { path: path || '(root)' })
      const rec = value as Record<string, unknown>
      for (const k of Object.keys(rec).filter((key) => rec[key] !== undefined).sort()) explain(rec[k], path ? `${path}.${k}` : k)
      return
    }
    default:
      throw new InvalidInputError(`canonical JSON cannot encode a ${typeof value}`, { path: path || '(root)' })
  }
}
