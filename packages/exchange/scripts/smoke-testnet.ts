/**
 * Opt-in smoke test against the venues' real TESTNETS (never production, never in CI): for each venue whose testnet
 * keys are in the environment — Binance USDⓈ-M (`PERPKIT_BINANCE_TESTNET_KEY` / `_SECRET`) and Bybit linear and
 * inverse (`PERPKIT_BYBIT_TESTNET_KEY` / `_SECRET`) — connect, load markets, place and cancel a post-only buy far
 * below the market and a conditional buy stop far above it, and read the user stream for a few seconds.
 * Without keys (or under CI) it prints one line and exits 0.
 *
 *   npm run smoke:testnet -w @perpkit/exchange
 */
import { type ExchangeClient, type Instrument, roundPrice, roundQty, systemClock, type UserStreamEvent } from '@perpkit/core'
import { createBinanceUsdm, createBybit } from '../src/index.js'

const env = process.env
const STREAM_READ_MS = 5_000

interface Target {
  readonly name: string
  readonly make: () => ExchangeClient
  /** How far below the mark the post-only buy rests (inside the venue's price bounds). */
  readonly belowMark: number
}

const targets: Target[] = []
const binanceKey = env['PERPKIT_BINANCE_TESTNET_KEY']
const binanceSecret = env['PERPKIT_BINANCE_TESTNET_SECRET']
if (binanceKey && binanceSecret) {
  targets.push({ name: 'binance-usdm testnet', make: () => createBinanceUsdm({ apiKey: binanceKey, secret: binanceSecret, environment: 'testnet' }), belowMark: 0.96 })
}
const bybitKey = env['PERPKIT_BYBIT_TESTNET_KEY']
const bybitSecret = env['PERPKIT_BYBIT_TESTNET_SECRET']
if (bybitKey && bybitSecret) {
  for (const category of ['linear', 'inverse'] as const) {
    targets.push({ name: `bybit ${category} testnet`, make: () => createBybit({ apiKey: bybitKey, secret: bybitSecret, category, environment: 'testnet' }), belowMark: 0.95 })
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => systemClock.setTimer(ms, resolve))

/** A quantity the venue accepts at `price`: the minimum, raised past the minimum order value with margin. */
function smallestQty(ins: Instrument, price: number): number {
  if (ins.kind === 'inverse') return ins.minQty
  const forNotional = ins.minNotional > 0 ? (ins.minNotional * 1.2) / (price * ins.contractSize) : 0
  return roundQty({ qty: Math.max(ins.minQty, forNotional), lotStep: ins.lotStep, mode: 'ceil' })
}

async function smoke(target: Target): Promise<boolean> {
  const client = target.make()
  const events: UserStreamEvent[] = []
  client.subscribeUserStream((e) => events.push(e))
  const tag = `pksmoke${String(systemClock.now() % 1_000_000_000)}`
  try {
    await client.connect()
    const instruments = await client.loadInstruments()
    const ins = instruments.find((i) => i.base === 'BTC' && i.status !== 'delisted')
    if (ins === undefined) throw new Error('no BTC perpetual listed')
    const mark = (await client.fetchMarkPrice(ins.symbol)).markPrice
    console.log(`${target.name}: ${instruments.length} instruments; ${ins.symbol} mark ${mark}`)
    const price = roundPrice({ price: mark * target.belowMark, tickSize: ins.tickSize })
    const qty = smallestQty(ins, price)
    const limit = await client.createOrder({ symbol: ins.symbol, clientOrderId: `${tag}l`, side: 'buy', type: 'limit', qty, price, timeInForce: 'post-only' })
    console.log(`${target.name}: post-only buy ${qty} @ ${price} → ${limit.status}`)
    console.log(`${target.name}: cancel → ${(await client.cancelOrder({ symbol: ins.symbol, clientOrderId: limit.clientOrderId })).status}`)
    const trigger = roundPrice({ price: mark * 1.1, tickSize: ins.tickSize })
    const stop = await client.createOrder({ symbol: ins.symbol, clientOrderId: `${tag}s`, side: 'buy', type: 'stop-market', qty: smallestQty(ins, trigger), triggerPrice: trigger, triggerPriceType: 'mark' })
    console.log(`${target.name}: stop buy trigger ${trigger} → ${stop.status} (${stop.book ?? ''})`)
    console.log(`${target.name}: cancel → ${(await client.cancelOrder({ symbol: ins.symbol, clientOrderId: stop.clientOrderId })).status}`)
    await sleep(STREAM_READ_MS)
    const counts: Record<string, number> = {}
    for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1
    console.log(`${target.name}: user stream events in the run: ${JSON.stringify(counts)}`)
    return true
  } catch (e) {
    console.log(`${target.name}: FAILED — ${e instanceof Error ? e.message : String(e)}`)
    return false
  } finally {
    await client.close().catch(() => undefined)
  }
}

if (env['CI']) {
  console.log('smoke:testnet skipped: it never runs in CI (it talks to the venues\' real testnets)')
} else if (targets.length === 0) {
  console.log('smoke:testnet skipped: set PERPKIT_BINANCE_TESTNET_KEY/SECRET and/or PERPKIT_BYBIT_TESTNET_KEY/SECRET to run it against the testnets')
} else {
  let ok = true
  for (const t of targets) ok = (await smoke(t)) && ok
  process.exitCode = ok ? 0 : 1
}
