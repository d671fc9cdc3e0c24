/**
 * Keeping raw bytes of a data file off the terminal: escape what is not printable ASCII in error messages, and
 * refuse binary content (a NUL byte) in a text data file with its line instead of parsing it.
 * @module
 */
import { PerpkitError } from '@perpkit/core'

/**
 * `text` with every character outside printable ASCII (control characters, escape sequences, bytes ≥ 0x7f) written
 * as `\xNN` / `\uNNNN`, so a message quoting a corrupt field cannot move the cursor, change colours or ring the bell.
 *
 * @param text - untrusted text (a field or header from a data file).
 * @returns the escaped text.
 * @example
 * ```ts
 * printable('\u001b[2Jab\u0000') // '\\x1b[2Jab\\x00'
 * ```
 */
export function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (ch) => {
    const c = ch.charCodeAt(0)
    return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`
  })
}

/**
 * Refuse binary content in a text data file: a NUL byte never occurs in CSV text, and a compressed or binary file
 * read as CSV would otherwise fail on an unreadable field.
 *
 * @param args - `{ text, source }`.
 * @throws PerpkitError `corrupt-data` naming `file:line` of the first NUL byte.
 * @example
 * ```ts
 * assertTextData({ text: 'timestamp,open\n', source: 'x.csv' }) // passes
 * ```
 */
export function assertTextData(args: { readonly text: string; readonly source: string }): void {
  const at = args.text.indexOf('\u0000')
  if (at < 0) return
  let line = 1
  for (let i = args.text.indexOf('\n'); i !== -1 && i < at; i = args.text.indexOf('\n', i + 1)) line++
  throw new PerpkitError('corrupt-data', `${args.source}:${line}: binary data (a NUL byte) in a text data file; is it compressed without a .gz name, or not CSV at all?`, {
    details: { file: args.source, line },
  })
}
