/**
 * A plain terminal table (no colours, no dependencies).
 * @module
 */

/**
 * Format rows as an aligned two-or-more-column table with a title line.
 *
 * @param args - `{ title, rows }`.
 * @returns text with a trailing newline.
 */
export function formatTable(args: { readonly title: string; readonly rows: readonly (readonly string[])[] }): string {
  const widths: number[] = []
  for (const r of args.rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)))
  const total = widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1) + 4
  const line = `+${'-'.repeat(Math.max(total - 2, args.title.length + 2))}+`
  const out = [line, `| ${args.title.padEnd(line.length - 4)} |`, line]
  for (const r of args.rows) {
    const cells = r.map((c, i) => (i > 0 && /^[-+]?[\d,.]+( %| [hd])?$|^—$/.test(c) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
    out.push(`| ${cells.join(' | ').padEnd(line.length - 4)} |`)
  }
  out.push(line)
  return `${out.join('\n')}\n`
}
