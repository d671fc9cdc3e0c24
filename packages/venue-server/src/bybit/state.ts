/**
 * The Bybit dialect's view of the venue: both categories' simulated venues, the public market tape, the order
 * registry, per-symbol settings, and the executions seen so far. `sync()` reads the venues' event logs (the
 * truth, before any delivery fault) and returns what happened since the last call, tagged with its category.
 * @module
 */
import type { Clock, Fill, Instrument, MarginMode, Order, UserStreamEvent } from '@perpkit/core'
import type { KeyStore } from '../keys.js'
import { allBooks, type BybitBook, type BybitBooks, type BybitDerivativeCategory } from './books.js'
import type { MarketTape } from './market-tape.js'
import { type BybitOrderMeta, createOrderRegistry, type OrderRegistry } from './order-registry.js'

/** One execution as recorded when it happened. */
export interface RecordedExecution {
  readonly category: BybitDerivativeCategory
  readonly fill: Fill
  readonly meta: BybitOrderMeta
  readonly order: Order | undefined
  readonly leavesQty: number
  readonly markPrice: number | undefined
  readonly seq: number
}

/** Per-symbol settings of the account. */
export interface SymbolSettings {
  leverage: number
  marginMode: MarginMode
  createdTimeMs: number
  /** Hedge mode (`position/switch-mode` mode 3): positions are listed as `positionIdx` 1 (Buy) and 2 (Sell). */
  hedge: boolean
}

/** A venue event with the category it happened in. */
export interface CategorizedEvent {
  readonly category: BybitDerivativeCategory
  readonly event: UserStreamEvent
  /** For `fill` events: the recorded execution. */
  readonly execution?: RecordedExecution
  /** For `order` events: the order's Bybit facts as they were at this event (running totals included). */
  readonly meta?: BybitOrderMeta
}

/**
 * Everything the dialect's handlers read and write.
 * @example
 * ```ts
 * const state = createBybitState({ books, clock, keys, tape, defaultLeverage: 10 })
 * state.sync()
 * ```
 */
export interface BybitState {
  readonly books: BybitBooks
  readonly clock: Clock
  readonly keys: KeyStore
  readonly tape: MarketTape
  readonly registry: OrderRegistry
  /** Every order the dialect knows, with its latest state. */
  orders(category: BybitDerivativeCategory): readonly { meta: BybitOrderMeta; order: Order }[]
  executions(): readonly RecordedExecution[]
  settings(category: BybitDerivativeCategory, instrument: Instrument): SymbolSettings
  /** Account margin mode as `account/info` reports it. */
  accountMarginMode: 'ISOLATED_MARGIN' | 'REGULAR_MARGIN'
  /** Read the venues' new events (order, fill, position, balance, …) since the last call. */
  sync(): readonly CategorizedEvent[]
  /** Next sequence number of position / execution / message ids. */
  nextSeq(): number
  /** The instrument of a unified symbol in a category. */
  instrumentOf(category: BybitDerivativeCategory, symbol: string): Instrument | undefined
}

/**
 * Create the dialect state over one or two simulated venues.
 * @example
 * ```ts
 * const state = createBybitState({ books: { inverse: { category: 'inverse', venue, instruments } }, clock, keys, tape, defaultLeverage: 10 })
 * ```
 */
export function createBybitState(args: {
  readonly books: BybitBooks
  readonly clock: Clock
  readonly keys: KeyStore
  readonly tape: MarketTape
  readonly defaultLeverage: number
  readonly marginMode?: MarginMode
}): BybitState {
  const tape = args.tape
  const registry = createOrderRegistry()
  const latest = new Map<string, { meta: BybitOrderMeta; order: Order }>()
  const cursor = new Map<BybitDerivativeCategory, number>()
  const executions: RecordedExecution[] = []
  const settings = new Map<string, SymbolSettings>()
  let seq = 0
  const nextSeq = (): number => ++seq
  const instrumentOf = (category: BybitDerivativeCategory, symbol: string): Instrument | undefined => args.books[category]?.instruments.find((i) => i.symbol === symbol)
  const settingsOf = (category: BybitDerivativeCategory, ins: Instrument): SymbolSettings => {
    const k = `${category}:${ins.symbol}`
    let s = settings.get(k)
    if (s === undefined) {
      s = { leverage: Math.min(args.defaultLeverage, ins.maxLeverage), marginMode: args.marginMode ?? 'cross', createdTimeMs: args.clock.now(), hedge: false }
      settings.set(k, s)
    }
    return s
  }
  const readBook = (book: BybitBook, out: CategorizedEvent[]): void => {
    const log = book.venue.eventLog()
    const from = cursor.get(book.category) ?? 0
    for (let i = from; i < log.length; i++) {
      const event = log[i]
      if (event === undefined) continue
      if (event.type === 'order') {
        const meta = registry.ensure(book.category, event.order)
        if (event.order.status === 'triggered') meta.triggered = true
        latest.set(meta.orderId, { meta, order: event.order })
        out.push({ category: book.category, event, meta: { ...meta } })
      } else if (event.type === 'fill') {
        const meta = registry.ensure(book.category, event.fill)
        registry.applyFill(book.category, event.fill)
        const order = latest.get(meta.orderId)?.order
        const ins = instrumentOf(book.category, event.fill.symbol)
        const execution: RecordedExecution = {
          category: book.category,
          fill: event.fill,
          meta,
          order,
          leavesQty: order === undefined ? 0 : order.qty - meta.cumExecQty,
          markPrice: ins === undefined ? undefined : tape.markPrice(ins.venueSymbol),
          seq: nextSeq(),
        }
        executions.push(execution)
        out.push({ category: book.category, event, execution })
      } else {
        out.push({ category: book.category, event })
      }
    }
    cursor.set(book.category, log.length)
  }
  return {
    books: args.books,
    clock: args.clock,
    keys: args.keys,
    tape,
    registry,
    orders: (category) => [...latest.values()].filter((e) => e.meta.category === category),
    executions: () => executions,
    settings: settingsOf,
    accountMarginMode: (args.marginMode ?? 'cross') === 'isolated' ? 'ISOLATED_MARGIN' : 'REGULAR_MARGIN',
    sync: () => {
      const out: CategorizedEvent[] = []
      for (const book of allBooks(args.books)) readBook(book, out)
      return out
    },
    nextSeq,
    instrumentOf,
  }
}
