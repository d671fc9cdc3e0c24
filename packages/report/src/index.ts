/**
 * `@perpkit/report`: a run's self-contained HTML report (lightweight-charts inlined: candles with trade markers,
 * equity and drawdown, the metrics table), kept out of `@perpkit/engine` so library users of the engine do not
 * carry the charting library.
 * @module
 */
export { lightweightChartsSource, metricRows, renderHtmlReport } from './html.js'
export { REPORT_HTML_FILE, writeHtmlReport } from './write.js'
