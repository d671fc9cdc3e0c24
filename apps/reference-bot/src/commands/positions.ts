/**
 * `perpkit positions`: the account's open positions on the venue for the config's symbol, read-only (the same
 * target, keys and start-up checks as `perpkit live`; nothing is sent but reads).
 * @module
 */
import { venueReadCommand } from '../live/venue-access.js'
import { formatTable } from '../table.js'

/** `perpkit positions [--config file] [--production] [--rest-url url] [--ws-url url]`. */
export const positionsCommand = venueReadCommand({
  name: 'positions',
  summary: "the account's open positions on the venue (read-only)",
  read: (c, access) => c.client.fetchPositions([access.symbol]),
  render: (positions, access) =>
    positions.length === 0
      ? `${access.where}: no open position on ${access.symbol}\n`
      : formatTable({
          title: `positions on ${access.where}`,
          rows: [
            ['symbol', 'side', 'qty', 'entry', 'mark', 'unrealized PnL', 'liquidation'],
            ...positions.map((p) => [p.symbol, p.side, String(p.qty), String(p.entryPrice), p.markPrice === undefined ? '—' : String(p.markPrice), String(p.unrealizedPnl), p.liquidationPrice === null ? '—' : String(p.liquidationPrice)]),
          ],
        }),
})
