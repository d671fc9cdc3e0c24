import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AlphaProposal, type Decision, makeDecision, type RiskVerdict, verifyDecision } from './decision.js'

const proposal: AlphaProposal = { signalId: 'grid-7', symbol: 'BTC/USD:BTC', kind: 'entry', side: 'long', confidence: 0.8, strategy: 'grid', createdAtMs: 1_700_000_000_000 }
const verdict: RiskVerdict = { permitted: true, mode: 'ACTIVE', reasons: [], warnings: [], stage: 1, sizeMultiplier: 1, leverage: 3 }

/** Every leaf path of a JSON value. */
function leaves(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.length === 0 ? [path] : v.flatMap((x, i) => leaves(x, [...path, i]))
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v)
    return keys.length === 0 ? [path] : keys.flatMap((k) => leaves((v as Record<string, unknown>)[k], [...path, k]))
  }
  return [path]
}
function mutateAt(root: unknown, path: (string | number)[]): unknown {
  const copy = JSON.parse(JSON.stringify(root)) as Record<string | number, unknown>
  let parent: Record<string | number, unknown> = copy
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
  const last = path[path.length - 1]
  if (last === undefined) return copy
  const v = parent[last]
  parent[last] =
    typeof v === 'number' ? (v === 0 ? 1 : v * 2) : typeof v === 'string' ? `${v}x` : typeof v === 'boolean' ? !v : v === null ? 0 : Array.isArray(v) ? [...v, 1] : { ...v as object, extra: 1 }
  return copy
}

describe('two-chamber decision (002)', () => {
  it('action follows the verdict and the proposal kind', () => {
    expect(makeDecision({ proposal, verdict, inputs: {}, decidedAtMs: 1 }).action).toBe('enter')
    expect(makeDecision({ proposal: { ...proposal, kind: 'exit' }, verdict, inputs: {}, decidedAtMs: 1 }).action).toBe('exit')
    const skip = makeDecision({ proposal, verdict: { ...verdict, permitted: false, reasons: [{ code: 'halted', message: 'x' }] }, inputs: {}, decidedAtMs: 1 })
    expect(skip.action).toBe('skip')
  })

  it('the signature is the SHA-256 of the canonical encoding (independent check with a fixed vector)', async () => {
    const { createHash } = await import('node:crypto')
    const d = makeDecision({ proposal, verdict, inputs: { b: 2, a: 1 }, decidedAtMs: 5 })
    const { signature, ...rest } = d
    // independently built canonical text: keys sorted at every level, no whitespace
    const text =
      '{"action":"enter","decidedAtMs":5,"id":"grid-7@5","inputs":{"a":1,"b":2},' +
      '"proposal":{"confidence":0.8,"createdAtMs":1700000000000,"kind":"entry","side":"long","signalId":"grid-7","strategy":"grid","symbol":"BTC/USD:BTC"},' +
      '"signatureAlgorithm":"sha256",' +
      '"verdict":{"leverage":3,"mode":"ACTIVE","permitted":true,"reasons":[],"sizeMultiplier":1,"stage":1,"warnings":[]},"version":1}'
    expect(Object.keys(rest).length).toBe(8)
    expect(signature).toBe(createHash('sha256').update(text).digest('hex'))
  })

  it('verifies after a JSON round trip (a JSONL decision log)', () => {
    const d = makeDecision({ proposal, verdict, inputs: { equityUsd: 150, ev: { passed: true } }, decidedAtMs: 9 })
    expect(verifyDecision({ decision: JSON.parse(JSON.stringify(d)) })).toBe(true)
  })

  it('HMAC signatures need the right key', () => {
    const d = makeDecision({ proposal, verdict, inputs: {}, decidedAtMs: 9, signingKey: 'k1' })
    expect(d.signatureAlgorithm).toBe('hmac-sha256')
    expect(verifyDecision({ decision: d, signingKey: 'k1' })).toBe(true)
    expect(verifyDecision({ decision: d, signingKey: 'k2' })).toBe(false)
    expect(verifyDecision({ decision: d })).toBe(false)
  })

  it.each([[null], ['x'], [{}], [{ signature: 'zz' }]])('malformed input %j does not verify', (v) => {
    expect(verifyDecision({ decision: v })).toBe(false)
  })

  it('rejects an invalid proposal with InvalidInputError', () => {
    expect(() => makeDecision({ proposal: { ...proposal, confidence: 2 }, verdict, inputs: {}, decidedAtMs: 0 })).toThrow(/confidence/)
  })

  it('property: the signature verifies, and changing any field breaks it', () => {
    const scalar = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.boolean(), fc.constant(null))
    const inputs = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(scalar, fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), scalar)))
    fc.assert(
      fc.property(inputs, fc.nat(), fc.option(fc.string({ minLength: 1 }), { nil: undefined }), (inp, pick, key) => {
        const d = makeDecision({ proposal, verdict, inputs: inp, decidedAtMs: 42, ...(key === undefined ? {} : { signingKey: key }) })
        const auth = key === undefined ? {} : { signingKey: key }
        if (!verifyDecision({ decision: d, ...auth })) return false
        const paths = leaves(d).filter((p) => p[0] !== 'signature')
        const path = paths[pick % paths.length] ?? []
        const tampered = mutateAt(d, path) as Decision
        return !verifyDecision({ decision: tampered, ...auth })
      }),
      { numRuns: 1000 },
    )
  })
})
