/**
 * Positions and wallet balances in Bybit's words: `position/list` (entry price `avgPrice`), the `position` topic
 * (entry price `entryPrice`), `account/wallet-balance` and the `wallet` topic (one UNIFIED account whose coins
 * are the settle assets: USDT for linear, BTC for inverse).
 * @module
 */
import type { Balance, Instrument, MarginMode, Position } from '@perpkit/core'
import type { BybitDerivativeCategory } from './books.js'
import { money, onStep } from './decimals.js'

/** Per-symbol settings the position object reports even when flat. */
export interface PositionSettings {
  readonly leverage: number
  readonly marginMode: MarginMode
  readonly cumRealisedPnl: number
  readonly createdTimeMs: number
}

/**
 * One position object. `ws: true` names the entry price `entryPrice` and adds `category`; REST names it
 * `avgPrice`. A flat symbol has `side: ""` and `size: "0"`. `bustPrice` is deprecated on Bybit and sent empty.
 * @example
 * ```ts
 * const json = bybitPositionJson({ category: 'inverse', instrument, position, settings, markPrice: 8050, nowMs, seq: 3, ws: false })
 * ```
 */
export function bybitPositionJson(args: {
  readonly category: BybitDerivativeCategory
  readonly instrument: Instrument
  readonly position: Position | null
  readonly settings: PositionSettings
  readonly markPrice: number | undefined
  readonly nowMs: number
  readonly seq: number
  readonly ws: boolean
}): Record<string, unknown> {
  const { instrument: ins, position: p, settings: s } = args
  const mark = p?.markPrice ?? args.markPrice ?? 0
  const size = p?.qty ?? 0
  const entry = p?.entryPrice ?? 0
  const value = size === 0 ? 0 : ins.kind === 'inverse' ? (size * ins.contractSize) / entry : size * ins.contractSize * entry
  const im = s.leverage > 0 ? value / s.leverage : 0
  const json: Record<string, unknown> = {
    positionIdx: 0,
    riskId: 1,
    riskLimitValue: ins.kind === 'inverse' ? '150' : '2000000',
    symbol: ins.venueSymbol,
    side: p === null ? '' : p.side === 'long' ? 'Buy' : 'Sell',
    size: onStep(size, ins.lotStep),
    positionValue: money(value),
    tradeMode: s.marginMode === 'isolated' ? 1 : 0,
    positionStatus: 'Normal',
    autoAddMargin: 0,
    adlRankIndicator: p === null ? 0 : 2,
    leverage: String(s.leverage),
    positionBalance: money(p?.isolatedMargin ?? im),
    markPrice: onStep(mark, ins.tickSize),
    liqPrice: p?.liquidationPrice === null || p?.liquidationPrice === undefined ? '' : onStep(p.liquidationPrice, ins.tickSize),
    bustPrice: '',
    positionMM: money(0),
    positionIM: money(im),
    tpslMode: 'Full',
    takeProfit: '0',
    stopLoss: '0',
    trailingStop: '0',
    unrealisedPnl: money(p?.unrealizedPnl ?? 0),
    curRealisedPnl: money(s.cumRealisedPnl),
    cumRealisedPnl: money(s.cumRealisedPnl),
    seq: args.seq,
    isReduceOnly: false,
    createdTime: String(s.createdTimeMs),
    updatedTime: String(p?.updatedAtMs ?? args.nowMs),
  }
  return args.ws ? { ...json, entryPrice: money(entry), category: args.category } : { ...json, avgPrice: money(entry) }
}

/**
 * The UNIFIED account object of `account/wallet-balance` and the `wallet` topic. `usdPrice` values a coin in
 * USD (1 for USDT; the BTCUSD mark for BTC); coins without a price count 0 USD in the totals.
 * @example
 * ```ts
 * const account = bybitWalletJson({ balances, usdPrice: (coin) => (coin === 'BTC' ? 90_000 : 1) })
 * ```
 */
export function bybitWalletJson(args: { readonly balances: readonly Balance[]; readonly usdPrice: (coin: string) => number | undefined }): Record<string, unknown> {
  let totalEquity = 0
  let totalWallet = 0
  let totalAvailable = 0
  let totalUpl = 0
  const coin = args.balances.map((b) => {
    const usd = args.usdPrice(b.asset) ?? 0
    const equity = b.total + b.unrealizedPnl
    totalEquity += equity * usd
    totalWallet += b.total * usd
    totalAvailable += b.available * usd
    totalUpl += b.unrealizedPnl * usd
    return {
      coin: b.asset,
      equity: money(equity),
      usdValue: money(equity * usd),
      walletBalance: money(b.total),
      availableToWithdraw: money(Math.max(0, b.available)),
      borrowAmount: money(0),
      accruedInterest: money(0),
      totalOrderIM: money(0),
      totalPositionIM: money(Math.max(0, b.total + b.unrealizedPnl - b.available)),
      totalPositionMM: money(0),
      unrealisedPnl: money(b.unrealizedPnl),
      cumRealisedPnl: money(0),
      bonus: money(0),
      collateralSwitch: true,
      marginCollateral: true,
      locked: money(0),
      spotHedgingQty: '0',
    }
  })
  return {
    accountType: 'UNIFIED',
    accountIMRate: '0',
    accountMMRate: '0',
    totalEquity: money(totalEquity),
    totalWalletBalance: money(totalWallet),
    totalMarginBalance: money(totalWallet + totalUpl),
    totalAvailableBalance: money(totalAvailable),
    totalPerpUPL: money(totalUpl),
    totalInitialMargin: money(Math.max(0, totalWallet + totalUpl - totalAvailable)),
    totalMaintenanceMargin: money(0),
    accountLTV: '0',
    coin,
  }
}
