/**
 * Entry then stop over the wire: both live adapters report `capabilities.reduceOnlyStopWithoutPosition` false
 * (neither venue's docs say a reduce-only stop may rest while the position is zero), so the order manager must send
 * the entry first and place the reduce-only stop once the fill is known, within 2 s. What is checked comes from the
 * venue server's request log and the simulated venue behind it, never from the order manager or the adapter.
 */
import type { RequestLogEntry } from '@perpkit/venue-server'
import { openHarness, SLICE_MS, settle, STOP_WITHIN_MS, type WireDialect } from './scenario.js'

/** What one entry-then-stop run saw on the venue. */
export interface EntryThenStopRun {
  /** Client ids of the order creates the server received, in arrival order. */
  readonly creates: readonly string[]
  /** Venue time of the entry's first fill. */
  readonly fillAtMs: number | undefined
  /** Venue time at which the server accepted the first stop create. */
  readonly stopAcceptedAtMs: number | undefined
  /** Venue time at which the position was first covered by reduce-only stops (sampled every slice). */
  readonly coveredAtMs: number | undefined
  /** Position on the venue once covered. */
  readonly positionQty: number
  /** Position on the venue after the final exit. */
  readonly finalPositionQty: number
}

const CREATE_ROUTES = new Set(['order.create', 'algoOrder.create'])

/** The client id a create request carried (Binance `newClientOrderId` / `clientAlgoId`, Bybit `orderLinkId`). */
function clientIdOf(e: RequestLogEntry): string {
  return e.params.newClientOrderId ?? e.params.clientAlgoId ?? e.params.orderLinkId ?? ''
}

/**
 * One market entry on a clean venue (no faults), followed until its stop is on the book, then closed.
 * @param dialect - which adapter and venue dialect
 * @param inverse - Bybit: the inverse category instead of linear
 * @returns what the venue saw
 */
export async function runEntryThenStop(dialect: WireDialect, inverse = false): Promise<EntryThenStopRun> {
  const h = await openHarness(dialect, 1, inverse)
  const { clock, server, oms, instrument } = h
  const symbol = instrument.symbol
  const sim = server.handle.venue.simFor(symbol)
  const positionQty = (): number => sim.state().positions.find((x) => x.symbol === symbol)?.qty ?? 0
  const coveredNow = (): boolean => {
    const stops = sim.state().openOrders.filter((o) => o.symbol === symbol && o.reduceOnly && o.side === 'sell' && o.type === 'stop-market')
    return positionQty() > 0 && stops.reduce((a, o) => a + o.qty - o.filledQty, 0) >= positionQty() - 1e-9
  }
  const during = async <T>(p: Promise<T>): Promise<T> => {
    let done = false
    const watched = p.finally(() => (done = true))
    for (let t = 0; t < 30_000 && !done; t += SLICE_MS) {
      await settle(server)
      if (!done) clock.advance(SLICE_MS)
    }
    return watched
  }
  try {
    await during(oms.start())
    const qty = inverse ? 100 : 0.005
    const r = await during(oms.submitEntry({ signalId: `ets-${dialect}`, signalTimeMs: clock.now(), symbol, direction: 'long', qty, type: 'market', stopPrice: 64_000 }))
    if (!r.ok) throw new Error(`entry refused: ${r.reason}`)
    let coveredAtMs: number | undefined
    for (let t = 0; t <= 3 * STOP_WITHIN_MS && coveredAtMs === undefined; t += SLICE_MS) {
      await settle(server)
      if (coveredNow()) coveredAtMs = clock.now()
      else clock.advance(SLICE_MS)
    }
    const covered = positionQty()
    const log = server.handle.requestLog().filter((e) => e.transport === 'http' && e.route !== undefined && CREATE_ROUTES.has(e.route))
    const fill = sim.eventLog().find((e) => e.type === 'fill' && e.fill.clientOrderId.endsWith('_en0'))
    const stopCreate = log.find((e) => clientIdOf(e).includes('_sl') && e.accepted)
    await during(oms.exit({ symbol, reason: 'end of run' }))
    for (let t = 0; t < 2_000; t += SLICE_MS) {
      clock.advance(SLICE_MS)
      await settle(server)
    }
    return {
      creates: log.map(clientIdOf),
      fillAtMs: fill?.type === 'fill' ? fill.fill.timestampMs : undefined,
      stopAcceptedAtMs: stopCreate?.timestampMs,
      coveredAtMs,
      positionQty: covered,
      finalPositionQty: positionQty(),
    }
  } finally {
    await oms.stop().catch(() => undefined)
    await h.client.close().catch(() => undefined)
    await server.close()
  }
}
