/**
 * `perpkit status`: one look at a live bot — the local side (its heartbeat file: status and age; whether its lock
 * is held) and the venue's side (balance, open positions, open orders and how many of them are protective stops).
 * Read-only: the same target, keys and start-up checks as `perpkit live`; nothing is sent but reads.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { checkHeartbeat, lockFileName } from '@perpkit/ops'
import { defaultLockDir } from '../live/places.js'
import { lockDirOption, venueReadCommand } from '../live/venue-access.js'
import { formatTable } from '../table.js'
import { stringOption } from './command.js'

/** A heartbeat older than this reads as "not running". */
const HEARTBEAT_STALE_MS = 30_000

/** `perpkit status [--config file] [--production] [--rest-url url] [--ws-url url] [--state-dir dir] [--lock-dir dir]`. */
export const statusCommand = venueReadCommand({
  name: 'status',
  summary: "a live bot's heartbeat and lock, and the account's balance, positions and orders on the venue (read-only)",
  options: () => [lockDirOption()],
  read: async (c, { symbol }) => ({ balances: await c.client.fetchBalances(), positions: await c.client.fetchPositions([symbol]), orders: await c.client.fetchOpenOrders(symbol) }),
  render(venue, access, { options, io }) {
    const beat = checkHeartbeat({ path: join(access.stateDir, 'heartbeat.json'), nowMs: io.nowMs(), maxAgeMs: HEARTBEAT_STALE_MS })
    const bot = beat.ok
      ? `${beat.record.status} (pid ${beat.record.pid}, heartbeat ${Math.round(beat.ageMs / 1000)} s ago)`
      : beat.reason === 'missing'
        ? 'never ran here (no heartbeat file)'
        : beat.reason === 'stale'
          ? `not running (last heartbeat ${Math.round((beat.ageMs ?? 0) / 1000)} s ago)`
          : 'unknown (unreadable heartbeat file)'
    const lockPath = join(stringOption(options, 'lockDir') ?? defaultLockDir(io.env), lockFileName({ account: access.account, symbol: access.symbol }))
    const lock = existsSync(lockPath) ? `held by pid ${(JSON.parse(readFileSync(lockPath, 'utf8')) as { pid: number }).pid}` : 'free'
    const settle = access.loaded.settle
    const balance = venue.balances.find((b) => b.asset === settle)
    const stops = venue.orders.filter((o) => o.type === 'stop-market' || o.type === 'stop-limit').length
    return formatTable({
      title: `${access.symbol} on ${access.where}`,
      rows: [
        ['bot', bot],
        ['lock', lock],
        ['state directory', access.stateDir],
        ['balance', balance === undefined ? `no ${settle} balance` : `${balance.total} ${settle} (available ${balance.available})`],
        ['position', venue.positions.length === 0 ? 'none' : venue.positions.map((p) => `${p.side} ${p.qty} @ ${p.entryPrice}`).join(', ')],
        ['open orders', `${venue.orders.length} (${stops} stop${stops === 1 ? '' : 's'})`],
      ],
    })
  },
})
