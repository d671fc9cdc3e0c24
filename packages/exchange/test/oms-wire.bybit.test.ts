/** The order manager's invariants through createBybit (inverse and linear) and the wire: 50 seeded runs with faults (see oms-wire/scenario.ts). */
import { defineWireCampaignTest } from './oms-wire/define-test.js'

defineWireCampaignTest('bybit', 50)
