/**
 * Binance USDⓈ-M account answers → core types: `GET /fapi/v2/balance`, `GET /fapi/v2/positionRisk`,
 * `GET /fapi/v1/userTrades`, `GET /fapi/v1/premiumIndex`.
 * @module
 */
import type { Balance, Fill, FundingRate, Instrument, MarkPrice, Position } from '@perpkit/core'
import { num, type Raw, str } from '../shared/raw.js'


/** Non-zero balances. `available` is `availableBalance`, `unrealizedPnl` is `crossUnPnl`. */
export function balancesOf(body: unknown, nowMs: number): Balance[] {
  return (Array.isArray(body) ? (body as Raw[]) : [])
    .filter((b) => num(b['balance']) !== 0 || num(b['crossUnPnl']) !== 0)
    .map((b) => ({ asset: str(b['asset']), total: num(b['balance']), available: num(b['availableBalance']), unrealizedPnl: num(b['crossUnPnl']), updatedAtMs: num(b['updateTime']) || nowMs }))
}

/** Open positions (non-zero `positionAmt`) of loaded instruments. */
export function positionsOf(body: unknown, instrumentOf: (venueSymbol: string) => Instrument | undefined, nowMs: number): Position[] {
  const out: Position[] = []
  for (const p of Array.isArray(body) ? (body as Raw[]) : []) {
    const amt = num(p['positionAmt'])
    const ins = instrumentOf(str(p['symbol']))
    if (amt === 0 || ins === undefined) continue
    const isolated = str(p['marginType']).toLowerCase() === 'isolated'
    const liq = num(p['liquidationPrice'])
    out.push({
      symbol: ins.symbol,
      side: amt > 0 ? 'long' : 'short',
      qty: Math.abs(amt),
      entryPrice: num(p['entryPrice']),
      ...(num(p['markPrice']) > 0 ? { markPrice: num(p['markPrice']) } : {}),
      unrealizedPnl: num(p['unRealizedProfit']),
      liquidationPrice: liq > 0 ? liq : null,
      leverage: num(p['leverage']) || 1,
      marginMode: isolated ? 'isolated' : 'cross',
      ...(isolated ? { isolatedMargin: num(p['isolatedMargin']) } : {}),
      updatedAtMs: num(p['updateTime']) || nowMs,
    })
  }
  return out
}

/** One `userTrades` row as a fill; `clientOrderId` comes from the caller (the row has only the order id). */
export function fillOf(row: Raw, ins: Instrument, clientOrderId: string): Fill {
  return {
    symbol: ins.symbol,
    tradeId: str(row['id']),
    venueOrderId: str(row['orderId']),
    clientOrderId,
    side: row['side'] === 'BUY' ? 'buy' : 'sell',
    price: num(row['price']),
    qty: num(row['qty']),
    feeAmount: num(row['commission']),
    feeAsset: str(row['commissionAsset']) || ins.settle,
    liquidity: row['maker'] === true ? 'maker' : 'taker',
    timestampMs: num(row['time']),
    realizedPnl: num(row['realizedPnl']),
  }
}

/** Mark and index price from `premiumIndex`. */
export function markPriceOf(body: unknown, ins: Instrument): MarkPrice {
  const b = body as Raw
  const index = num(b['indexPrice'])
  return { symbol: ins.symbol, timestampMs: num(b['time']), markPrice: num(b['markPrice']), ...(index > 0 ? { indexPrice: index } : {}) }
}

/** The next funding (rate `lastFundingRate`, applied at `nextFundingTime`) from `premiumIndex`. */
export function fundingRateOf(body: unknown, ins: Instrument): FundingRate {
  const b = body as Raw
  const mark = num(b['markPrice'])
  return { symbol: ins.symbol, fundingTimeMs: num(b['nextFundingTime']), rate: num(b['lastFundingRate']), ...(mark > 0 ? { markPrice: mark } : {}) }
}
