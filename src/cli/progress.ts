import cliProgress from 'cli-progress';

export interface Progress {
  tick(label?: string): void;
  stop(): void;
}

const silent: Progress = { tick() {}, stop() {} };

/**
 * A progress bar with count and ETA on a terminal (stderr); silent when stderr is not
 * a TTY, or when the caller asked for JSON, so pipes and logs stay clean.
 */
export function createProgress(total: number, title: string, opts: { quiet?: boolean } = {}): Progress {
  if (opts.quiet || !process.stderr.isTTY || total <= 1) return silent;
  const bar = new cliProgress.SingleBar(
    {
      format: `${title} [{bar}] {value}/{total} | {percentage}% | ETA {eta_formatted} | {label}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    tick(label = '') {
      bar.increment(1, { label });
    },
    stop() {
      bar.stop();
    },
  };
}
