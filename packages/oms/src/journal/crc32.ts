/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of each journal record.
 * @module
 */

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
  const t = tableOf()
  let c = 0xffffffff
  if (typeof input === 'string') {
    // ASCII text (every journal record in practice) is its own UTF-8: checksum the char codes without encoding
    for (let i = 0; i < input.length; i++) {
      const code = input.charCodeAt(i)
      if (code > 0x7f) return crc32(Buffer.from(input, 'utf8'))
      c = (t[(c ^ code) & 0xff] as number) ^ (c >>> 8)
    }
    return (c ^ 0xffffffff) >>> 0
  }
  for (let i = 0; i < input.length; i++) c = (t[(c ^ (input[i] as number)) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
