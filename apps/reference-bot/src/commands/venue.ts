/**
 * `perpkit venue`: run a local, wire-compatible exchange (`@perpkit/venue-server`) on 127.0.0.1 for offline
 * development — Binance USDⓈ-M or Bybit v5 REST and WebSocket over the simulated venue — and replay a candle
 * file through it as the live price path. Point ccxt (or any client) at the printed URLs with the printed key.
 *
 * Replay: the file's bars are re-stamped onto the current time grid (bar k opens at `start + k × bar length`,
 * `--preload` bars before now) and fed one every `--bar-ms` of wall time, or by default in real time: each bar when it
 * closes on the wall clock. Stops on Ctrl-C / SIGTERM, or after `--bars` bars.
 * @module
 */
import { resolve } from 'node:path'
import { Option } from 'commander'
import type { Candle } from '@perpkit/core'
import { candleAt, loadCandles } from '@perpkit/engine'
import { availableDialects, DEFAULT_API_KEY, type DialectName, type Flavour, resolveDialect, startVenueServer } from '@perpkit/venue-server'
import { appRoot } from '../config.js'
import { type CliCommand, EXIT, stringOption, UsageError } from './command.js'
import { positiveNumber, wholeNumber } from './options.js'

const DEFAULT_DATA = 'data/binance_usdm_BTCUSDT_5m_2025-07-04_2025-12-31.csv.gz'

/** `perpkit venue --dialect binance-usdm|bybit [--port 8080] [--data candles.csv] …`. */
export const venueCommand: CliCommand = {
  name: 'venue',
  summary: 'run a local Binance USDⓈ-M / Bybit v5 exchange on 127.0.0.1 that replays a candle file (ccxt-compatible)',
  configure(command) {
    command
      .addOption(new Option('--dialect <name>', 'which venue to speak').choices(['binance-usdm', 'bybit']).default('binance-usdm'))
      .addOption(new Option('--port <n>', 'TCP port on 127.0.0.1 (0 = any free port)').argParser(wholeNumber).default(8080))
      .addOption(new Option('-d, --data <candles.csv[.gz]|.json>', 'candles to replay (default: the embedded Binance BTCUSDT 5m file)'))
      .addOption(new Option('--flavour <flavour>', 'testnet (Binance: USDT-margined) or production (Binance: USDC-margined)').choices(['testnet', 'production']).default('testnet'))
      .addOption(new Option('--symbol <unified>', 'instrument the candles drive (default: the first BTC instrument of the dialect)'))
      .addOption(new Option('--bar-ms <ms>', 'wall-clock milliseconds between replayed bars (default: the bar length)').argParser(positiveNumber))
      .addOption(new Option('--preload <n>', 'bars fed at start, so klines have history').argParser(wholeNumber).default(100))
      .addOption(new Option('--bars <n>', 'stop after replaying this many bars after the preload (default: the whole file)').argParser(wholeNumber))
      .addOption(new Option('--seed <n>', 'seed of ids and fault probabilities').argParser(wholeNumber).default(1))
  },
  async run({ options, io }) {
    const dialectName = stringOption(options, 'dialect') as DialectName
    if (!availableDialects().includes(dialectName)) throw new UsageError(`--dialect ${dialectName} is not available in this build (available: ${availableDialects().join(', ')})`)
    const flavour = stringOption(options, 'flavour') as Flavour
    const dataPath = stringOption(options, 'data') ?? resolve(appRoot(), DEFAULT_DATA)
    const { columns } = loadCandles({ path: dataPath, cacheDir: false })
    if (columns.length < 2) throw new UsageError(`${dataPath}: need at least 2 bars to know the bar length`)
    const first = candleAt(columns, 0)
    const barMs = candleAt(columns, 1).openTimeMs - first.openTimeMs
    const instruments = resolveDialect(dialectName).defaults(flavour).instruments
    const wanted = stringOption(options, 'symbol')
    const instrument = wanted !== undefined ? instruments.find((i) => i.symbol === wanted) : (instruments.find((i) => i.base === 'BTC' && i.kind === 'linear') ?? instruments[0])
    if (instrument === undefined) throw new UsageError(`--symbol ${wanted ?? ''} is not an instrument of ${dialectName} ${flavour} (${instruments.map((i) => i.symbol).join(', ')})`)
    const server = await startVenueServer({ dialect: dialectName, flavour, port: options.port as number, seed: options.seed as number, data: { timeframeMs: barMs } })
    const preload = Math.min(options.preload as number, columns.length)
    const startMs = Math.floor(io.nowMs() / barMs) * barMs - preload * barMs
    const restamped = (i: number): Candle => ({ ...candleAt(columns, i), openTimeMs: startMs + i * barMs })
    for (let i = 0; i < preload; i++) server.handle.venue.applyCandle({ symbol: instrument.symbol, candle: restamped(i) })
    io.out(
      `perpkit venue: ${dialectName} (${flavour}) on ${server.httpUrl}  ws ${server.wsUrl}\n` +
        `  instruments: ${instruments.map((i) => i.symbol).join(', ')}; replaying ${columns.length.toLocaleString('en-US')} bars of ${dataPath} into ${instrument.symbol}\n` +
        `  API key ${DEFAULT_API_KEY.apiKey}  secret ${DEFAULT_API_KEY.secret}  (local only; never a real key)\n` +
        `  ccxt: replace the venue's REST base URL with ${server.httpUrl} and its WebSocket base with ${server.wsUrl}${dialectName === 'binance-usdm' ? '/ws' : ''}\n`,
    )
    const limit = options.bars === undefined ? columns.length : Math.min(columns.length, preload + (options.bars as number))
    const fastMs = options.barMs as number | undefined
    // real time: each bar is fed when it closes on the wall clock, as a venue publishes it; --bar-ms: one per pause
    const pauseMs = (): number => (fastMs !== undefined ? fastMs : Math.max(0, restamped(fed).openTimeMs + barMs - io.nowMs()))
    const release = io.interrupt?.hold()
    const stopped = (): boolean => io.interrupt?.signal.aborted === true
    let fed = preload
    try {
      while (fed < limit && !stopped()) {
        await io.sleep(pauseMs())
        if (stopped()) break
        server.handle.venue.applyCandle({ symbol: instrument.symbol, candle: restamped(fed) })
        fed++
      }
    } finally {
      release?.()
      await server.close()
    }
    io.out(`perpkit venue: stopped after ${fed.toLocaleString('en-US')} bars\n`)
    const reason: unknown = stopped() ? io.interrupt?.signal.reason : undefined
    return reason === 'SIGINT' ? EXIT.sigint : reason === 'SIGTERM' ? EXIT.sigterm : EXIT.ok
  },
}
