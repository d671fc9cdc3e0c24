import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { closeLogger, componentLogger, createLogger } from '../src/logger.js'

function sink(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString()
      cb()
    },
  })
  return { stream, lines: () => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) }
}

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('structured logs', () => {
  it('writes one JSON object per line with level, component and redacted secrets', () => {
    const out = sink()
    const logger = createLogger({ level: 'info', base: { bot: 'btc-bot' }, destination: out.stream, redactPaths: ['venue.credentials'] })
    const oms = componentLogger(logger, 'oms')
    oms.debug('not written at info')
    oms.info({ clientOrderId: 'pk-1', apiKey: 'AK-123', exchange: { secret: 'S-456', name: 'binance' }, headers: { 'x-mbx-apikey': 'AK-123' } }, 'order sent')
    logger.warn({ venue: { credentials: { key: 'k', secret: 's' } }, botToken: '123:abc' }, 'config loaded')
    const [first, second, ...rest] = out.lines()
    expect(rest).toEqual([])
    expect(first).toMatchObject({ level: 30, bot: 'btc-bot', component: 'oms', clientOrderId: 'pk-1', apiKey: '[redacted]', exchange: { secret: '[redacted]', name: 'binance' }, headers: { 'x-mbx-apikey': '[redacted]' }, msg: 'order sent' })
    expect(typeof first?.time).toBe('number')
    expect(second).toMatchObject({ level: 40, venue: { credentials: '[redacted]' }, botToken: '[redacted]', msg: 'config loaded' })
    expect(JSON.stringify(out.lines())).not.toMatch(/AK-123|S-456|123:abc/)
  })

  it('rotates files through pino-roll when a file passes the size limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perpkit-logs-'))
    dirs.push(dir)
    const logger = createLogger({ rotation: { file: join(dir, 'bot'), size: '1k', keepFiles: 10 } })
    // the transport runs in a worker thread and batches writes; pino-roll checks the size per write, so the lines go
    // out in 5 batches of 8 (about 1.3 kB each), each waited for until it is in the files
    const lines = (): Record<string, unknown>[] =>
      readdirSync(dir)
        .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))
        // only complete lines: the worker may be in the middle of writing the last one
        .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').slice(0, -1))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    for (let batch = 0; batch < 5; batch++) {
      for (let k = 0; k < 8; k++) logger.info({ i: batch * 8 + k, filler: 'x'.repeat(100) }, 'line')
      await new Promise<void>((resolve) => logger.flush(() => resolve()))
      for (let t = 0; t < 200 && lines().length < (batch + 1) * 8; t++) await new Promise((r) => setTimeout(r, 25))
    }
    const files = readdirSync(dir)
    expect(files.length).toBeGreaterThan(1)
    expect(files.every((f) => /^bot\.\d+\.log$/.test(f))).toBe(true)
    expect(lines().map((l) => l.i)).toEqual(Array.from({ length: 40 }, (_, i) => i))
    // closing ends the worker: nothing may touch the directory after it is removed (an unhandled ENOENT from the
    // worker's rotation used to fail the run after this test had passed)
    logger.info({ i: 40, filler: 'x'.repeat(100) }, 'last line before close')
    await closeLogger(logger)
    expect(lines().map((l) => l.i)).toEqual(Array.from({ length: 41 }, (_, i) => i))
  })

  it('closes a logger on a caller stream by flushing it, leaving the stream open', async () => {
    const out = sink()
    const logger = createLogger({ destination: out.stream })
    logger.info('one')
    await closeLogger(logger)
    expect(out.lines().map((l) => l.msg)).toEqual(['one'])
    expect(out.stream.writableEnded).toBe(false)
  })

  it('refuses both a destination and a rotation', () => {
    expect(() => createLogger({ destination: sink().stream, rotation: { file: '/tmp/x' } })).toThrow(/either destination or rotation/)
  })
})
