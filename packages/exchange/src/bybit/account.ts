/**
 * Bybit v5 account answers → core types, shared by REST and the private stream where the shapes agree:
 * `position/list` and the `position` topic (entry price `avgPrice` on REST, `entryPrice` on the stream),
 * `account/wallet-balance` and the `wallet` topic, `execution/list` and the `execution` topic, `market/tickers`.
 * @module
 */
import type { Balance, Fill, FillOrigin, FundingRate, Instrument, MarkPrice, Position } from '@perpkit/core'
import { num, type Raw, str } from '../shared/raw.js'

/**
 * A position object as a core position, or `null` when flat (`size` 0).
 * @param p - the venue's position object
 * @param ins - its instrument
 * @param nowMs - fallback time
 * @returns the position or null
 */
export function positionOf(p: Raw, ins: Instrument, nowMs: number): Position | null {
  const size = num(p['size'])
  if (size === 0 || (p['side'] !== 'Buy' && p['side'] !== 'Sell')) return null
  const isolated = num(p['tradeMode']) === 1
  const liq = num(p['liqPrice'])
  const mark = num(p['markPrice'])
  return {
    symbol: ins.symbol,
    side: p['side'] === 'Buy' ? 'long' : 'short',
    qty: size,
    entryPrice: num(p['avgPrice']) || num(p['entryPrice']),
    ...(mark > 0 ? { markPrice: mark } : {}),
    unrealizedPnl: num(p['unrealisedPnl']),
    liquidationPrice: liq > 0 ? liq : null,
    leverage: num(p['leverage']) || 1,
    marginMode: isolated ? 'isolated' : 'cross',
    ...(isolated ? { isolatedMargin: num(p['positionBalance']) } : {}),
    updatedAtMs: num(p['updatedTime']) || nowMs,
  }
}

/**
 * The coins of a UNIFIED account object (`wallet-balance` list entry or `wallet` topic entry) with a non-zero
 * balance. `available` is `availableToWithdraw` when the venue fills it, else wallet balance less the margin held.
 * @param account - the account object
 * @param nowMs - time of the answer
 * @returns balances
 */
export function balancesOf(account: Raw, nowMs: number): Balance[] {
  const coins = Array.isArray(account['coin']) ? (account['coin'] as Raw[]) : []
  return coins
    .filter((c) => num(c['walletBalance']) !== 0 || num(c['unrealisedPnl']) !== 0)
    .map((c) => {
      const total = num(c['walletBalance'])
      const withdrawable = str(c['availableToWithdraw'])
      return {
        asset: str(c['coin']),
        total,
        available: withdrawable !== '' ? num(withdrawable) : total - num(c['totalPositionIM']) - num(c['totalOrderIM']),
        unrealizedPnl: num(c['unrealisedPnl']),
        updatedAtMs: nowMs,
      }
    })
}

/** Who caused an execution, from Bybit's `execType` (`BustTrade`: liquidation, `AdlTrade`: auto-deleverage). */
export function originOf(execType: string): FillOrigin {
  if (execType === 'BustTrade') return 'liquidation'
  if (execType === 'AdlTrade') return 'adl'
  return 'user'
}

/** Execution types that are trades of an order (funding, settlement and delivery rows are not). */
export const TRADE_EXEC_TYPES = new Set(['Trade', 'BustTrade', 'AdlTrade'])

/**
 * An execution object (REST `execution/list` or the `execution` topic) as a fill. The stream carries the
 * realised PnL (`execPnl`); REST does not.
 * @param x - the venue's execution object
 * @param ins - its instrument
 * @returns the fill; its client id is `orderLinkId` (the order id when the order had none)
 */
export function fillOf(x: Raw, ins: Instrument): Fill {
  const origin = originOf(str(x['execType']))
  return {
    symbol: ins.symbol,
    tradeId: str(x['execId']),
    venueOrderId: str(x['orderId']),
    clientOrderId: str(x['orderLinkId']) || str(x['orderId']),
    side: x['side'] === 'Buy' ? 'buy' : 'sell',
    price: num(x['execPrice']),
    qty: num(x['execQty']),
    feeAmount: num(x['execFee']),
    feeAsset: str(x['feeCurrency']) || ins.settle,
    liquidity: x['isMaker'] === true ? 'maker' : 'taker',
    timestampMs: num(x['execTime']),
    ...(x['execPnl'] === undefined ? {} : { realizedPnl: num(x['execPnl']) }),
    ...(origin === 'user' ? {} : { origin }),
  }
}

/** Mark and index price from a `tickers` entry. */
export function markPriceOf(ticker: Raw, ins: Instrument, nowMs: number): MarkPrice {
  const index = num(ticker['indexPrice'])
  return { symbol: ins.symbol, timestampMs: nowMs, markPrice: num(ticker['markPrice']), ...(index > 0 ? { indexPrice: index } : {}) }
}

/** The next funding (rate `fundingRate`, applied at `nextFundingTime`) from a `tickers` entry. */
export function fundingRateOf(ticker: Raw, ins: Instrument): FundingRate {
  const mark = num(ticker['markPrice'])
  return { symbol: ins.symbol, fundingTimeMs: num(ticker['nextFundingTime']), rate: num(ticker['fundingRate']), ...(mark > 0 ? { markPrice: mark } : {}) }
}
