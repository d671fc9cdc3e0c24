/** One sample of the Prometheus text exposition format (version 0.0.4). */
export interface Sample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

/**
 * Parse the Prometheus text format written from its specification (comment lines `# HELP` / `# TYPE`, then
 * `name{label="value",...} value`), independent of prom-client, so the tests read what a scraper reads.
 */
export function parsePromText(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = []
  const types = new Map<string, string>()
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    const type = /^# TYPE (\S+) (\S+)$/.exec(line)
    if (type?.[1] !== undefined && type[2] !== undefined) types.set(type[1], type[2])
    if (line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/.exec(line)
    if (m === null) throw new Error(`not a Prometheus sample line: ${line}`)
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] ?? ''] = (l[2] ?? '').replace(/\\(.)/g, '$1')
    const raw = m[3] ?? ''
    samples.push({ name: m[1] ?? '', labels, value: raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw) })
  }
  return { samples, types }
}
