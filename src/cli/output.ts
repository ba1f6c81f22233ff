/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_SOME_FAILED = 1;
export const EXIT_USAGE = 2;
/** An internal error: a bug to report, not a bad input (sysexits.h EX_SOFTWARE). */
export const EXIT_INTERNAL = 70;

let stdoutGone = false;

/**
 * A closed stdout (EPIPE: the reader, e.g. `head -1`, has all it wanted) ends the command
 * quietly with the exit code so far, like any Unix filter that is cut short. Output stops
 * at once; a command that loops over results checks `stdoutClosed()` and stops there, so
 * its worker threads are ended cleanly (exiting on the spot, with onnxruntime running in
 * a worker, aborts the process).
 *
 * @example
 * endOnClosedPipe(); // once, at start-up
 */
export function endOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') {
      stdoutGone = true;
      return;
    }
    reportUnexpected(e);
  });
}

/** True once the reader of stdout has gone away: there is no one left to print for. */
export function stdoutClosed(): boolean {
  return stdoutGone;
}

/** Reports what no command caught as one line (code and message, no stack trace), and exits. */
export function reportUnexpected(e: unknown): void {
  const err = e as { code?: string; message?: string };
  if (err?.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  const what = err?.message ?? String(e);
  try {
    process.stderr.write(`emovox: internal error${err?.code ? ` (${err.code})` : ''}: ${what.split('\n')[0]}\nPlease report it with the command line; EMOVOX_DEBUG=1 prints the stack.\n`);
    if (process.env.EMOVOX_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
  } finally {
    process.exit(EXIT_INTERNAL);
  }
}

/** One JSON value per line on stdout (JSON Lines), for `--json` modes. */
export function printJsonLine(value: unknown): void {
  if (stdoutGone) return;
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
