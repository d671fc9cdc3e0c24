/**
 * The shared benchmark input: a seeded, real-looking BTC-like 5m random walk of 1,000,000 bars
 * (log-normal steps, volatility clustering, high/low around open/close). Deterministic across runs.
 */

/** Mulberry32: tiny deterministic PRNG. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface BenchSeries {
  readonly n: number
  readonly close: Float64Array
  readonly high: Float64Array
  readonly low: Float64Array
  readonly closeArr: number[]
  readonly highArr: number[]
  readonly lowArr: number[]
  /** Bar objects for the streaming OHLC contenders; built on demand (1M objects make every GC slower). */
  bars: { high: number; low: number; close: number }[]
}

/** Build (or drop, with `false`) the bar objects of a series. */
export function withBars(s: BenchSeries, on: boolean): void {
  s.bars = on ? s.closeArr.map((c, i) => ({ high: s.highArr[i] as number, low: s.lowArr[i] as number, close: c })) : []
}

export function makeSeries(n: number, seed = 20250704): BenchSeries {
  const rnd = mulberry32(seed)
  const gauss = () => {
    const u = Math.max(rnd(), 1e-12)
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd())
  }
  const close = new Float64Array(n)
  const high = new Float64Array(n)
  const low = new Float64Array(n)
  let price = 108_953.4
  let vol = 0.0012 // ~ per-5m sigma of BTC
  for (let i = 0; i < n; i++) {
    vol = Math.min(0.01, Math.max(0.0003, vol * Math.exp(0.05 * gauss())))
    const open = price
    price = Math.round(open * Math.exp(vol * gauss()) * 10) / 10 // tick 0.1
    const hi = Math.max(open, price) * (1 + Math.abs(gauss()) * vol * 0.5)
    const lo = Math.min(open, price) * (1 - Math.abs(gauss()) * vol * 0.5)
    close[i] = price
    high[i] = Math.round(hi * 10) / 10
    low[i] = Math.round(lo * 10) / 10
  }
  const closeArr = Array.from(close)
  const highArr = Array.from(high)
  const lowArr = Array.from(low)
  return { n, close, high, low, closeArr, highArr, lowArr, bars: [] }
}
