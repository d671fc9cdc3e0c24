/**
 * The running bot's side of the control channel (see `control.ts`): it polls the inbox and applies each request
 * in order. A HALT is risk's operator hold (no new entries; exits by the order manager and protective stops go on),
 * recorded in `halt.json` so that the next start begins halted; resume lifts it. A close waits for the order
 * manager's start-up reconciliation, then closes through it (`operator-close.ts`).
 * @module
 */
import type { CancelTimer, Clock } from '@perpkit/core'
import type { LiveServices } from '@perpkit/engine'
import type { Logger } from '@perpkit/ops'
import { claimControlRequests, type ClaimedRequest, type ControlOutcome, finishControlRequest, readOperatorHalt, writeOperatorHalt } from './control.js'
import { closeThroughOms } from './operator-close.js'
import { WATCHDOG_TRIP } from './session-watchdog.js'

/** Options of {@link createOperatorControl}. */
export interface OperatorControlOptions {
  readonly stateDir: string
  /** The bot's symbol (a close of another is refused). */
  readonly symbol: string
  readonly clock: Clock
  readonly log: Logger
  /** Inbox poll period (default 250 ms). */
  readonly pollMs?: number
  /** Longest wait for a close to fill (default 30 s). */
  readonly closeLimitMs?: number
}

/** The bot's control processor. */
export interface OperatorControl {
  /** The session's services exist: apply the recorded HALT at once, then poll the inbox. */
  attach(services: LiveServices): void
  /** Stop polling and wait for the request in progress. */
  stop(): Promise<void>
}

const WAIT_MS = 100

/** Create the processor (it does nothing until {@link OperatorControl.attach}). */
export function createOperatorControl(options: OperatorControlOptions): OperatorControl {
  const { stateDir, symbol, clock, log } = options
  const pollMs = options.pollMs ?? 250
  let services: LiveServices | undefined
  let timer: CancelTimer | undefined
  let pass: Promise<void> = Promise.resolve()
  let running = false
  let stopped = false

  const halt = (s: LiveServices, reason: string): void => s.risk.engine.halt({ reason: `operator: ${reason}` })

  async function apply(s: LiveServices, { request }: ClaimedRequest): Promise<Omit<ControlOutcome, 'doneAtMs'>> {
    switch (request.type) {
      case 'halt': {
        halt(s, request.reason)
        writeOperatorHalt(stateDir, { reason: request.reason, sinceMs: clock.now() })
        log.warn({ reason: request.reason }, 'operator HALT: no new entries; protective orders stay on the venue')
        return { ok: true, message: `halted (${request.reason}): no new entries; protective orders stay on the venue` }
      }
      case 'resume': {
        const lifted = s.risk.engine.lift({ id: 'manual' })
        // a HALT of the watchdog (a breaker trip of risk's health check) waits for the operator too
        const watchdog = s.risk.engine.status().holds.find((h) => h.id === 'breaker' && h.reason.startsWith(WATCHDOG_TRIP))
        if (watchdog !== undefined) s.risk.engine.lift({ id: 'breaker' })
        writeOperatorHalt(stateDir, undefined)
        log.warn({ wasHalted: lifted.ok, watchdogHalt: watchdog?.reason, mode: s.risk.engine.mode() }, 'operator resume')
        const mode = s.risk.engine.mode()
        if (!lifted.ok && watchdog === undefined) return { ok: true, message: `no operator HALT was in force; trading mode ${mode}` }
        return { ok: true, message: mode === 'ACTIVE' ? 'resumed: entries allowed again' : `operator HALT lifted; trading mode is still ${mode} (another hold: see \`perpkit status\` and the log)` }
      }
      case 'close': {
        if (request.symbol !== symbol) return { ok: false, message: `this bot trades ${symbol}, not ${request.symbol}; nothing sent` }
        while (!s.oms.status().reconciled && !stopped && clock.now() < request.expiresAtMs) await clock.sleep(WAIT_MS)
        if (stopped) return { ok: false, message: 'the bot stopped before its start-up reconciliation finished; nothing sent' }
        if (clock.now() >= request.expiresAtMs) return { ok: false, message: 'expired before the bot could act (start-up reconciliation not finished); nothing sent' }
        log.warn({ symbol }, 'operator close: reduce-only market close and cancel of the working orders')
        return closeThroughOms({ oms: s.oms, symbol, clock, limitMs: options.closeLimitMs ?? 30_000, reason: 'operator close' })
      }
    }
  }

  async function drain(s: LiveServices): Promise<void> {
    for (const claimed of claimControlRequests(stateDir, clock.now())) {
      let outcome: Omit<ControlOutcome, 'doneAtMs'>
      try {
        outcome = await apply(s, claimed)
      } catch (e) {
        outcome = { ok: false, message: `failed: ${e instanceof Error ? e.message : String(e)}` }
        log.error({ err: e, request: claimed.request }, 'operator request failed')
      }
      finishControlRequest(stateDir, claimed.id, { ...outcome, doneAtMs: clock.now() })
      log.info({ request: claimed.request, ok: outcome.ok, outcome: outcome.message }, 'operator request done')
    }
  }

  const tick = (): void => {
    timer = undefined
    if (stopped || services === undefined) return
    if (!running) {
      running = true
      pass = drain(services)
        .catch((e: unknown) => log.error({ err: e }, 'reading the control inbox failed'))
        .finally(() => {
          running = false
        })
    }
    timer = clock.setTimer(pollMs, tick)
  }

  return {
    attach(s) {
      services = s
      const recorded = readOperatorHalt(stateDir)
      if (recorded !== undefined) {
        halt(s, recorded.reason)
        log.warn({ reason: recorded.reason, sinceMs: recorded.sinceMs }, 'operator HALT in force from before the start: no new entries until `perpkit resume`')
      }
      tick()
    },
    async stop() {
      stopped = true
      timer?.()
      timer = undefined
      await pass
    },
  }
}
