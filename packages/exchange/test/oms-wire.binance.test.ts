/** The order manager's invariants through createBinanceUsdm and the wire: 50 seeded runs with faults (see oms-wire/scenario.ts). */
import { defineWireCampaignTest } from './oms-wire/define-test.js'

defineWireCampaignTest('binance-usdm', 50)
