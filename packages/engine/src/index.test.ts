import { expect, it } from 'vitest'
import * as api from './index.js'

it('exports a stable public API', () => {
  expect(Object.keys(api).sort()).toMatchSnapshot()
})
