/**
 * Wire primitives of Bybit v5 payloads: decimal strings, millisecond strings, the retCode envelope.
 * @module
 */
import { z } from 'zod'

/**
 * A decimal number sent as a string (`"16578.50"`, `"-0.00029413"`), as Bybit sends every price and quantity.
 * @example
 * ```ts
 * bybitDecimal.parse('27464.50441675')
 * ```
 */
export const bybitDecimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal string')

/**
 * A decimal string or `""` (Bybit leaves fields that do not apply empty rather than omitting them).
 * @example
 * ```ts
 * bybitDecimalOrEmpty.parse('')
 * ```
 */
export const bybitDecimalOrEmpty = z.union([bybitDecimal, z.literal('')])

/**
 * Epoch milliseconds sent as a string (`"1672364262444"`).
 * @example
 * ```ts
 * bybitMsString.parse('1672364262444')
 * ```
 */
export const bybitMsString = z.string().regex(/^\d{1,16}$/, 'epoch milliseconds as a string')

/**
 * Products a v5 endpoint serves, named by its `category` parameter.
 * @example
 * ```ts
 * bybitCategory.parse('inverse')
 * ```
 */
export const bybitCategory = z.enum(['spot', 'linear', 'inverse', 'option'])

/** A v5 product category. */
export type BybitCategory = z.infer<typeof bybitCategory>

/**
 * The v5 REST response envelope around `result`: `{ retCode, retMsg, result, retExtInfo, time }`.
 *
 * @param result - schema of the `result` object
 * @returns the envelope schema
 * @example
 * ```ts
 * const schema = bybitEnvelope(z.object({ timeSecond: z.string() }))
 * schema.parse({ retCode: 0, retMsg: 'OK', result: { timeSecond: '1' }, retExtInfo: {}, time: 1 })
 * ```
 */
export function bybitEnvelope<T extends z.ZodType>(result: T) {
  return z.object({
    retCode: z.number().int(),
    retMsg: z.string(),
    result,
    retExtInfo: z.record(z.string(), z.unknown()),
    time: z.number().int().nonnegative(),
  })
}

/**
 * An error answer: non-zero `retCode`, `result` an empty object (or `null` on some endpoints).
 * @example
 * ```ts
 * bybitErrorEnvelope.parse({ retCode: 10004, retMsg: 'error sign!', result: {}, retExtInfo: {}, time: 1 })
 * ```
 */
export const bybitErrorEnvelope = z.object({
  retCode: z.number().int().refine((c) => c !== 0, 'an error has a non-zero retCode'),
  retMsg: z.string().min(1),
  result: z.union([z.record(z.string(), z.unknown()), z.null()]),
  retExtInfo: z.record(z.string(), z.unknown()),
  time: z.number().int().nonnegative(),
})
