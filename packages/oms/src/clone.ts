/**
 * Deep copies of the OMS's plain JSON-like records (internal; not exported from the package).
 * @module
 */

/**
 * Deep copy of plain data: objects with the Object (or null) prototype, arrays and primitives are copied
 * recursively — the same result as `structuredClone` for such data, several times faster. Anything else
 * (a Date, a Map, a class instance) is handed to `structuredClone`.
 * @param value - the value to copy
 * @returns the copy
 * @example
 * ```ts
 * const copy = clonePlain({ a: [1, { b: 2 }], c: undefined }) // { a: [1, { b: 2 }], c: undefined }
 * ```
 */
export function clonePlain<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length)
    for (let i = 0; i < value.length; i++) out[i] = clonePlain(value[i] as unknown)
    return out as T
  }
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return structuredClone(value)
  const src = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(src)) {
    // an own "__proto__" key must stay a plain property (assignment would set the prototype instead)
    if (k === '__proto__') Object.defineProperty(out, k, { value: clonePlain(src[k]), enumerable: true, writable: true, configurable: true })
    else out[k] = clonePlain(src[k])
  }
  return out as T
}
