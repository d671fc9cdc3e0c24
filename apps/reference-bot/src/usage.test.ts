import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from './test-cli.js'

const tmp = mkdtempSync(join(tmpdir(), 'perpkit-usage-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const run = (argv: string[]) => runCli(argv)

const first = (text: string): string => text.split('\n')[0] ?? ''

// Every row: the command line → exit code, the stream, and the exact first line printed. A usage error runs
// nothing, so `--out` pointing into the temp folder must stay empty.
const out = (): string => join(tmp, 'out')
describe('perpkit usage errors, help and version (nothing is run)', () => {
  it.each([
    ['typo in a flag', ['backtest', '--confg', 'my.yaml'], 2, 'err', "perpkit backtest: unknown option '--confg' (did you mean --config?)"],
    ['config as a bare argument', ['backtest', 'my.yaml'], 2, 'err', "perpkit backtest: unexpected argument 'my.yaml' (did you mean --config my.yaml?)"],
    ['data as a bare argument', ['backtest', 'candles.csv.gz'], 2, 'err', "perpkit backtest: unexpected argument 'candles.csv.gz' (did you mean --data candles.csv.gz?)"],
    ['other bare argument', ['check', 'now'], 2, 'err', "perpkit check: unexpected argument 'now' (check takes no positional arguments)"],
    ['unknown flag', ['backtest', '--frobnicate'], 2, 'err', "perpkit backtest: unknown option '--frobnicate'"],
    ['flag without its value', ['check', '--config'], 2, 'err', "perpkit check: option '-c, --config <file.yaml>' argument missing"],
    ['flag followed by a flag', ['backtest', '--config', '--no-progress'], 2, 'err', "perpkit backtest: option '-c, --config <file.yaml>' argument missing (got the option '--no-progress')"],
    ['bad number', ['paper', '--replay', '--minutes', 'ten'], 2, 'err', "perpkit paper: option '--minutes <n>' argument 'ten' is invalid. expected a positive number."],
    ['paper without --replay', ['paper'], 2, 'err', 'perpkit paper: only --replay is available until the exchange adapters land (a live feed needs @perpkit/exchange)'],
    ['report without its run', ['report'], 2, 'err', "perpkit report: missing required argument 'run'"],
    ['typo in a command', ['bactest'], 2, 'err', "perpkit: unknown command 'bactest' (did you mean backtest?)"],
    ['no command', [], 2, 'err', 'Usage: perpkit [options] [command]'],
    ['backtest --help', ['backtest', '--help'], 0, 'out', 'Usage: perpkit backtest [options]'],
    ['backtest -h', ['backtest', '-h', '--out', '/nonexistent'], 0, 'out', 'Usage: perpkit backtest [options]'],
    ['-h', ['-h'], 0, 'out', 'Usage: perpkit [options] [command]'],
    ['help', ['help'], 0, 'out', 'Usage: perpkit [options] [command]'],
    ['help report', ['help', 'report'], 0, 'out', 'Usage: perpkit report [options] <run>'],
    ['--version', ['--version'], 0, 'out', '0.1.0'],
    ['-v', ['-v'], 0, 'out', '0.1.0'],
  ] as const)('%s → exit %i', async (_what, argv, code, stream, line) => {
    const line0: readonly string[] = argv
    const r = await run([...line0, ...(line0[0] === 'backtest' && !line0.includes('--out') ? ['--out', out()] : [])])
    expect(r.code).toBe(code)
    expect(first(stream === 'out' ? r.out : r.err)).toBe(line)
    if (stream === 'out') expect(r.err).toBe('')
    else expect(r.out).toBe('')
    if (code === 2 && argv.length > 0) expect(r.err.split('\n')[1]).toMatch(/^Run 'perpkit( \w+)? --help' for usage\.$/)
    expect(readdirSync(tmp)).toEqual([])
  })

  it('per-command help lists its options and the exit codes', async () => {
    const r = await run(['paper', '--help'])
    expect(r.out).toMatch(/--replay/)
    expect(r.out).toMatch(/--minutes <n>\s+minutes of market time to replay\s+\(default: 10\)/)
    expect(r.out).toMatch(/Exit codes: 0 ok · 1 failed run .* 2 usage error/)
  })

  it('--version is the app package version', async () => {
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default as { version: string }
    expect((await run(['--version'])).out).toBe(`${version}\n`)
  })
})
