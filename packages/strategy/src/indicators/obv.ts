/**
 * On-balance volume (TA-Lib `OBV`).
 * @module
 */
import { InvalidInputError } from '@perpkit/core'
import type { CloseVolumeInput, StreamingIndicator } from './types.js'
import { badValue, checkSeries, nanArray } from './validate.js'

/** A streaming OBV. */
export type ObvIndicator = StreamingIndicator<CloseVolumeInput>

function checkInput(bar: CloseVolumeInput): void {
  if (!(bar.close - bar.close === 0)) throw badValue(bar.close, 'input.close')
  if (!(bar.volume - bar.volume === 0) || bar.volume < 0) throw new InvalidInputError(`input.volume must be a finite number >= 0, got ${String(bar.volume)}`, { path: 'input.volume' })
}

class Obv implements ObvIndicator {
  value = Number.NaN
  count = 0
  readonly lookback = 0
  private prevClose = 0
  private pPrevClose = 0
  private pValue = Number.NaN

  get isReady(): boolean {
    return this.count > 0
  }

  update(bar: CloseVolumeInput): number {
    checkInput(bar)
    this.pPrevClose = this.prevClose
    this.pValue = this.value
    return this.step(bar.close, bar.volume)
  }

  replaceLast(bar: CloseVolumeInput): number {
    if (this.count === 0) return this.update(bar)
    checkInput(bar)
    this.prevClose = this.pPrevClose
    this.value = this.pValue
    this.count--
    return this.step(bar.close, bar.volume)
  }

  private step(close: number, volume: number): number {
    if (this.count++ === 0) {
      this.prevClose = close
      return (this.value = volume)
    }
    let obv = this.value
    if (close > this.prevClose) obv += volume
    else if (close < this.prevClose) obv -= volume
    this.prevClose = close
    return (this.value = obv)
  }

  reset(): void {
    this.value = this.pValue = Number.NaN
    this.count = 0
    this.prevClose = this.pPrevClose = 0
  }
}

/**
 * Create a streaming on-balance volume exactly as TA-Lib `OBV`: starts at the FIRST bar's volume (not 0), then adds
 * the volume on an up-close, subtracts it on a down-close, keeps it on an unchanged close. Ready from the first bar.
 *
 * @returns an {@link ObvIndicator}
 * @throws InvalidInputError when close is not finite or volume is negative / not finite
 * @example
 * ```ts
 * import { createObv } from '@perpkit/strategy'
 * import type { Candle } from '@perpkit/core'
 * declare const candles: readonly Candle[] // e.g. parsed from your data feed
 * const obv = createObv()
 * for (const c of candles) obv.update(c) // c has close and volume
 * ```
 */
export function createObv(): ObvIndicator {
  return new Obv()
}

/**
 * On-balance volume over whole series (TA-Lib `OBV`). Bit-identical to {@link createObv}.
 *
 * @param input - `{ close, volume }` (parallel arrays, oldest first)
 * @returns a `Float64Array` (no lookback)
 * @throws InvalidInputError when arrays differ in length, a value is not finite, or a volume is negative
 * @example
 * ```ts
 * import { obv } from '@perpkit/strategy'
 * obv({ close: [10, 11, 11, 9], volume: [5, 2, 3, 4] }) // [5, 7, 7, 3]
 * ```
 */
export function obv(input: { readonly close: ArrayLike<number>; readonly volume: ArrayLike<number> }): Float64Array {
  const { close, volume } = input
  checkSeries(close, 'close')
  checkSeries(volume, 'volume')
  const n = close.length
  if (volume.length !== n) throw new InvalidInputError('close and volume must have the same length', { path: 'volume' })
  for (let i = 0; i < n; i++) if ((volume[i] as number) < 0) throw new InvalidInputError(`volume[${i}] must be >= 0`, { path: `volume[${i}]` })
  const out = nanArray(n)
  if (n === 0) return out
  let prev = close[0] as number
  let value = volume[0] as number
  out[0] = value
  for (let i = 1; i < n; i++) {
    const c = close[i] as number
    if (c > prev) value += volume[i] as number
    else if (c < prev) value -= volume[i] as number
    prev = c
    out[i] = value
  }
  return out
}
