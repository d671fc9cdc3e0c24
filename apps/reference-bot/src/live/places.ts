/**
 * Where a live bot keeps what must survive it: one state directory per account and symbol (the OMS journal, the
 * heartbeat file, the JSONL trade / decision / halt / daily logs) and the single-instance lock. The account is
 * named by venue, environment and a fingerprint of the API key (never the key itself), so a restart with the same
 * key finds its journal, and another key never reads it.
 * @module
 */
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { ExchangeClient, Journal } from '@perpkit/core'
import { type BudgetLedger, createFileBudgetLedger, createFileJournal, type OmsJournalEntry, type OmsState } from '@perpkit/oms'
import type { BotConfig } from '../config.js'
import type { LiveTarget } from './target.js'

/** `binance-usdm-testnet-<12 hex of SHA-256(api key)>`: the account a lock and a state directory belong to. */
export function accountLabel(venue: BotConfig['venue'], target: Pick<LiveTarget, 'environment' | 'apiKey'>): string {
  const fingerprint = createHash('sha256').update(target.apiKey).digest('hex').slice(0, 12)
  return `${venue}-${target.environment}-${fingerprint}`
}

/** The default state directory: `<output.dir>/live/<account>-<symbol>` (symbol characters outside `[A-Za-z0-9]` become `_`). */
export function defaultStateDir(args: { readonly outputDir: string; readonly account: string; readonly symbol: string }): string {
  return resolve(args.outputDir, 'live', `${args.account}-${args.symbol.replace(/[^A-Za-z0-9]/g, '_')}`)
}

/**
 * The default lock directory: `PERPKIT_LOCK_DIR`, else `<os tmpdir>/perpkit-locks`. It must be shared by every bot
 * that could trade the account (whatever their state directories), which is why it is not inside one.
 */
export function defaultLockDir(env: NodeJS.ProcessEnv): string {
  const fromEnv = env.PERPKIT_LOCK_DIR
  return fromEnv !== undefined && fromEnv !== '' ? resolve(fromEnv) : join(tmpdir(), 'perpkit-locks')
}

/**
 * The order manager's durable state in a state directory: its journal (`oms/`) and the ledger of its venue requests
 * (`oms-budget.log`: a process started after a crash counts what its predecessor spent in the venue's window). The
 * live session and an operator's close while no bot runs open the same ones.
 */
export function omsPersistence(stateDir: string, client: Pick<ExchangeClient, 'requestLimits'>): { readonly journal: Journal<OmsState, OmsJournalEntry>; readonly budgetLedger: BudgetLedger } {
  return {
    journal: createFileJournal<OmsState, OmsJournalEntry>({ dir: join(stateDir, 'oms') }),
    budgetLedger: createFileBudgetLedger({ path: join(stateDir, 'oms-budget.log'), keepMs: client.requestLimits.intervalMs }),
  }
}
