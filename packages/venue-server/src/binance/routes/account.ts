/**
 * Binance USDⓈ-M account endpoints: `positionRisk` (v2, v3), `balance` (v2, v3), `account` (v2, v3),
 * `leverage`, `marginType`, `positionSide/dual`, `leverageBracket`.
 * @module
 */
import type { Balance, Instrument, Position } from '@perpkit/core'
import { binanceError, binanceOk } from '../errors.js'
import { balanceBody, money, positionBody, qty, signedAmount } from '../format.js'
import type { BinanceRouteSpec } from '../guard.js'
import { numberParam, symbolParam } from '../params.js'
import type { BinanceSession } from '../session.js'

const ACCOUNT_ALIAS = 'SgsR'

/**
 * Leverage brackets served by `GET /fapi/v1/leverageBracket` (notional caps in the margin asset). The simulated
 * venue uses one maintenance rate per symbol; these tiers are what clients read to size positions.
 */
const BRACKETS = [
  { bracket: 1, initialLeverage: 125, notionalCap: 50_000, notionalFloor: 0, maintMarginRatio: 0.004, cum: 0 },
  { bracket: 2, initialLeverage: 100, notionalCap: 600_000, notionalFloor: 50_000, maintMarginRatio: 0.005, cum: 50 },
  { bracket: 3, initialLeverage: 75, notionalCap: 3_000_000, notionalFloor: 600_000, maintMarginRatio: 0.0065, cum: 950 },
  { bracket: 4, initialLeverage: 50, notionalCap: 12_000_000, notionalFloor: 3_000_000, maintMarginRatio: 0.01, cum: 11_450 },
  { bracket: 5, initialLeverage: 25, notionalCap: 70_000_000, notionalFloor: 12_000_000, maintMarginRatio: 0.02, cum: 131_450 },
]

/**
 * Route specs of the account endpoints.
 * @param session - dialect session
 * @returns the specs
 * @throws never
 * @example
 * ```ts
 * accountRoutes(session).map((r) => r.path)
 * ```
 */
export function accountRoutes(session: BinanceSession): readonly BinanceRouteSpec[] {
  const { ctx } = session
  const sim = (): ReturnType<BinanceSession['sim']> => session.sim()
  const instruments = (): readonly Instrument[] => ctx.venue.instruments.filter((i) => i.venue === 'binance-usdm')
  const positionsBy = async (): Promise<Map<string, Position>> => new Map((await sim().fetchPositions()).map((p) => [p.symbol, p]))
  const mark = (ins: Instrument, p: Position | undefined): number => ctx.venue.markPrice(ins.symbol) ?? p?.markPrice ?? ctx.venue.lastPrice(ins.symbol) ?? 0
  const balances = async (): Promise<Balance[]> => {
    const list = [...(await sim().fetchBalances())]
    for (const asset of new Set(instruments().map((i) => i.settle))) {
      if (!list.some((b) => b.asset === asset)) list.push({ asset, total: 0, available: 0, unrealizedPnl: 0, updatedAtMs: 0 })
    }
    return list.sort((a, b) => (a.asset < b.asset ? -1 : 1))
  }
  const positionRisk = (version: 'v2' | 'v3'): BinanceRouteSpec => ({
    method: 'GET',
    path: `/fapi/${version}/positionRisk`,
    name: `positionRisk.${version}`,
    weight: 5,
    security: 'USER_DATA',
    async handle(req) {
      const sym = symbolParam(req, ctx.venue, false)
      if (!sym.ok) return sym.response
      const positions = await positionsBy()
      const open = new Set((await sim().fetchOpenOrders()).map((o) => o.symbol))
      const list = instruments().filter((i) => (sym.value === undefined || i.symbol === sym.value.symbol) && (version === 'v2' || positions.has(i.symbol) || open.has(i.symbol)))
      return binanceOk(
        list.map((ins) => {
          const p = positions.get(ins.symbol)
          return positionBody({ ins, position: p ?? null, markPrice: mark(ins, p), leverage: p?.leverage ?? session.leverage(ins.symbol), marginMode: p?.marginMode ?? session.marginMode(ins.symbol), version, nowMs: ctx.clock.now() })
        }),
      )
    },
  })
  const balance = (version: 'v2' | 'v3'): BinanceRouteSpec => ({
    method: 'GET',
    path: `/fapi/${version}/balance`,
    name: `balance.${version}`,
    weight: 5,
    security: 'USER_DATA',
    handle: async () => binanceOk((await balances()).map((b) => balanceBody({ balance: b, accountAlias: ACCOUNT_ALIAS }))),
  })
  const account = (version: 'v2' | 'v3'): BinanceRouteSpec => ({
    method: 'GET',
    path: `/fapi/${version}/account`,
    name: `account.${version}`,
    weight: 5,
    security: 'USER_DATA',
    async handle() {
      const bs = await balances()
      const positions = await positionsBy()
      const sum = (f: (b: Balance) => number): number => bs.reduce((s, b) => s + f(b), 0)
      const positionRows = instruments()
        .filter((i) => version === 'v2' || positions.has(i.symbol))
        .map((ins) => {
          const p = positions.get(ins.symbol)
          const notional = signedAmount(p) * mark(ins, p) * ins.contractSize
          const leverage = p?.leverage ?? session.leverage(ins.symbol)
          const im = Math.abs(notional) / leverage
          return {
            symbol: ins.venueSymbol,
            positionSide: 'BOTH',
            positionAmt: qty(ins, signedAmount(p)),
            unrealizedProfit: money(p?.unrealizedPnl ?? 0),
            isolatedMargin: money(p?.isolatedMargin ?? 0),
            notional: money(notional),
            isolatedWallet: money(p?.isolatedMargin ?? 0),
            initialMargin: money(im),
            maintMargin: money(Math.abs(notional) * 0.004),
            updateTime: p?.updatedAtMs ?? 0,
            ...(version === 'v2'
              ? { positionInitialMargin: money(im), openOrderInitialMargin: money(0), leverage: String(leverage), isolated: (p?.marginMode ?? session.marginMode(ins.symbol)) === 'isolated', entryPrice: String(p?.entryPrice ?? 0), maxNotional: '250000', bidNotional: '0', askNotional: '0' }
              : {}),
          }
        })
      const initial = positionRows.reduce((s, r) => s + Number(r.initialMargin), 0)
      return binanceOk({
        ...(version === 'v2' ? { feeTier: 0, canTrade: true, canDeposit: true, canWithdraw: true, updateTime: 0, multiAssetsMargin: false, tradeGroupId: -1 } : {}),
        totalInitialMargin: money(initial),
        totalMaintMargin: money(positionRows.reduce((s, r) => s + Number(r.maintMargin), 0)),
        totalWalletBalance: money(sum((b) => b.total)),
        totalUnrealizedProfit: money(sum((b) => b.unrealizedPnl)),
        totalMarginBalance: money(sum((b) => b.total + b.unrealizedPnl)),
        totalPositionInitialMargin: money(initial),
        totalOpenOrderInitialMargin: money(0),
        totalCrossWalletBalance: money(sum((b) => b.total)),
        totalCrossUnPnl: money(sum((b) => b.unrealizedPnl)),
        availableBalance: money(sum((b) => b.available)),
        maxWithdrawAmount: money(sum((b) => Math.max(0, Math.min(b.available, b.total)))),
        assets: bs.map((b) => ({
          asset: b.asset,
          walletBalance: money(b.total),
          unrealizedProfit: money(b.unrealizedPnl),
          marginBalance: money(b.total + b.unrealizedPnl),
          maintMargin: money(0),
          initialMargin: money(Math.max(0, b.total + b.unrealizedPnl - b.available)),
          positionInitialMargin: money(Math.max(0, b.total + b.unrealizedPnl - b.available)),
          openOrderInitialMargin: money(0),
          crossWalletBalance: money(b.total),
          crossUnPnl: money(b.unrealizedPnl),
          availableBalance: money(b.available),
          maxWithdrawAmount: money(Math.max(0, Math.min(b.available, b.total))),
          ...(version === 'v2' ? { marginAvailable: true } : {}),
          updateTime: b.updatedAtMs,
        })),
        positions: positionRows,
      })
    },
  })
  return [
    positionRisk('v2'),
    positionRisk('v3'),
    balance('v2'),
    balance('v3'),
    account('v2'),
    account('v3'),
    {
      method: 'POST',
      path: '/fapi/v1/leverage',
      name: 'leverage',
      weight: 1,
      security: 'TRADE',
      async handle(req) {
        const sym = symbolParam(req, ctx.venue, true)
        if (!sym.ok) return sym.response
        const lev = numberParam(req, 'leverage')
        if (!lev.ok) return lev.response
        if (lev.value === undefined) return binanceError(-1102, 'leverage')
        const leverage = lev.value
        if (!Number.isInteger(leverage) || leverage < 1 || leverage > sym.value.maxLeverage) return binanceError(-4028, leverage)
        try {
          await sim().setLeverage({ symbol: sym.value.symbol, leverage })
        } catch (error) {
          return session.rejection(error)
        }
        session.setSettings(sym.value.symbol, { leverage })
        const cap = [...BRACKETS].reverse().find((b) => b.initialLeverage >= leverage)?.notionalCap ?? BRACKETS[0]?.notionalCap ?? 0
        return binanceOk({ leverage, maxNotionalValue: String(cap), symbol: sym.value.venueSymbol }, true)
      },
    },
    {
      method: 'POST',
      path: '/fapi/v1/marginType',
      name: 'marginType',
      weight: 1,
      security: 'TRADE',
      async handle(req) {
        const sym = symbolParam(req, ctx.venue, true)
        if (!sym.ok) return sym.response
        const text = req.params.get('marginType')
        if (text === null) return binanceError(-1102, 'marginType')
        if (text !== 'ISOLATED' && text !== 'CROSSED') return binanceError(-1102, 'marginType')
        const marginMode = text === 'ISOLATED' ? 'isolated' : 'cross'
        if (session.marginMode(sym.value.symbol) === marginMode) return binanceError(-4046)
        try {
          await sim().setMarginMode({ symbol: sym.value.symbol, marginMode })
        } catch (error) {
          return session.rejection(error)
        }
        session.setSettings(sym.value.symbol, { marginMode })
        return binanceOk({ code: 200, msg: 'success' }, true)
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/positionSide/dual',
      name: 'positionSide.get',
      weight: 30,
      security: 'USER_DATA',
      handle: async () => binanceOk({ dualSidePosition: (await sim().getPositionMode()) === 'hedge' }),
    },
    {
      method: 'POST',
      path: '/fapi/v1/positionSide/dual',
      name: 'positionSide.set',
      weight: 1,
      security: 'TRADE',
      async handle(req) {
        const text = req.params.get('dualSidePosition')
        if (text === null) return binanceError(-1102, 'dualSidePosition')
        if (text !== 'true' && text !== 'false') return binanceError(-1102, 'dualSidePosition')
        const mode = text === 'true' ? 'hedge' : 'one-way'
        if ((await sim().getPositionMode()) === mode) return binanceError(-4059)
        try {
          await sim().setPositionMode({ mode })
        } catch (error) {
          return session.rejection(error)
        }
        return binanceOk({ code: 200, msg: 'success' }, true)
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/leverageBracket',
      name: 'leverageBracket',
      weight: 1,
      security: 'USER_DATA',
      handle(req) {
        const sym = symbolParam(req, ctx.venue, false)
        if (!sym.ok) return sym.response
        const list = instruments()
          .filter((i) => sym.value === undefined || i.symbol === sym.value.symbol)
          .map((i) => ({ symbol: i.venueSymbol, notionalCoef: 1.0, brackets: BRACKETS.filter((b) => b.initialLeverage <= i.maxLeverage) }))
        return binanceOk(list)
      },
    },
  ]
}
