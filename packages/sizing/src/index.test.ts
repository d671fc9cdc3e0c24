import { expect, it } from 'vitest'
import * as api from './index.js'

it('public exports are pinned', () => {
  expect(Object.keys(api).sort()).toMatchSnapshot()
})
