/**
 * Self-contained HTML report: lightweight-charts (inlined) candles with trade markers, equity and drawdown
 * charts, and a metrics table. Opens offline, from a file:// URL.
 * @module
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { PerpkitError } from '@perpkit/core'
import { drawdownOf, type Metrics, type RunResult } from '@perpkit/engine'

let cachedLib: string | undefined

/**
 * The lightweight-charts standalone production build (the script that defines `window.LightweightCharts`).
 *
 * @returns the script source.
 * @throws PerpkitError `internal` when the `lightweight-charts` package cannot be found.
 * @example
 * ```ts
 * import { lightweightChartsSource } from '@perpkit/report'
 * const js = lightweightChartsSource()
 * ```
 */
export function lightweightChartsSource(): string {
  if (cachedLib !== undefined) return cachedLib
  try {
    const req = createRequire(import.meta.url)
    const pkg = req.resolve('lightweight-charts/package.json')
    cachedLib = readFileSync(join(dirname(pkg), 'dist', 'lightweight-charts.standalone.production.js'), 'utf8')
    return cachedLib
  } catch (cause) {
    throw new PerpkitError('internal', 'lightweight-charts is not installed (a dependency of @perpkit/report)', { cause })
  }
}

function fmt(v: number | null, kind: 'pct' | 'num' | 'ratio' | 'int' | 'dur'): string {
  if (v === null || !Number.isFinite(v)) return '—'
  switch (kind) {
    case 'pct':
      return `${(v * 100).toFixed(2)} %`
    case 'int':
      return String(Math.round(v))
    case 'ratio':
      return v.toFixed(3)
    case 'dur': {
      const h = v / 3_600_000
      return h >= 48 ? `${(h / 24).toFixed(1)} d` : `${h.toFixed(1)} h`
    }
    default:
      return v.toLocaleString('en-US', { maximumFractionDigits: 4 })
  }
}

/**
 * Metrics as labelled, formatted rows (used by the HTML report and the CLI summary table).
 *
 * @param m - the metrics.
 * @returns `[label, formatted value]` rows.
 * @example
 * ```ts
 * import { metricRows } from '@perpkit/report'
 * import type { RunResult } from '@perpkit/engine'
 * declare const result: RunResult // from runBacktest()
 * for (const [k, v] of metricRows(result.metrics)) console.log(k, v)
 * ```
 */
export function metricRows(m: Metrics): [string, string][] {
  return [
    ['Initial equity', fmt(m.initialEquity, 'num')],
    ['Final equity', fmt(m.finalEquity, 'num')],
    ['Total return', fmt(m.totalReturn, 'pct')],
    ['CAGR', fmt(m.cagr, 'pct')],
    ['Max drawdown', fmt(m.maxDrawdown, 'pct')],
    ['Max drawdown duration', fmt(m.maxDrawdownDurationMs, 'dur')],
    ['Sharpe (daily, √365)', fmt(m.sharpe, 'ratio')],
    ['Sortino', fmt(m.sortino, 'ratio')],
    ['Calmar', fmt(m.calmar, 'ratio')],
    ['Trades', fmt(m.trades, 'int')],
    ['Win rate', fmt(m.winRate, 'pct')],
    ['Profit factor', fmt(m.profitFactor, 'ratio')],
    ['Expectancy / trade', fmt(m.expectancy, 'num')],
    ['Exposure', fmt(m.exposure, 'pct')],
    ['Fees', fmt(m.fees, 'num')],
    ['Funding', fmt(m.funding, 'num')],
    ['Slippage', fmt(m.slippage, 'num')],
    ['Liquidations', fmt(m.liquidations, 'int')],
    ['HALT periods', fmt(m.haltPeriods, 'int')],
    ['Time halted', fmt(m.haltTimeMs, 'dur')],
  ]
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/**
 * Render a run as one self-contained HTML page. The page exposes `window.__perpkitReport` =
 * `{ ready, charts, series: { candles, markers, equity, drawdown } }` once the charts are drawn (for tests).
 *
 * @param args - `{ result, title? }`.
 * @returns the HTML text.
 * @throws PerpkitError `internal` when lightweight-charts is missing.
 * @example
 * ```ts
 * import { renderHtmlReport } from '@perpkit/report'
 * import type { RunResult } from '@perpkit/engine'
 * import { writeFileSync } from 'node:fs'
 * declare const result: RunResult // from runBacktest()
 * writeFileSync('report.html', renderHtmlReport({ result }))
 * ```
 */
export function renderHtmlReport(args: { readonly result: RunResult; readonly title?: string }): string {
  const { result } = args
  const sec = (ms: number): number => Math.floor(ms / 1000)
  const dd = drawdownOf(result.curve).drawdown
  const bars = result.bars
  const candles = bars === undefined ? [] : bars.openTimeMs.map((t, i) => [sec(t), bars.open[i], bars.high[i], bars.low[i], bars.close[i]])
  const markers: [number, string, number, string][] = []
  for (const t of result.trades) {
    const long = t.side === 'long'
    markers.push([sec(t.entryTimeMs), long ? 'b' : 's', t.entryPrice, `${long ? 'Buy' : 'Sell'} ${t.qty} @ ${t.entryPrice}`])
    if (!t.openAtEnd) markers.push([sec(t.exitTimeMs), long ? 's' : 'b', t.exitPrice, `Exit ${t.exitReason} @ ${t.exitPrice} (${t.netPnl.toFixed(2)})`])
  }
  markers.sort((a, b) => a[0] - b[0])
  // de-duplicate equal timestamps (lightweight-charts wants strictly increasing line data)
  const eq: [number, number, number][] = []
  result.curve.timestampMs.forEach((t, i) => {
    const s = sec(t)
    const row: [number, number, number] = [s, result.curve.equity[i] as number, -((dd[i] ?? 0) * 100)]
    if (eq.length > 0 && (eq[eq.length - 1] as [number, number, number])[0] === s) eq[eq.length - 1] = row
    else eq.push(row)
  })
  const data = { candles, markers, equity: eq }
  const json = JSON.stringify(data).replace(/</g, '\\u003c')
  const m = result.metrics
  const meta = result.meta
  const title = args.title ?? `perpkit ${meta.mode} — ${meta.strategy.id} on ${meta.symbol} ${meta.timeframe}`
  const rows = metricRows(m)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('')
  const tradeRows = result.trades
    .slice(-200)
    .map(
      (t) =>
        `<tr><td>${t.id}</td><td>${t.side}</td><td>${t.qty}</td><td>${new Date(t.entryTimeMs).toISOString().slice(0, 16).replace('T', ' ')}</td><td>${t.entryPrice}</td><td>${new Date(t.exitTimeMs).toISOString().slice(0, 16).replace('T', ' ')}</td><td>${t.exitPrice}</td><td>${t.fees.toFixed(4)}</td><td>${t.funding.toFixed(4)}</td><td class="${t.netPnl >= 0 ? 'pos' : 'neg'}">${t.netPnl.toFixed(4)}</td><td>${esc(t.exitReason)}</td><td title="${esc(t.entryDecision?.signature ?? '')}">${esc((t.entryDecision?.signature ?? '').slice(0, 12))}</td></tr>`,
    )
    .join('')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;padding:16px 24px;background:#fff;color:#1d2330}
h1{font-size:20px;margin:0 0 4px} .sub{color:#5b6475;font-size:13px;margin-bottom:16px}
.grid{display:grid;grid-template-columns:minmax(0,1fr) 320px;gap:20px}
.chart{height:420px;border:1px solid #e3e6ec;margin-bottom:12px} .small{height:200px}
h2{font-size:15px;margin:12px 0 6px} table{border-collapse:collapse;font-size:13px;width:100%}
th,td{padding:4px 8px;border-bottom:1px solid #eef0f4;text-align:right} th{text-align:left;font-weight:500;color:#444}
.pos{color:#0a8f4a}.neg{color:#c62828} .trades td,.trades th{text-align:right} .wrap{overflow:auto;max-height:420px}
</style></head><body>
<h1>${esc(title)}</h1>
<div class="sub">${esc(meta.venue)} · settle ${esc(meta.settle)} · ${meta.bars} bars from ${esc(meta.dataSource)} · ${new Date(m.startMs).toISOString().slice(0, 16)} → ${new Date(m.endMs).toISOString().slice(0, 16)} UTC · parameters ${esc(JSON.stringify(meta.strategy.parameters))}</div>
<div class="grid"><div>
<h2>Price and trades</h2><div id="c-price" class="chart"></div>
<h2>Equity</h2><div id="c-equity" class="chart small"></div>
<h2>Drawdown (%)</h2><div id="c-dd" class="chart small"></div>
</div><div><h2>Metrics</h2><table id="metrics">${rows}</table></div></div>
<h2>Trades (last ${Math.min(200, result.trades.length)} of ${result.trades.length})</h2>
<div class="wrap"><table class="trades"><tr><th>#</th><th>side</th><th>qty</th><th>entry</th><th>price</th><th>exit</th><th>price</th><th>fees</th><th>funding</th><th>net PnL</th><th>reason</th><th>decision sig</th></tr>${tradeRows}</table></div>
<script type="application/json" id="perpkit-data">${json}</script>
<script>${lightweightChartsSource()}</script>
<script>
(function () {
  var LC = window.LightweightCharts;
  var d = JSON.parse(document.getElementById('perpkit-data').textContent);
  var opts = function (el) { return { width: el.clientWidth, height: el.clientHeight, layout: { background: { color: '#ffffff' }, textColor: '#333' },
    grid: { vertLines: { color: '#f0f2f5' }, horzLines: { color: '#f0f2f5' } }, timeScale: { timeVisible: true, secondsVisible: false, minBarSpacing: 0.0005 } }; };
  var charts = [];
  var el1 = document.getElementById('c-price'), el2 = document.getElementById('c-equity'), el3 = document.getElementById('c-dd');
  var c1 = LC.createChart(el1, opts(el1)); charts.push(c1);
  var candles = c1.addSeries(LC.CandlestickSeries, { upColor: '#26a69a', downColor: '#ef5350', borderVisible: false, wickUpColor: '#26a69a', wickDownColor: '#ef5350' });
  candles.setData(d.candles.map(function (r) { return { time: r[0], open: r[1], high: r[2], low: r[3], close: r[4] }; }));
  var mk = d.markers.map(function (m) { return m[1] === 'b'
    ? { time: m[0], position: 'belowBar', color: '#1565c0', shape: 'arrowUp', text: '' }
    : { time: m[0], position: 'aboveBar', color: '#e65100', shape: 'arrowDown', text: '' }; });
  var markerApi = LC.createSeriesMarkers(candles, mk);
  var c2 = LC.createChart(el2, opts(el2)); charts.push(c2);
  var eqs = c2.addSeries(LC.AreaSeries, { lineColor: '#1565c0', topColor: 'rgba(21,101,192,0.3)', bottomColor: 'rgba(21,101,192,0.02)', lineWidth: 2 });
  eqs.setData(d.equity.map(function (r) { return { time: r[0], value: r[1] }; }));
  var c3 = LC.createChart(el3, opts(el3)); charts.push(c3);
  var dds = c3.addSeries(LC.AreaSeries, { lineColor: '#c62828', topColor: 'rgba(198,40,40,0.02)', bottomColor: 'rgba(198,40,40,0.35)', lineWidth: 1 });
  dds.setData(d.equity.map(function (r) { return { time: r[0], value: r[2] }; }));
  charts.forEach(function (c) { c.timeScale().fitContent(); });
  window.addEventListener('resize', function () { [el1, el2, el3].forEach(function (el, i) { charts[i].applyOptions({ width: el.clientWidth }); }); });
  window.__perpkitReport = { ready: true, charts: charts.length,
    series: { candles: candles.data().length, markers: markerApi.markers().length, equity: eqs.data().length, drawdown: dds.data().length } };
})();
</script>
</body></html>
`
}
