/**
 * The services every session composes the same way, backtest or live: the risk session over `@perpkit/risk`'s
 * engine and the OMS wired to it (trading state from risk's mode, maker timeouts to risk's taker fallback).
 * @module
 */
import type { Clock, ExchangeClient, Instrument, Journal } from '@perpkit/core'
import { type BudgetLedger, createOrderManager, type OmsConfig, type OmsJournalEntry, type OmsState, type OrderManager } from '@perpkit/oms'
import { parseRiskConfig, type RiskConfig, type RiskConfigInput } from '@perpkit/risk'
import type { MaintenanceBasis } from '@perpkit/sizing'
import { createRiskSession, type RiskSession } from './risk-session.js'

/** A session's risk settings (the same in backtest and live). */
export interface SessionRiskOptions {
  /** `false` permits every proposal (decisions are still made and signed). Default true. */
  readonly enabled?: boolean
  /** `@perpkit/risk`'s configuration; the profile defaults to `general` unless it says `account-builder`. */
  readonly config?: RiskConfigInput
  readonly signingKey?: string
  /** The strategy's backtest win rate (0..1), for risk's account-builder win-rate gate. */
  readonly backtestWinRate?: number
}

/** The risk session of a run and the configuration it was parsed to. */
export function createSessionRisk(options: SessionRiskOptions | undefined, clock: Clock): { readonly risk: RiskSession; readonly config: RiskConfig; readonly enabled: boolean } {
  const enabled = options?.enabled ?? true
  const config = parseRiskConfig({ profile: 'general', ...(options?.config ?? {}) })
  const risk = createRiskSession({ config, clock, enabled, ...(options?.signingKey !== undefined ? { signingKey: options.signingKey } : {}) })
  return { risk, config, enabled }
}

/** The OMS of a run over `exchange`, reading risk's trading mode and handing maker timeouts to risk. */
export function createSessionOms(args: {
  readonly exchange: ExchangeClient
  readonly clock: Clock
  readonly journal: Journal<OmsState, OmsJournalEntry>
  readonly instrument: Instrument
  readonly risk: RiskSession
  readonly config: Partial<OmsConfig>
  /** Durable record of venue requests, so a restarted process counts what the crashed one spent. */
  readonly budgetLedger?: BudgetLedger
}): OrderManager {
  const { risk } = args
  return createOrderManager({
    venue: args.exchange,
    clock: args.clock,
    journal: args.journal,
    instruments: [args.instrument],
    config: args.config,
    ...(args.budgetLedger === undefined ? {} : { budgetLedger: args.budgetLedger }),
    tradingState: () => {
      const mode = risk.engine.mode()
      return mode === 'HALTED' ? 'halted' : mode === 'REDUCING' ? 'reducing' : 'normal'
    },
    // post-only entries that time out unfilled: retry as maker, then risk's taker fallback decides
    onMakerTimeout: (context) => risk.onMakerTimeout(context),
  })
}

/** Where a venue measures maintenance margin for the liquidation estimate: Bybit at the entry price, Binance at the liquidation price. */
export function venueMaintenanceBasis(venue: string): MaintenanceBasis {
  return venue.startsWith('bybit') ? 'entry-price' : 'liquidation-price'
}
