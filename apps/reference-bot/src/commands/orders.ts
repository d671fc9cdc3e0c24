/**
 * `perpkit orders`: the account's open orders on the venue for the config's symbol (protective stops included),
 * read-only (the same target, keys and start-up checks as `perpkit live`; nothing is sent but reads).
 * @module
 */
import { venueReadCommand } from '../live/venue-access.js'
import { formatTable } from '../table.js'

/** `perpkit orders [--config file] [--production] [--rest-url url] [--ws-url url]`. */
export const ordersCommand = venueReadCommand({
  name: 'orders',
  summary: "the account's open orders on the venue, stops included (read-only)",
  read: (c, access) => c.client.fetchOpenOrders(access.symbol),
  render: (orders, access) =>
    orders.length === 0
      ? `${access.where}: no open order on ${access.symbol}\n`
      : formatTable({
          title: `open orders on ${access.where}`,
          rows: [
            ['client id', 'side', 'type', 'status', 'qty', 'filled', 'price', 'trigger', 'reduce-only'],
            ...orders.map((o) => [o.clientOrderId, o.side, o.type, o.status, String(o.qty), String(o.filledQty), o.price === undefined ? '—' : String(o.price), o.triggerPrice === undefined ? '—' : String(o.triggerPrice), o.reduceOnly || o.closePosition ? 'yes' : 'no']),
          ],
        }),
})
