import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { clonePlain } from './clone.js'

describe('clonePlain', () => {
  it('equals structuredClone on plain data and shares no object with the input (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.option(fc.constant(undefined)), (v, u) => {
        const input = { v, u, nested: [v, { v }] }
        const copy = clonePlain(input)
        expect(copy).toStrictEqual(structuredClone(input))
        expect(copy).not.toBe(input)
        expect(copy.nested).not.toBe(input.nested)
        expect(copy.nested[1]).not.toBe(input.nested[1])
      }),
      { numRuns: 1000 },
    )
  })
  it('keeps an own "__proto__" key as data (found by the property above)', () => {
    const input = JSON.parse('{"__proto__":0,"a":1}') as Record<string, unknown>
    const copy = clonePlain(input)
    expect(copy).toStrictEqual(structuredClone(input))
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
  })
  it('keeps undefined-valued keys and hands non-plain objects to structuredClone', () => {
    const d = new Date(5)
    const copy = clonePlain({ a: undefined, d, m: new Map([[1, 2]]) })
    expect(Object.keys(copy)).toEqual(['a', 'd', 'm'])
    expect(copy.d).toBeInstanceOf(Date)
    expect(copy.d).not.toBe(d)
    expect(copy.d.getTime()).toBe(5)
    expect(copy.m.get(1)).toBe(2)
  })
})
