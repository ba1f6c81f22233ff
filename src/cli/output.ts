/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_SOME_FAILED = 1;
export const EXIT_USAGE = 2;

/** One JSON value per line on stdout (JSON Lines), for `--json` modes. */
export function printJsonLine(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** Human output goes to stdout; diagnostics to stderr so `--json` stdout stays parseable. */
export function warn(message: string): void {
  process.stderr.write(message + '\n');
}

/** The command line as a user could paste it back into a POSIX shell. */
export function commandLine(argv: string[] = process.argv.slice(2)): string {
  return ['emovox', ...argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))].join(' ');
}
