/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of each journal record. Uses Node's native
 * `zlib.crc32` (same polynomial, same result; Node ≥ 20.15) when the runtime has it, else a table-driven loop.
 * @module
 */
import * as zlib from 'node:zlib'

type NativeCrc32 = (data: string | Uint8Array, value?: number) => number
/** Node's own CRC-32 when present (several times faster than the loop below on journal-sized records). */
const native: NativeCrc32 | undefined = typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? (zlib as unknown as { crc32: NativeCrc32 }).crc32 : undefined

let table: Uint32Array | undefined

function tableOf(): Uint32Array {
  if (table !== undefined) return table
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  table = t
  return t
}

/**
 * CRC-32 of the UTF-8 bytes of a string (or of raw bytes).
 *
 * @param input - text or bytes
 * @returns the checksum as an unsigned 32-bit integer
 * @example
 * ```ts
 * import { crc32 } from './crc32.js' // internal: not exported from @perpkit/oms
 * crc32('123456789').toString(16) // 'cbf43926' (the standard check value)
 * ```
 */
export function crc32(input: string | Uint8Array): number {
  // zlib.crc32 checksums a string's UTF-8 bytes, exactly as the loop does
  return native === undefined ? crc32Portable(input) : native(input)
}

/**
 * The same CRC-32 without Node's native one (for runtimes that lack `zlib.crc32`).
 *
 * @param input - text or bytes
 * @returns the checksum as an unsigned 32-bit integer
 * @example
 * ```ts
 * import { crc32Portable } from './crc32.js' // internal: not exported from @perpkit/oms
 * crc32Portable('123456789').toString(16) // 'cbf43926'
 * ```
 */
export function crc32Portable(input: string | Uint8Array): number {
  const t = tableOf()
  let c = 0xffffffff
  if (typeof input === 'string') {
    // ASCII text (every journal record in practice) is its own UTF-8: checksum the char codes without encoding
    for (let i = 0; i < input.length; i++) {
      const code = input.charCodeAt(i)
      if (code > 0x7f) return crc32Portable(Buffer.from(input, 'utf8'))
      c = (t[(c ^ code) & 0xff] as number) ^ (c >>> 8)
    }
    return (c ^ 0xffffffff) >>> 0
  }
  for (let i = 0; i < input.length; i++) c = (t[(c ^ (input[i] as number)) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
