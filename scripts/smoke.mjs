#!/usr/bin/env node
// Pack-and-install smoke test (`npm run smoke`, after `npm run build`).
//   1. `npm pack` every public package (packages/*) into a temp dir;
//   2. create a scratch project in os.tmpdir(), OUTSIDE the workspace, and `npm install` the tarballs
//      (third-party dependencies such as zod come from the registry);
//   3. from an ESM `.mjs` file `import` each package and from a CJS `.cjs` file `require` it, call real exported
//      functions (table SMOKE_CALLS below) and compare with expected values; also check that the ESM and CJS
//      builds export the same names, and that a core error thrown by the CJS copy is recognised by the ESM copy.
// Fails loudly on any mismatch, on a package with exports but no SMOKE_CALLS entry, or if packing/installing
// fails. `--only=<names>` limits the checks to some packages. Packages whose src/index.ts exports nothing yet are skipped with a printed note. The temp dir is removed
// (kept with SMOKE_KEEP=1).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { hasEntryExports, listPublicPackages, repoRoot } from './lib/workspace.js'

/**
 * Per package: expressions evaluated with `m` bound to the package's module (ESM namespace or CJS exports),
 * and the JSON value each must produce (a returned promise is awaited). Expected values come from the packages' documented behaviour
 * (exchange worked examples / arithmetic by hand), not from running the code. Extend when a package adds API.
 * @type {Record<string, { expr: string, expect: unknown }[]>}
 */
const SMOKE_CALLS = {
  '@perpkit/core': [
    // 0.1 + 0.2 = 0.30000000000000004 in floating point; rounding to the 0.1 step must give exactly 0.3
    { expr: 'm.roundToStep({ value: 0.1 + 0.2, step: 0.1 })', expect: 0.3 },
    { expr: "m.roundPrice({ price: 65000.37, tickSize: 0.1 })", expect: 65000.4 },
    { expr: "m.formatToStep({ value: 0.1 + 0.2, step: 0.001 })", expect: '0.300' },
    { expr: "m.perpSymbol('BTC', 'USDT')", expect: 'BTC/USDT:USDT' },
    { expr: "m.isPerpkitError(new m.InvalidInputError('bad', { path: 'qty' }), 'invalid-input')", expect: true },
    { expr: "m.ok(1)", expect: { ok: true, value: 1 } },
  ],
  '@perpkit/sizing': [
    // BitMEX inverse: 10,000 contracts of 1 USD at 8,000 USD/BTC = 10,000 / 8,000 = 1.25 BTC
    { expr: "m.contractsToCoin({ contract: { kind: 'inverse', contractSize: 1 }, qty: 10000, price: 8000 })", expect: 1.25 },
    // Bybit linear isolated example: long 1 BTC at 20,000, IM 400, MMR 0.5 % → LP = 20,000 − (400 − 100) / 1 = 19,700
    {
      expr: "m.liquidationPrice({ contract: { kind: 'linear', contractSize: 1 }, side: 'long', qty: 1, entryPrice: 20000, margin: { mode: 'isolated', positionMargin: 400 }, maintenance: { maintenanceMarginRate: 0.005 }, maintenanceBasis: 'entry-price' })",
      expect: 19700,
    },
  ],
  '@perpkit/risk': [
    // canonical JSON: keys sorted, no whitespace
    { expr: "m.canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 0, y: -1.5 } })", expect: '{"a":[true,null,"x"],"b":1,"c":{"y":-1.5,"z":0}}' },
    { expr: 'm.priceChangePct({ fromPrice: 100, toPrice: 90 })', expect: -10 },
  ],
  '@perpkit/strategy': [
    // stop distance = clamp(spacing × 1.5, 2 %, 6 %): 3 → 4.5; 5 → 7.5 clamped to 6; unknown → 3
    { expr: '[3, 5].map((gridSpacingPct) => m.gridStopDistancePct({ gridSpacingPct })).concat(m.gridStopDistancePct({}))', expect: [4.5, 6, 3] },
  ],
  '@perpkit/ml': [
    // closes 100 → 101 → 100.5 → 99, one bar ahead: up, down, down, unknown (NaN is serialised as null)
    { expr: 'Array.from(m.forwardReturnLabels({ close: [100, 101, 100.5, 99], horizonBars: 1 }))', expect: [1, 0, 0, null] },
    // the packed ml-random-forest dependency loads and trains from both module systems: a probability in [0, 1]
    { expr: "(() => { const p = m.trainRandomForest({ rows: [[0], [1], [0.1], [0.9]], labels: [0, 1, 0, 1], options: { seed: 1, trees: 5 } }).predictProbability([1]); return p >= 0 && p <= 1 })()", expect: true },
  ],
  '@perpkit/sim': [
    // open 100, low 95 (5 away) is nearer than high 110 (10 away): open → low → high → close
    { expr: 'm.intrabarPath({ candle: { openTimeMs: 0, open: 100, high: 110, low: 95, close: 105, volume: 1 } })', expect: [100, 95, 110, 105] },
  ],
  '@perpkit/oms': [
    // Binance newClientOrderId allows at most 36 of [.A-Z:/a-z0-9_-], Bybit orderLinkId at most 36: longer or a space is refused
    { expr: "[m.isValidClientOrderId('a'.repeat(36)), m.isValidClientOrderId('a'.repeat(37)), m.isValidClientOrderId('a b')]", expect: [true, false, false] },
    {
      expr: "(() => { const a = { signalId: 'sig-1', direction: 'long', role: 'stop', generation: 1 }; const id = m.deriveClientOrderId(a); return [id === m.deriveClientOrderId({ ...a }), m.isValidClientOrderId(id), id.length <= 36] })()",
      expect: [true, true, true],
    },
  ],
  '@perpkit/exchange': [
    // Binance: -2022 "ReduceOnly Order is rejected" is final; -1021 "Timestamp for this request is outside of the
    // recvWindow" is retryable once the clock offset is re-measured
    { expr: '[m.BINANCE_ERROR_TABLE[-2022].code, m.BINANCE_ERROR_TABLE[-2022].treatment, m.BINANCE_ERROR_TABLE[-1021].treatment]', expect: ['reduce-only-rejected', 'rejected', 'retryable'] },
    // a Binance conditional order cannot be amended (the Algo Order API has no modify call)
    { expr: 'm.BINANCE_USDM_CAPABILITIES.amendConditionalOrder', expect: false },
    // Bybit's rate-limit headers: limit 10 with 9 left is 1 used; the window frees up at the reset timestamp
    {
      expr: "m.readBybitLimits({ status: 200, endpoint: '/v5/order/create', headers: new Headers({ 'X-Bapi-Limit': '10', 'X-Bapi-Limit-Status': '9', 'X-Bapi-Limit-Reset-Timestamp': '1672738134824' }) }).buckets",
      expect: [{ key: '/v5/order/create', used: 1, limit: 10, windowEndMs: 1672738134824, intervalMs: 1000, window: 'rolling' }],
    },
  ],
  '@perpkit/engine': [
    // epoch-seconds timestamps are recognised: 1751628900 s = 2025-07-04 11:35:00 UTC = 1751628900000 ms
    {
      expr: "(() => { const c = m.parseCandleCsv({ text: 'timestamp,open,high,low,close,volume\\n1751628900,1,2,0.5,1.5,10\\n', source: 'smoke.csv' }); return [c.length, c.openTimeMs[0], c.open[0], c.high[0], c.low[0], c.close[0], c.volume[0]] })()",
      expect: [1, 1751628900000, 1, 2, 0.5, 1.5, 10],
    },
  ],
  '@perpkit/venue-server': [
    // Binance's API docs worked example: this secret over this query string signs to c8db5682…6b71
    {
      expr: "m.hmacSha256Hex({ secret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j', payload: 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559' })",
      expect: 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71',
    },
    // a real server on a free 127.0.0.1 port, read over HTTP with global fetch, with a clock fixed at 2025-09-19 00:00 UTC
    // (1758240000000 ms): GET /fapi/v1/time answers { serverTime }; exchangeInfo lists the testnet flavour's default
    // USDT-margined BTC and ETH perpetuals; a wrong signature is HTTP 400 with -1022 and Binance's message
    {
      expr: "(async () => { const clock = { now: () => 1758240000000, setTimer: () => () => {}, sleep: async () => {} }; const s = await m.startVenueServer({ dialect: 'binance-usdm', flavour: 'testnet', port: 0, clock }); try { const time = await (await fetch(`${s.httpUrl}/fapi/v1/time`)).json(); const info = await (await fetch(`${s.httpUrl}/fapi/v1/exchangeInfo`)).json(); const bad = await fetch(`${s.httpUrl}/fapi/v2/balance?timestamp=1758240000000&signature=00`, { headers: { 'X-MBX-APIKEY': m.DEFAULT_API_KEY.apiKey } }); return [s.httpUrl.startsWith('http://127.0.0.1:'), time, info.symbols.map((x) => [x.symbol, x.contractType, x.marginAsset, x.status]), bad.status, await bad.json()] } finally { await s.close() } })()",
      expect: [true, { serverTime: 1758240000000 }, [['BTCUSDT', 'PERPETUAL', 'USDT', 'TRADING'], ['ETHUSDT', 'PERPETUAL', 'USDT', 'TRADING']], 400, { code: -1022, msg: 'Signature for this request is not valid.' }],
    },
    // Bybit v5 GET /v5/market/time: seconds and nanoseconds as strings, milliseconds in `time`
    {
      expr: "(async () => { const clock = { now: () => 1758240000000, setTimer: () => () => {}, sleep: async () => {} }; const s = await m.startVenueServer({ dialect: 'bybit', port: 0, clock }); try { const r = await (await fetch(`${s.httpUrl}/v5/market/time`)).json(); return [r.retCode, r.result, r.time] } finally { await s.close() } })()",
      expect: [0, { timeSecond: '1758240000', timeNano: '1758240000000000000' }, 1758240000000],
    },
  ],
  '@perpkit/report': [
    // the report inlines lightweight-charts' standalone build, the script that defines window.LightweightCharts
    { expr: "[m.REPORT_HTML_FILE, m.lightweightChartsSource().includes('LightweightCharts')]", expect: ['report.html', true] },
  ],
  '@perpkit/store': [
    // the embedded SQLite store (native better-sqlite3 build) round-trips one candle in memory
    {
      expr: "(async () => { const s = await m.openSqliteStore({ path: ':memory:' }); const k = { venue: 'binance', symbol: 'BTC/USDT:USDT', timeframe: '1h' }; await s.putCandles(k, [{ openTimeMs: 0, open: 100, high: 101, low: 99, close: 100.5, volume: 3 }]); const c = await s.getCandles(k); await s.close(); return c })()",
      expect: [{ openTimeMs: 0, open: 100, high: 101, low: 99, close: 100.5, volume: 3 }],
    },
  ],
  '@perpkit/ops': [
    // lock file names escape everything outside [A-Za-z0-9._-] as %XX: '/' is 0x2F, ':' is 0x3A (ASCII)
    { expr: "m.lockFileName({ account: 'main', symbol: 'BTC/USDT:USDT' })", expect: 'perpkit-main-BTC%2FUSDT%3AUSDT.lock' },
    { expr: "[m.formatAlert({ type: 'halt', scope: 'account', reason: 'daily loss limit' }).text, m.formatAlert({ type: 'halt', scope: 'account', reason: 'x' }).severity]", expect: ['HALT account: daily loss limit', 'critical'] },
    // a real /metrics server on a free 127.0.0.1 port; the sample line is the Prometheus text format: name{labels} value
    {
      expr: "(async () => { const x = m.createBotMetrics({ defaultMetrics: false }); x.setEquity({ account: 'main', currency: 'USDT', equity: 1000.5 }); const s = await m.serveMetrics({ registry: x.registry, port: 0 }); try { const r = await fetch(s.url); return [s.url.startsWith('http://127.0.0.1:'), r.status, (await r.text()).split('\\n').filter((l) => l.startsWith('perpkit_equity'))] } finally { await s.close() } })()",
      expect: [true, 200, ['perpkit_equity{account="main",currency="USDT"} 1000.5']],
    },
  ],
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const env = { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' }

function sh(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 })
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.replace(/^npm warn Unknown user config.*\n/gm, '')
  if (r.status !== 0) throw new Error(`\`${cmd} ${args.join(' ')}\` failed in ${cwd} (exit ${r.status ?? r.signal}):\n${out}`)
  return r.stdout ?? ''
}

// `--only=@perpkit/a,@perpkit/b` restricts the import/require checks (all packages are still packed + installed).
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',')
const packages = listPublicPackages()
const active = packages.filter((ws) => hasEntryExports(ws) && (only === undefined || only.includes(ws.pkg.name)))
for (const ws of packages) {
  if (active.includes(ws)) continue
  console.log(`- ${ws.pkg.name}: skipped (${hasEntryExports(ws) ? 'not in --only' : 'src/index.ts exports nothing yet'})`)
}
const missing = active.filter((ws) => SMOKE_CALLS[ws.pkg.name] === undefined)
if (missing.length > 0) {
  console.error(`smoke: no SMOKE_CALLS entry for ${missing.map((w) => w.pkg.name).join(', ')}: add real calls to scripts/smoke.mjs`)
  process.exit(1)
}

const work = realpathSync(mkdtempSync(join(tmpdir(), 'perpkit-smoke-')))
if (!relative(repoRoot, work).startsWith('..')) throw new Error(`scratch dir ${work} is inside the workspace ${repoRoot}`)
let failed = 0
try {
  // 1. pack (every public package, so dependencies between them resolve from the tarballs)
  const tarballs = join(work, 'tarballs')
  sh('mkdir', ['-p', tarballs], work)
  for (const ws of packages) {
    const out = sh(npm, ['pack', '--silent', '--pack-destination', tarballs], ws.path).trim().split('\n').pop()
    console.log(`packed ${ws.pkg.name} → ${out}`)
  }

  // 2. scratch project + install
  const app = join(work, 'app')
  sh('mkdir', ['-p', app], work)
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'perpkit-smoke-app', private: true, version: '0.0.0' }, null, 2))
  const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz')).map((f) => join(tarballs, f))
  console.log(`installing ${files.length} tarball(s) in ${app} ...`)
  sh(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], app)

  // 3. ESM and CJS consumers generated from the table
  const names = active.map((ws) => ws.pkg.name)
  const body = (access) =>
    [
      'const results = []',
      // checks may return a promise (e.g. a server started and read over HTTP): each is awaited in turn
      'const check = async (pkg, expr, fn) => { try { results.push({ pkg, expr, value: await fn() }) } catch (e) { results.push({ pkg, expr, error: String(e && e.stack || e) }) } }',
      ';(async () => {',
      ...names.flatMap((name, i) => [
        `{ const m = ${access(i)}`,
        `  results.push({ pkg: ${JSON.stringify(name)}, keys: Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort() })`,
        ...SMOKE_CALLS[name].map((c) => `  await check(${JSON.stringify(name)}, ${JSON.stringify(c.expr)}, () => ${c.expr})`),
        '}',
      ]),
      'process.stdout.write(JSON.stringify(results))',
      '})().catch((e) => { console.error(e); process.exitCode = 1 })',
    ].join('\n')
  writeFileSync(join(app, 'smoke.mjs'), `${names.map((n, i) => `import * as m${i} from '${n}'`).join('\n')}\n${body((i) => `m${i}`)}\n`)
  writeFileSync(join(app, 'smoke.cjs'), `'use strict'\n${names.map((n, i) => `const m${i} = require('${n}')`).join('\n')}\n${body((i) => `m${i}`)}\n`)
  // Dual-package hazard: an error made by the CJS copy of core must be recognised by the ESM copy (Symbol.for marker).
  writeFileSync(
    join(app, 'dual.mjs'),
    [
      "import { createRequire } from 'node:module'",
      "import * as esm from '@perpkit/core'",
      'const cjs = createRequire(import.meta.url)("@perpkit/core")',
      "const err = new cjs.UnknownOutcomeError('timeout')",
      'process.stdout.write(JSON.stringify({ distinct: esm.PerpkitError !== cjs.PerpkitError, recognised: esm.isPerpkitError(err, "unknown-outcome") }))',
    ].join('\n'),
  )

  const runs = {}
  for (const file of ['smoke.mjs', 'smoke.cjs']) runs[file] = JSON.parse(sh(process.execPath, [file], app))

  const fail = (msg) => {
    failed += 1
    console.error(`  ✗ ${msg}`)
  }
  for (const name of names) {
    console.log(`\n== ${name}`)
    const keys = Object.fromEntries(Object.entries(runs).map(([f, r]) => [f, r.find((x) => x.pkg === name && x.keys)?.keys]))
    if (keys['smoke.mjs'].length === 0) fail('ESM build exports nothing')
    if (!isDeepStrictEqual(keys['smoke.mjs'], keys['smoke.cjs'])) {
      fail(`ESM and CJS export different names:\n      esm only: ${keys['smoke.mjs'].filter((k) => !keys['smoke.cjs'].includes(k))}\n      cjs only: ${keys['smoke.cjs'].filter((k) => !keys['smoke.mjs'].includes(k))}`)
    } else console.log(`  ✓ import and require expose the same ${keys['smoke.mjs'].length} names`)
    for (const c of SMOKE_CALLS[name]) {
      for (const [file, results] of Object.entries(runs)) {
        const r = results.find((x) => x.pkg === name && x.expr === c.expr)
        const how = file.endsWith('.mjs') ? 'import' : 'require'
        if (r === undefined) fail(`${how}: ${c.expr}: no result`)
        else if (r.error !== undefined) fail(`${how}: ${c.expr} threw:\n      ${r.error.split('\n').slice(0, 4).join('\n      ')}`)
        else if (!isDeepStrictEqual(r.value, c.expect)) fail(`${how}: ${c.expr} = ${JSON.stringify(r.value)}, expected ${JSON.stringify(c.expect)}`)
        else console.log(`  ✓ ${how}: ${c.expr} = ${JSON.stringify(r.value)}`)
      }
    }
  }
  if (names.includes('@perpkit/core')) {
    const dual = JSON.parse(sh(process.execPath, ['dual.mjs'], app))
    if (dual.distinct && dual.recognised) console.log('\n  ✓ core error from the CJS copy is recognised by the ESM copy (Symbol.for marker)')
    else fail(`dual-package check: ${JSON.stringify(dual)}`)
  }
} finally {
  if (process.env.SMOKE_KEEP === '1') console.log(`kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}

if (failed > 0) {
  console.error(`\nsmoke: ${failed} check(s) FAILED`)
  process.exit(1)
}
console.log(`\nsmoke: ${active.length} package(s) installed from tarballs, imported (ESM) and required (CJS) outside the workspace`)
