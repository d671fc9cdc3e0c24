import { expect, it } from 'vitest'
import * as api from './index.js'

it('pins the public API of @perpkit/core', () => {
  expect(Object.keys(api).sort()).toMatchSnapshot()
})

it('pins the public API of @perpkit/core/testing', async () => {
  const testing = await import('./testing/index.js')
  expect(Object.keys(testing).sort()).toMatchSnapshot()
})
