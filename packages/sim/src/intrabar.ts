/**
 * The documented intrabar price path of a candle: open → nearer extreme → other extreme → close.
 * @module
 */
import type { Candle } from '@perpkit/core'

/**
 * The four prices a candle is assumed to trade through, in order: open, the extreme nearer to the open,
 * the other extreme, close. When both extremes are equally far from the open the low comes first
 * (the pessimistic choice for longs). Between consecutive points price moves monotonically and continuously,
 * so every level between them trades.
 *
 * @param args.candle - the bar (not re-validated here)
 * @returns `[open, first extreme, second extreme, close]`
 * @throws never
 * @example
 * ```ts
 * import { intrabarPath } from '@perpkit/sim'
 * intrabarPath({ candle: { openTimeMs: 0, open: 100, high: 103, low: 99, close: 101, volume: 1 } }) // [100, 99, 103, 101]
 * ```
 */
export function intrabarPath(args: { readonly candle: Candle }): readonly [number, number, number, number] {
  const { open, high, low, close } = args.candle
  return high - open < open - low ? [open, high, low, close] : [open, low, high, close]
}
