/**
 * `perpkit check`: the quick check before a run — validates the config and the environment and prints a
 * report: mode, venue and network (testnet/production, settle coin), markets, leverage, data, strategy, keys
 * present or not (never their values), output directory.
 * @module
 */
import { accessSync, constants, existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parsePerpSymbol } from '@perpkit/core'
import { loadCandles, validateCandles } from '@perpkit/engine'
import type { Io } from '../io.js'
import { describeError } from '../io.js'
import { loadConfig, secretsFromEnv } from '../config.js'
import { strategyFromConfig } from '../compose.js'
import { checkDataSymbol } from '../data-checks.js'
import { instrumentFor, knownBases } from '../instruments.js'
import { formatTable } from '../table.js'
import { type CliCommand, type CommandContext, EXIT, stringOption } from './command.js'
import { configOption } from './options.js'

type Status = 'ok' | 'warn' | 'FAIL'

/** `perpkit check [--config file]`. Exit 0 when nothing failed. */
export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'validate the config and the environment before a run (markets, leverage, data, keys present, output)',
  configure(command) {
    command.addOption(configOption())
  },
  run: ({ options, io }) => runCheck(options, io),
}

async function runCheck(options: CommandContext['options'], io: Io): Promise<number> {
  const path = stringOption(options, 'config')
  const loaded = loadConfig(path !== undefined ? { path } : {})
  const { config } = loaded
  const rows: [string, Status, string][] = []
  const add = (item: string, status: Status, detail: string): void => {
    rows.push([item, status, detail])
  }
  add('config', 'ok', loaded.file)
  add('mode', 'ok', config.mode)
  add('venue', 'ok', `${config.venue} ${config.testnet ? 'TESTNET' : 'PRODUCTION'} — settle ${loaded.settle}${config.venue !== 'bybit-inverse' ? (config.testnet ? ' (testnet default USDT)' : ' (production default USDC)') : ''}`)
  for (const symbol of loaded.symbols) {
    const base = parsePerpSymbol(symbol).base
    const ins = instrumentFor({ config, base, settle: loaded.settle, symbol })
    if (ins === undefined) add(`market ${symbol}`, 'FAIL', `no instrument spec for ${base} on ${config.venue} (known: ${knownBases(config.venue).join(', ')})`)
    else {
      add(`market ${symbol}`, 'ok', `${ins.kind}, tick ${ins.tickSize}, step ${ins.lotStep}, min notional ${ins.minNotional}, fees maker ${ins.makerFeeRate} / taker ${ins.takerFeeRate}`)
      add(`leverage ${symbol}`, config.account.leverage <= ins.maxLeverage ? 'ok' : 'FAIL', `${config.account.leverage}x (${config.account.marginMode}; venue max ${ins.maxLeverage}x)`)
    }
  }
  try {
    const s = await strategyFromConfig(loaded, loaded.file.endsWith('(embedded default)') ? resolve('.') : resolve(loaded.file, '..'))
    add('strategy', 'ok', `${s.className} "${s.id}" ${JSON.stringify(config.strategy.parameters)}`)
  } catch (e) {
    add('strategy', 'FAIL', describeError(e))
  }
  if (config.mode === 'live') add('data', 'ok', 'live mode: market data from the venue')
  else if (!existsSync(loaded.candlesPath)) add('data', 'FAIL', `candles file not found: ${loaded.candlesPath}`)
  else {
    try {
      const { columns } = loadCandles({ path: loaded.candlesPath, cacheDir: config.data.cache ? resolve('.perpkit-cache') : false })
      const v = validateCandles({ columns, maxJumpFactor: config.data.maxJumpFactor })
      const span = `${new Date(v.firstMs).toISOString().slice(0, 16)} → ${new Date(v.lastMs).toISOString().slice(0, 16)}`
      add('data', v.ok ? (v.gaps.length > 0 ? 'warn' : 'ok') : 'FAIL', `${columns.length} bars ${span}, ${v.gaps.length} gap(s), ${v.issues.length} problem(s)${v.issues[0] !== undefined ? `: ${v.issues[0].message}` : ''}`)
    } catch (e) {
      add('data', 'FAIL', describeError(e))
    }
  }
  try {
    checkDataSymbol({ configFile: loaded.file, base: parsePerpSymbol(loaded.symbols[0] as string).base, files: [loaded.candlesPath, loaded.tradesPath, loaded.fundingPath] })
  } catch (e) {
    add('data symbol', 'FAIL', describeError(e))
  }
  const keys = secretsFromEnv(io.env, config.testnet)
  const keyStatus = `API key ${keys.apiKey !== undefined ? 'present' : 'absent'}, secret ${keys.apiSecret !== undefined ? 'present' : 'absent'} (${config.testnet ? 'PERPKIT_TESTNET_API_KEY/SECRET or ' : ''}PERPKIT_API_KEY/SECRET)`
  add('keys', keys.apiKey !== undefined && keys.apiSecret !== undefined ? 'ok' : config.mode === 'live' ? 'FAIL' : 'warn', `${keyStatus}${config.mode === 'live' ? '' : ' — not needed for backtest/paper'}`)
  try {
    const dir = resolve(config.output.dir)
    // nearest existing ancestor must be writable (nothing is created by a check)
    let probe = dir
    while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe)
    accessSync(probe, constants.W_OK)
    add('output', 'ok', `${dir}${existsSync(dir) ? '' : ' (will be created)'}`)
  } catch (e) {
    add('output', 'FAIL', `${config.output.dir}: not writable (${(e as Error).message})`)
  }
  if (config.mode === 'live') add('live', 'FAIL', 'live trading arrives with the exchange adapters (@perpkit/exchange)')
  io.out(formatTable({ title: 'perpkit check', rows: rows.map(([a, b, c]) => [a, b, c]) }))
  const failed = rows.filter((r) => r[1] === 'FAIL').length
  io.out(failed === 0 ? 'check passed\n' : `check FAILED: ${failed} problem(s)\n`)
  return failed === 0 ? EXIT.ok : EXIT.failed
}
