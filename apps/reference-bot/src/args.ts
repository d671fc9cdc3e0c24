/**
 * Command-line argument parsing for the `perpkit` CLI.
 * @module
 */

/** Parsed command line. */
export interface Args {
  readonly command: string
  readonly positional: readonly string[]
  readonly flags: Readonly<Record<string, string | true>>
}

/** Parse `argv` (without node and script). */
export function parseArgs(argv: readonly string[]): Args {
  const positional: string[] = []
  const flags: Record<string, string | true> = {}
  let command = ''
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1)
      else {
        const next = argv[i + 1]
        const boolean = ['replay', 'no-progress', 'help', 'quiet'].includes(a.slice(2))
        if (!boolean && next !== undefined && !next.startsWith('--')) {
          flags[a.slice(2)] = next
          i++
        } else flags[a.slice(2)] = true
      }
    } else if (command === '') command = a
    else positional.push(a)
  }
  return { command, positional, flags }
}
