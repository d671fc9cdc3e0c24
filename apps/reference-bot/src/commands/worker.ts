/**
 * `perpkit worker --queue redis://…`: run sweep jobs from the BullMQ queue until SIGINT/SIGTERM (the running job
 * finishes first). Start one or more on every machine that should help; each needs the sweep's config and data
 * files at the same paths as the machine that started the sweep.
 * @module
 */
import { Option } from 'commander'
import { startSweepWorker } from '../sweep/queue.js'
import { type CliCommand, EXIT, stringOption, UsageError } from './command.js'
import { positiveNumber } from './options.js'

/** `perpkit worker --queue redis://host:port [--concurrency 1]`. */
export const workerCommand: CliCommand = {
  name: 'worker',
  summary: 'run sweep jobs from a Redis queue (perpkit sweep --queue) until stopped',
  configure(command) {
    command
      .addOption(new Option('-q, --queue <redis-url>', 'the Redis the sweeps queue their jobs on, e.g. redis://127.0.0.1:6379'))
      .addOption(new Option('--concurrency <n>', 'jobs run at once by this process').argParser(positiveNumber).default(1))
  },
  async run({ options, io }) {
    const url = stringOption(options, 'queue')
    if (url === undefined) throw new UsageError('--queue redis://host:port is required')
    const worker = startSweepWorker({ url, concurrency: Math.floor(options.concurrency as number), onJob: (d) => io.out(`done ${d.sweepId} point ${d.index}\n`) })
    await worker.waitUntilReady()
    io.out(`perpkit worker: ready on ${url} (pid ${process.pid})\n`)
    await new Promise<void>((resolveStop) => {
      process.once('SIGINT', () => resolveStop())
      process.once('SIGTERM', () => resolveStop())
    })
    await worker.close()
    io.out('perpkit worker: stopped\n')
    return EXIT.ok
  },
}
