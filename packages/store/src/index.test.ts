import { describe, expect, it } from 'vitest'
import * as api from './index.js'
import * as postgres from './postgres/index.js'

describe('public API', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(api).sort()).toMatchSnapshot()
  })
  it('exports exactly the documented names from the postgres subpath', () => {
    expect(Object.keys(postgres).sort()).toMatchSnapshot()
  })
})
