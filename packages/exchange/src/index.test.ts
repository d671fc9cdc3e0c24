import { describe, expect, it } from 'vitest'
import * as api from './index.js'
import * as testing from './testing/index.js'

describe('public API', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(api).sort()).toMatchSnapshot()
  })
  it('exports exactly the documented names from the testing subpath', () => {
    expect(Object.keys(testing).sort()).toMatchSnapshot()
  })
})
