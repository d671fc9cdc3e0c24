import { InvalidInputError, type TradeTick } from '@perpkit/core'

/**
 * Options of {@link createPumpDetector}.
 * @example
 * ```ts
 * import { createPumpDetector, type PumpDetectorOptions } from '@perpkit/strategy'
 * const options: PumpDetectorOptions = { windowMs: 1000, minBuysPerSecond: 300, minBuyShare: 0.7, cooldownMs: 10_000 }
 * createPumpDetector(options)
 * ```
 */
export interface PumpDetectorOptions {
  /** Trailing window in ms over which buys are counted (default 1000). */
  readonly windowMs?: number
  /** Fire when aggressive buys per second over the window reach this (required, > 0). */
  readonly minBuysPerSecond: number
  /** Also require buys / all trades in the window ≥ this share, 0..1 (default 0). */
  readonly minBuyShare?: number
  /** Minimum time between two detections, ms (default 10 000). */
  readonly cooldownMs?: number
}

/**
 * A detected burst of aggressive buying.
 * @example
 * ```ts
 * import { createPumpDetector, type PumpDetection } from '@perpkit/strategy'
 * const pump = createPumpDetector({ minBuysPerSecond: 1 })
 * const hit: PumpDetection | null = pump.update({ tradeId: '1', timestampMs: 0, price: 100, qty: 1, side: 'buy' })
 * hit?.buysPerSecond // 1
 * ```
 */
export interface PumpDetection {
  /** Time of the trade that crossed the threshold. */
  readonly timestampMs: number
  /** Price of that trade. */
  readonly price: number
  /** Aggressive buy trades per second over the window. */
  readonly buysPerSecond: number
  /** Buy trades / all trades in the window. */
  readonly buyShare: number
  /** Buy quantity in the window (base units). */
  readonly buyQty: number
}

/**
 * Streaming detector of buy bursts on the public trade stream.
 * @example
 * ```ts
 * import { createPumpDetector, type PumpDetector } from '@perpkit/strategy'
 * const pump: PumpDetector = createPumpDetector({ minBuysPerSecond: 300 })
 * pump.buysPerSecond // 0
 * ```
 */
export interface PumpDetector {
  /** Feeds one trade (time order); returns a detection or `null`. */
  update(trade: TradeTick): PumpDetection | null
  /** Current buys per second over the window. */
  readonly buysPerSecond: number
  reset(): void
}

/**
 * Creates a pump detector (a real-time signal source on the venue's trade stream):
 * counts aggressive (taker) buys in the trailing window `(t − windowMs, t]` and fires when buys per second reach
 * `minBuysPerSecond` (and the buy share reaches `minBuyShare`), at most once per `cooldownMs`. O(1) amortised per
 * trade.
 *
 * @param options - thresholds and window.
 * @returns the detector.
 * @throws InvalidInputError naming the bad option; `update` throws for a non-positive price/qty or a trade older than
 *   the previous one (path `trade.timestampMs`).
 * @example
 * ```ts
 * import { createPumpDetector } from '@perpkit/strategy'
 * const pump = createPumpDetector({ minBuysPerSecond: 300, minBuyShare: 0.7 })
 * const hit = pump.update({ tradeId: '1', timestampMs: 1723161256322, price: 61800.3, qty: 0.006, side: 'buy' })
 * if (hit) console.log(`${hit.buysPerSecond} buys/s`)
 * ```
 */
export function createPumpDetector(options: PumpDetectorOptions): PumpDetector {
  const windowMs = options.windowMs ?? 1000
  const minRate = options.minBuysPerSecond
  const minShare = options.minBuyShare ?? 0
  const cooldownMs = options.cooldownMs ?? 10_000
  if (!(Number.isFinite(windowMs) && windowMs > 0)) throw new InvalidInputError(`expected > 0, got ${String(windowMs)}`, { path: 'windowMs' })
  if (!(Number.isFinite(minRate) && minRate > 0)) throw new InvalidInputError(`expected > 0, got ${String(minRate)}`, { path: 'minBuysPerSecond' })
  if (!(minShare >= 0 && minShare <= 1)) throw new InvalidInputError(`expected 0..1, got ${String(minShare)}`, { path: 'minBuyShare' })
  if (!(Number.isFinite(cooldownMs) && cooldownMs >= 0)) throw new InvalidInputError(`expected >= 0, got ${String(cooldownMs)}`, { path: 'cooldownMs' })

  // Ring of window trades: time, buy flag, qty. Grows by doubling; O(1) amortised.
  let cap = 1024
  let times = new Float64Array(cap)
  let qtys = new Float64Array(cap)
  let buys = new Uint8Array(cap)
  let head = 0
  let size = 0
  let buyCount = 0
  let buyQty = 0
  let lastTime = -Infinity
  let lastFire = -Infinity
  const perSecond = 1000 / windowMs

  const grow = (): void => {
    const t = new Float64Array(cap * 2)
    const q = new Float64Array(cap * 2)
    const b = new Uint8Array(cap * 2)
    for (let i = 0; i < size; i++) {
      const j = (head + i) % cap
      t[i] = times[j] as number
      q[i] = qtys[j] as number
      b[i] = buys[j] as number
    }
    times = t
    qtys = q
    buys = b
    head = 0
    cap *= 2
  }

  return {
    update(trade) {
      const t = trade.timestampMs
      if (!(trade.price > 0) || !Number.isFinite(trade.price)) throw new InvalidInputError(`expected a price > 0, got ${String(trade.price)}`, { path: 'trade.price' })
      if (!(trade.qty > 0) || !Number.isFinite(trade.qty)) throw new InvalidInputError(`expected a qty > 0, got ${String(trade.qty)}`, { path: 'trade.qty' })
      if (!Number.isFinite(t) || t < lastTime) throw new InvalidInputError(`trade at ${String(t)} is older than the previous one (${lastTime})`, { path: 'trade.timestampMs' })
      lastTime = t
      while (size > 0 && (times[head] as number) <= t - windowMs) {
        if (buys[head] === 1) {
          buyCount--
          buyQty -= qtys[head] as number
        }
        head = (head + 1) % cap
        size--
      }
      if (size === cap) grow()
      const j = (head + size) % cap
      const isBuy = trade.side === 'buy'
      times[j] = t
      qtys[j] = trade.qty
      buys[j] = isBuy ? 1 : 0
      size++
      if (isBuy) {
        buyCount++
        buyQty += trade.qty
      }
      const rate = buyCount * perSecond
      const share = buyCount / size
      if (!isBuy || rate < minRate || share < minShare || t - lastFire < cooldownMs) return null
      lastFire = t
      return { timestampMs: t, price: trade.price, buysPerSecond: rate, buyShare: share, buyQty: Math.max(0, buyQty) }
    },
    get buysPerSecond() {
      return buyCount * perSecond
    },
    reset() {
      head = 0
      size = 0
      buyCount = 0
      buyQty = 0
      lastTime = -Infinity
      lastFire = -Infinity
    },
  }
}
