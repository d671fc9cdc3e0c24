/**
 * Options shared by several commands, declared once.
 * @module
 */
import { InvalidArgumentError, Option } from 'commander'

/** `-c, --config <file.yaml>`. */
export const configOption = (): Option => new Option('-c, --config <file.yaml>', 'bot config file (default: the embedded config/default.yaml)')

/** `-d, --data <file>`: overrides `data.candles` of the config. */
export const dataOption = (): Option => new Option('-d, --data <candles.csv[.gz]|.json>', 'candle file to run on (overrides data.candles of the config)')

/** `-o, --out <dir>`: overrides `output.dir` of the config. */
export const outOption = (): Option => new Option('-o, --out <dir>', 'directory the run folder is written into (overrides output.dir)')

/** `--store <file.db | postgres://…>`: the trade store a run is also written into (backtest, paper). */
export const storeOption = (): Option => new Option('--store <file.db|postgres://…>', 'also write the run (decisions, orders, fills, trades, equity) into this trade store')

/** A parser for options that take a positive number (commander reports a bad value as a usage error). */
export function positiveNumber(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number.')
  return n
}

/** A parser for options that take a whole number ≥ 0. */
export function wholeNumber(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number >= 0.')
  return n
}

/** A parser for options that take a whole number ≥ 1. */
export function positiveInteger(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number >= 1.')
  return n
}
