/**
 * The dialect's id index over the simulated venue's orders. Binance has two books: regular orders
 * (`orderId`, `clientOrderId`) and algo orders (`algoId`, `clientAlgoId`); a triggered algo order places a
 * regular order with its own `orderId` (`actualOrderId`). The simulated venue keeps one order per client id,
 * so this index only maps ids — order state is always read from the simulated venue.
 * @module
 */

/**
 * One indexed order.
 * @example
 * ```ts
 * const e: IndexedOrder = { kind: 'regular', symbol: 'BTC/USDT:USDT', clientOrderId: 'a', simOrderId: '1000001', orderId: 1000001 }
 * ```
 */
export interface IndexedOrder {
  readonly kind: 'regular' | 'algo'
  /** Unified symbol. */
  readonly symbol: string
  /** The sim's client id (Binance `clientOrderId` or `clientAlgoId`). */
  readonly clientOrderId: string
  /** The sim's venue order id. */
  readonly simOrderId: string
  /** Binance `orderId` (regular) or `algoId` (algo). */
  readonly orderId: number
  /** For algo orders: the `orderId` of the order placed when it triggered. */
  actualOrderId?: number
  /** For algo orders: when it triggered (server clock). */
  triggeredAtMs?: number
}

/** Offset between an algo id and the id of the regular order its trigger places. */
const ACTUAL_ORDER_ID_OFFSET = 5_000_000_000

/**
 * The index.
 * @example
 * ```ts
 * const index = createOrderIndex()
 * index.add({ kind: 'regular', symbol, clientOrderId: 'x', simOrderId: '1000001' })
 * ```
 */
export interface OrderIndex {
  add(entry: { readonly kind: 'regular' | 'algo'; readonly symbol: string; readonly clientOrderId: string; readonly simOrderId: string }): IndexedOrder
  /** Regular `orderId` (including a triggered algo's actual order id). */
  byOrderId(orderId: number): IndexedOrder | undefined
  byAlgoId(algoId: number): IndexedOrder | undefined
  /** The newest order with this client id (algo or regular, as asked). */
  byClientId(kind: 'regular' | 'algo', symbol: string | undefined, clientOrderId: string): IndexedOrder | undefined
  bySimOrderId(simOrderId: string): IndexedOrder | undefined
  /** Announce the kind of the order about to be created with this client id (its events may come first). */
  expect(kind: 'regular' | 'algo', symbol: string, clientOrderId: string): void
  /** The entry of a simulated order, created on first sight (kind from `expect`, else regular). */
  resolve(order: { readonly symbol: string; readonly clientOrderId: string; readonly venueOrderId: string }): IndexedOrder
  /** Mark an algo order triggered; returns its actual order id. */
  markTriggered(entry: IndexedOrder, timestampMs: number): number
  /** Every indexed order of `symbol` (creation order). */
  list(symbol: string | undefined): readonly IndexedOrder[]
}

/**
 * Create an empty index.
 * @returns an {@link OrderIndex}
 * @throws never
 * @example
 * ```ts
 * const index = createOrderIndex()
 * ```
 */
export function createOrderIndex(): OrderIndex {
  const entries: IndexedOrder[] = []
  const bySim = new Map<string, IndexedOrder>()
  const byActual = new Map<number, IndexedOrder>()
  const expected = new Map<string, 'regular' | 'algo'>()
  const index: OrderIndex = {
    add(e) {
      const entry: IndexedOrder = { ...e, orderId: Number(e.simOrderId) }
      entries.push(entry)
      bySim.set(e.simOrderId, entry)
      return entry
    },
    byOrderId: (orderId) => byActual.get(orderId) ?? entries.find((e) => e.kind === 'regular' && e.orderId === orderId),
    byAlgoId: (algoId) => entries.find((e) => e.kind === 'algo' && e.orderId === algoId),
    byClientId(kind, symbol, clientOrderId) {
      for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i] as IndexedOrder
        const matchesKind = e.kind === kind || (kind === 'regular' && e.actualOrderId !== undefined)
        if (matchesKind && e.clientOrderId === clientOrderId && (symbol === undefined || e.symbol === symbol)) return e
      }
      return undefined
    },
    bySimOrderId: (simOrderId) => bySim.get(simOrderId),
    expect(kind, symbol, clientOrderId) {
      expected.set(`${symbol} ${clientOrderId}`, kind)
    },
    resolve(order) {
      const known = bySim.get(order.venueOrderId)
      if (known !== undefined) return known
      const key = `${order.symbol} ${order.clientOrderId}`
      const kind = expected.get(key) ?? 'regular'
      expected.delete(key)
      return index.add({ kind, symbol: order.symbol, clientOrderId: order.clientOrderId, simOrderId: order.venueOrderId })
    },
    markTriggered(entry, timestampMs) {
      if (entry.actualOrderId === undefined) {
        entry.actualOrderId = ACTUAL_ORDER_ID_OFFSET + entry.orderId
        entry.triggeredAtMs = timestampMs
        byActual.set(entry.actualOrderId, entry)
      }
      return entry.actualOrderId
    },
    list: (symbol) => entries.filter((e) => symbol === undefined || e.symbol === symbol),
  }
  return index
}
