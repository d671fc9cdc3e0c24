import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json.js'

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: { y: [3, { d: 1, c: null }] } }, '{"z":{"y":[3,{"c":null,"d":1}]}}'],
    [{ a: undefined, b: 'x' }, '{"b":"x"}'],
    [-0, '0'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e21, '1e+21'],
    ['é"\n', '"é\\"\\n"'],
  ])('%j -> %s', (v, s) => {
    expect(canonicalJson(v)).toBe(s)
  })

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY], [[1, undefined]], [new Date(0)], [() => 1], [1n]])('rejects %s', (v) => {
    expect(() => canonicalJson(v)).toThrow()
  })

  it('property: independent of key order, lossless, and idempotent through JSON.parse', () => {
    const reverseKeys = (x: unknown): unknown => {
      if (Array.isArray(x)) return x.map(reverseKeys)
      if (x && typeof x === 'object') {
        const out: Record<string, unknown> = {}
        for (const k of Object.keys(x).reverse()) Object.defineProperty(out, k, { value: reverseKeys((x as Record<string, unknown>)[k]), enumerable: true })
        return out
      }
      return x
    }
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const s = canonicalJson(v)
        expect(JSON.parse(s)).toEqual(JSON.parse(JSON.stringify(v)))
        return canonicalJson(reverseKeys(v)) === s && canonicalJson(JSON.parse(s)) === s
      }),
      { numRuns: 1000 },
    )
  })

  it('sorts integer-like keys by code unit too (unlike JSON.stringify)', () => {
    expect(canonicalJson({ '10': 1, '9': 2, '': 3 })).toBe('{"":3,"10":1,"9":2}')
  })
})

describe('canonicalJson strings', () => {
  it('every UTF-16 code unit, alone and inside text, is written exactly as JSON.stringify writes it (keys too)', () => {
    const samples: string[] = ['\ud83d\ude00', 'x\ud83d\ude00y', '\ude00\ud83d']
    for (let c = 0; c < 0x10000; c++) samples.push(String.fromCharCode(c), `a${String.fromCharCode(c)}b`)
    const mismatches = samples.filter((s) => canonicalJson(s) !== JSON.stringify(s) || canonicalJson({ [s]: 1 }) !== `{${JSON.stringify(s)}:1}`)
    expect(mismatches).toEqual([])
  })
})
