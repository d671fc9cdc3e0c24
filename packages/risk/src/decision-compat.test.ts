import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalCopy, canonicalJson } from './canonical-json.js'
import { type AlphaProposal, alphaProposalSchema, type Decision, makeDecision, parseAlphaProposal, type RiskVerdict, verifyDecision } from './decision.js'

const FIXTURE_KEY = 'perpkit-fixture-key'
const stored = readFileSync(join(import.meta.dirname, '../test/fixtures/decisions-v1.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l !== '')

describe('decisions signed before single-pass encoding', () => {
  it.each(stored.map((line, i) => [i + 1, line]))('line %i still verifies and is re-made byte for byte', (_n, line) => {
    const d = JSON.parse(line) as Decision
    const key = d.signatureAlgorithm === 'hmac-sha256' ? FIXTURE_KEY : undefined
    expect(verifyDecision({ decision: d, ...(key === undefined ? {} : { signingKey: key }) })).toBe(true)
    const again = makeDecision({ proposal: d.proposal, verdict: d.verdict, inputs: d.inputs, decidedAtMs: d.decidedAtMs, ...(key === undefined ? {} : { signingKey: key }) })
    expect(JSON.stringify(again)).toBe(line)
  })

  it('a changed field of a stored decision no longer verifies', () => {
    const d = JSON.parse(stored[0] as string) as Decision
    expect(verifyDecision({ decision: { ...d, inputs: { ...d.inputs, equityUsd: 10_001 } } })).toBe(false)
  })
})

/** The previous algorithm, written out: zod parse, JSON copies of inputs and verdict, one encode of the whole body. */
function previousMakeDecision(args: { proposal: AlphaProposal; verdict: RiskVerdict; inputs: Record<string, unknown>; decidedAtMs: number }): string {
  const proposal = alphaProposalSchema.parse(args.proposal)
  const action = !args.verdict.permitted ? 'skip' : proposal.kind === 'entry' ? 'enter' : 'exit'
  const inputs = JSON.parse(canonicalJson(args.inputs)) as unknown
  const verdict = JSON.parse(canonicalJson(args.verdict)) as unknown
  const body = { version: 1, id: `${proposal.signalId}@${args.decidedAtMs}`, decidedAtMs: args.decidedAtMs, action, proposal, verdict, inputs, signatureAlgorithm: 'sha256' }
  return JSON.stringify({ ...body, signature: createHash('sha256').update(canonicalJson(body)).digest('hex') })
}

const jsonValue = fc.jsonValue({ maxDepth: 3 })
const proposalArb = fc.record({
  signalId: fc.string({ minLength: 1 }),
  symbol: fc.constantFrom('BTC/USD:BTC', 'BTC/USDT:USDT'),
  kind: fc.constantFrom('entry' as const, 'exit' as const),
  side: fc.constantFrom('long' as const, 'short' as const),
  confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  strategy: fc.string({ minLength: 1 }),
  createdAtMs: fc.nat(),
})
const verdictArb = fc.record({
  permitted: fc.boolean(),
  mode: fc.constantFrom('ACTIVE' as const, 'REDUCING' as const, 'HALTED' as const),
  reasons: fc.array(fc.record({ code: fc.constantFrom('halted' as const, 'cooldown' as const), message: fc.string() }), { maxLength: 3 }),
  warnings: fc.array(fc.string(), { maxLength: 2 }),
  stage: fc.option(fc.nat({ max: 5 })),
  sizeMultiplier: fc.double({ min: 0, max: 2, noNaN: true }),
  leverage: fc.option(fc.integer({ min: 1, max: 100 })),
})

describe('single-pass signing', () => {
  it('property: the same bytes and signature as the previous algorithm', () => {
    fc.assert(
      fc.property(proposalArb, verdictArb, fc.dictionary(fc.string(), jsonValue), fc.nat(), (proposal, verdict, inputs, decidedAtMs) => {
        const now = makeDecision({ proposal, verdict, inputs, decidedAtMs })
        expect(JSON.stringify(now)).toBe(previousMakeDecision({ proposal, verdict, inputs, decidedAtMs }))
        expect(verifyDecision({ decision: now })).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('property: canonicalCopy gives canonicalJson and a copy equal to parsing it (same key order)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(undefined, -0), (v, extra) => {
        const value = v !== null && typeof v === 'object' && !Array.isArray(v) ? { ...v, zz: extra } : v
        const { json, copy } = canonicalCopy(value)
        expect(json).toBe(canonicalJson(value))
        expect(JSON.stringify(copy)).toBe(JSON.stringify(JSON.parse(json)))
        expect(copy).toStrictEqual(JSON.parse(json))
      }),
      { numRuns: 300 },
    )
  })

  it('the stored inputs are a copy: changing the caller\'s object afterwards changes nothing', () => {
    const inputs = { nested: { equityUsd: 100 } }
    const { proposal, verdict } = JSON.parse(stored[0] as string) as Decision
    const d = makeDecision({ proposal, verdict, inputs, decidedAtMs: 1 })
    inputs.nested.equityUsd = 5
    expect(d.inputs).toEqual({ nested: { equityUsd: 100 } })
    expect(verifyDecision({ decision: d })).toBe(true)
  })

  it('encoding errors keep their paths', () => {
    const d = JSON.parse(stored[0] as string) as Decision
    expect(() => makeDecision({ proposal: d.proposal, verdict: d.verdict, inputs: { a: { b: [1, Number.NaN] } }, decidedAtMs: 1 })).toThrow(
      expect.objectContaining({ code: 'invalid-input', path: 'a.b[1]' }),
    )
    expect(() => makeDecision({ proposal: d.proposal, verdict: d.verdict, inputs: {}, decidedAtMs: Number.NaN })).toThrow(expect.objectContaining({ path: 'decidedAtMs' }))
    expect(() => canonicalJson({ a: [1, undefined] })).toThrow(expect.objectContaining({ path: 'a[1]' }))
    expect(() => canonicalJson({ x: new Date(0) })).toThrow(expect.objectContaining({ path: 'x' }))
  })
})

describe('parseAlphaProposal accepts exactly what alphaProposalSchema accepts', () => {
  const field = fc.oneof(fc.string(), fc.constantFrom('', 'entry', 'exit', 'long', 'short'), fc.double(), fc.integer(), fc.constantFrom(-0, 1.5, 2 ** 53, -1, null, undefined, true))
  const candidate = fc.oneof(
    proposalArb.map((p) => p as Record<string, unknown>),
    fc.tuple(proposalArb, fc.constantFrom('signalId', 'symbol', 'kind', 'side', 'confidence', 'strategy', 'createdAtMs', 'extra'), field).map(([p, k, v]) => ({ ...p, [k]: v }) as Record<string, unknown>),
    fc.tuple(proposalArb, fc.constantFrom('signalId', 'kind', 'createdAtMs')).map(([p, k]) => {
      const { [k as keyof typeof p]: _dropped, ...rest } = p
      return rest as Record<string, unknown>
    }),
  )
  it('property: same verdict, same value, same key order', () => {
    fc.assert(
      fc.property(candidate, (input) => {
        const reference = alphaProposalSchema.safeParse(input)
        let ours: AlphaProposal | undefined
        let error: unknown
        try {
          ours = parseAlphaProposal(input)
        } catch (e) {
          error = e
        }
        if (reference.success) expect(JSON.stringify(ours)).toBe(JSON.stringify(reference.data))
        else expect(error).toMatchObject({ code: 'invalid-input' })
      }),
      { numRuns: 1000 },
    )
  })
})
