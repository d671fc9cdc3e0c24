/**
 * Binance USDⓈ-M user-data events → core `UserStreamEvent`s.
 *
 * - `ORDER_TRADE_UPDATE` → an `order` event, plus a `fill` for execution types `TRADE` and `CALCULATED`
 *   (liquidation). The fill's origin comes from the venue's markers: `CALCULATED` or an `autoclose-` client id is a
 *   liquidation, `adl_autoclose` an auto-deleverage.
 * - `ALGO_UPDATE` → an `order` event of the conditional book; a triggered algo order's link to its actual order
 *   (`ai`) is remembered, and that order's own `ORDER_TRADE_UPDATE`s are reported under the algo order's client
 *   id. `FINISHED` is not reported from the algo event (it means filled *or* canceled, and the event's fill
 *   fields are not reliable): the actual order's updates carry the outcome and the fills.
 * - `ACCOUNT_UPDATE` → `balance` per changed asset and `position` per changed symbol.
 * @module
 */
import type { Fill, FillOrigin, Instrument, Order, OrderType, UserStreamEvent } from '@perpkit/core'
import { BINANCE_TO_TYPE, orderStatusOf, timeInForceOf } from './orders.js'
import { num, type Raw, str } from '../shared/raw.js'


const TYPES: Readonly<Record<string, OrderType>> = { ...BINANCE_TO_TYPE, LIQUIDATION: 'market' }

/** A conditional order this client knows: its ids and the parts the actual order's events do not repeat. */
export interface AlgoLink {
  readonly clientOrderId: string
  readonly algoId: string
  readonly type: OrderType
  readonly triggerPrice: number | undefined
  readonly triggerPriceType: 'mark' | 'last'
  readonly createdAtMs: number
}

/** State the translator keeps between events. */
export interface EventTranslatorState {
  /** Conditional orders by client id (filled from creates, REST reads and `ALGO_UPDATE`s). */
  readonly algoByClientId: Map<string, AlgoLink>
  /** Client id of the algo order an actual order id belongs to. */
  readonly algoClientIdByActualId: Map<string, string>
}

/**
 * Create the translator's state.
 * @returns empty maps
 */
export function createEventTranslatorState(): EventTranslatorState {
  return { algoByClientId: new Map(), algoClientIdByActualId: new Map() }
}

function originOf(clientOrderId: string, execution: string): FillOrigin {
  if (clientOrderId.startsWith('adl_autoclose')) return 'adl'
  if (execution === 'CALCULATED' || clientOrderId.startsWith('autoclose-')) return 'liquidation'
  return 'user'
}

/**
 * Translate one frame.
 * @param frame - the parsed event object
 * @param args.state - translator state (mutated)
 * @param args.instrumentOf - the instrument of a venue symbol, or undefined for one not loaded
 * @param args.leverageOf - the leverage last known for a symbol (position events carry none)
 * @returns the core events, in order (empty for frames this port does not report)
 */
export function translateBinanceFrame(
  frame: Raw,
  args: { readonly state: EventTranslatorState; readonly instrumentOf: (venueSymbol: string) => Instrument | undefined; readonly leverageOf: (symbol: string) => number },
): UserStreamEvent[] {
  const { state } = args
  const at = num(frame['E']) || num(frame['T'])
  switch (frame['e']) {
    case 'ORDER_TRADE_UPDATE': {
      const o = (frame['o'] ?? {}) as Raw
      const ins = args.instrumentOf(str(o['s']))
      if (ins === undefined) return []
      const actualId = str(o['i'])
      const algoCid = state.algoClientIdByActualId.get(actualId) ?? (state.algoByClientId.has(str(o['c'])) ? str(o['c']) : undefined)
      const link = algoCid === undefined ? undefined : state.algoByClientId.get(algoCid)
      if (algoCid !== undefined) state.algoClientIdByActualId.set(actualId, algoCid)
      const time = num(o['T']) || at
      const price = num(o['p'])
      const order: Order = {
        symbol: ins.symbol,
        clientOrderId: link?.clientOrderId ?? str(o['c']),
        venueOrderId: link?.algoId ?? actualId,
        side: o['S'] === 'BUY' ? 'buy' : 'sell',
        type: link?.type ?? TYPES[str(o['ot'])] ?? TYPES[str(o['o'])] ?? 'market',
        status: orderStatusOf(str(o['X'])),
        qty: num(o['q']),
        filledQty: num(o['z']),
        avgFillPrice: num(o['ap']),
        ...(price > 0 ? { price } : {}),
        ...(link?.triggerPrice !== undefined ? { triggerPrice: link.triggerPrice, triggerPriceType: link.triggerPriceType } : num(o['sp']) > 0 ? { triggerPrice: num(o['sp']) } : {}),
        timeInForce: timeInForceOf(o['f']),
        reduceOnly: o['R'] === true,
        closePosition: o['cp'] === true,
        createdAtMs: link?.createdAtMs ?? time,
        updatedAtMs: time,
        book: link === undefined ? 'regular' : 'conditional',
        ...(link === undefined ? {} : { triggeredOrderId: actualId }),
        updateId: time,
      }
      const out: UserStreamEvent[] = [{ type: 'order', timestampMs: at, order }]
      const execution = str(o['x'])
      if ((execution === 'TRADE' || execution === 'CALCULATED') && num(o['l']) > 0) {
        const origin = originOf(str(o['c']), execution)
        const fill: Fill = {
          symbol: ins.symbol,
          tradeId: str(o['t']),
          venueOrderId: actualId,
          clientOrderId: order.clientOrderId,
          side: order.side,
          price: num(o['L']),
          qty: num(o['l']),
          feeAmount: num(o['n']),
          feeAsset: str(o['N']) || ins.settle,
          liquidity: o['m'] === true ? 'maker' : 'taker',
          timestampMs: time,
          realizedPnl: num(o['rp']),
          ...(origin === 'user' ? {} : { origin }),
        }
        out.push({ type: 'fill', timestampMs: at, fill })
      }
      return out
    }
    case 'ALGO_UPDATE': {
      const o = (frame['o'] ?? {}) as Raw
      const ins = args.instrumentOf(str(o['s']))
      if (ins === undefined) return []
      const cid = str(o['caid'])
      const known = state.algoByClientId.get(cid)
      const trigger = num(o['tp'])
      const link: AlgoLink = known ?? {
        clientOrderId: cid,
        algoId: str(o['aid']),
        type: TYPES[str(o['o'])] ?? 'stop-market',
        triggerPrice: trigger > 0 ? trigger : undefined,
        triggerPriceType: o['wt'] === 'MARK_PRICE' ? 'mark' : 'last',
        createdAtMs: at,
      }
      state.algoByClientId.set(cid, link)
      const actualId = str(o['ai'])
      if (actualId !== '') state.algoClientIdByActualId.set(actualId, cid)
      const status = str(o['X'])
      if (status === 'FINISHED') return []
      const price = num(o['p'])
      const order: Order = {
        symbol: ins.symbol,
        clientOrderId: cid,
        venueOrderId: link.algoId,
        side: o['S'] === 'BUY' ? 'buy' : 'sell',
        type: link.type,
        status: status === 'NEW' ? 'untriggered' : status === 'CANCELED' ? 'canceled' : status === 'EXPIRED' ? 'expired' : status === 'REJECTED' ? 'rejected' : 'triggered',
        qty: num(o['q']),
        filledQty: 0,
        avgFillPrice: 0,
        ...(price > 0 ? { price } : {}),
        ...(link.triggerPrice === undefined ? {} : { triggerPrice: link.triggerPrice, triggerPriceType: link.triggerPriceType }),
        timeInForce: timeInForceOf(o['f']),
        reduceOnly: o['R'] === true,
        closePosition: o['cp'] === true,
        createdAtMs: link.createdAtMs,
        updatedAtMs: at,
        book: 'conditional',
        ...(actualId === '' ? {} : { triggeredOrderId: actualId }),
        updateId: at,
        ...(typeof o['rm'] === 'string' ? { rejectReason: o['rm'] } : {}),
      }
      return [{ type: 'order', timestampMs: at, order }]
    }
    case 'ACCOUNT_UPDATE': {
      const a = (frame['a'] ?? {}) as { B?: Raw[]; P?: Raw[] }
      const out: UserStreamEvent[] = []
      for (const b of a.B ?? []) {
        out.push({ type: 'balance', timestampMs: at, balance: { asset: str(b['a']), total: num(b['wb']), available: num(b['cw']), unrealizedPnl: 0, updatedAtMs: at } })
      }
      for (const p of a.P ?? []) {
        const ins = args.instrumentOf(str(p['s']))
        if (ins === undefined) continue
        const amt = num(p['pa'])
        out.push({
          type: 'position',
          timestampMs: at,
          symbol: ins.symbol,
          position:
            amt === 0
              ? null
              : {
                  symbol: ins.symbol,
                  side: amt > 0 ? 'long' : 'short',
                  qty: Math.abs(amt),
                  entryPrice: num(p['ep']),
                  unrealizedPnl: num(p['up']),
                  liquidationPrice: null,
                  leverage: args.leverageOf(ins.symbol),
                  marginMode: p['mt'] === 'isolated' ? 'isolated' : 'cross',
                  ...(p['mt'] === 'isolated' ? { isolatedMargin: num(p['iw']) } : {}),
                  updatedAtMs: at,
                },
        })
      }
      return out
    }
    default:
      return []
  }
}
