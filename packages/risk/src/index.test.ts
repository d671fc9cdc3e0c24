import { expect, it } from 'vitest'
import * as api from './index.js'

it('public API surface', () => {
  expect(Object.keys(api).sort()).toMatchSnapshot()
})
