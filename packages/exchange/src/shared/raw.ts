/**
 * Readers for the venue's JSON values: venues send decimals as strings and ids as numbers or strings.
 * @module
 */

/** A JSON object as the venue sent it. */
export type Raw = Readonly<Record<string, unknown>>

/** A decimal string or number as a number; anything else (absent, empty) as 0. */
export const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : 0)

/** A string or number as a string; anything else as ''. */
export const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '')
