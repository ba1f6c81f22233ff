import { availableParallelism } from 'node:os';
import { DEFAULT_MAX_DURATION_SEC, DEFAULT_MODEL_DIR } from '../pipeline.js';
import { TIMELINE_DEFAULTS } from '../timeline/index.js';
import { EmovoxError } from '../errors.js';

export interface ServerOptions {
  /** Model bundle folder (default: the shipped model). */
  modelDir?: string;
  /** Largest upload in bytes (413 E_TOO_LARGE above it). */
  maxUploadBytes?: number;
  /** Longest audio in seconds (413 E_TOO_LONG above it). */
  maxDurationSec?: number;
  /** Worker threads doing the CPU-bound work (decoding, features). */
  workers?: number;
  /** Classifications running at once; more wait in the queue. */
  concurrency?: number;
  /** Requests waiting beyond those running; more are refused (503 E_QUEUE_FULL). */
  maxQueue?: number;
  /** Time from admission to the answer, body upload included (408/503 E_TIMEOUT past it). */
  requestTimeoutMs?: number;
  /** Live WebSocket sessions at once, and the longest one (wall time). */
  maxLiveSessions?: number;
  liveSessionSec?: number;
  /** The default `uncertain` threshold on the best score, as `predict --uncertain-below`. */
  uncertainBelow?: number;
  /** Log requests (pino) to standard output. */
  logger?: boolean;
}

export type ResolvedServerOptions = Required<ServerOptions>;

/** The defaults, chosen for one laptop-class machine; every one is a flag of `emovox serve`. */
export function resolveServerOptions(o: ServerOptions = {}): ResolvedServerOptions {
  const workers = o.workers ?? Math.max(1, availableParallelism());
  const r: ResolvedServerOptions = {
    modelDir: o.modelDir ?? DEFAULT_MODEL_DIR,
    // 10 minutes of 16-bit 44.1 kHz mono WAV is 53 MB; compressed formats are far smaller.
    maxUploadBytes: o.maxUploadBytes ?? 64 * 1024 * 1024,
    maxDurationSec: o.maxDurationSec ?? DEFAULT_MAX_DURATION_SEC,
    workers,
    concurrency: o.concurrency ?? workers,
    // The queue bounds memory: each waiting request holds its upload.
    maxQueue: o.maxQueue ?? 8 * workers,
    requestTimeoutMs: o.requestTimeoutMs ?? 120_000,
    maxLiveSessions: o.maxLiveSessions ?? 4,
    liveSessionSec: o.liveSessionSec ?? 600,
    uncertainBelow: o.uncertainBelow ?? TIMELINE_DEFAULTS.uncertainBelow,
    logger: o.logger ?? false,
  };
  const positive = (name: keyof ServerOptions, min = 1): void => {
    const v = r[name] as number;
    if (!(Number.isFinite(v) && v >= min)) throw new EmovoxError('E_USAGE', `server option ${name} must be a number of at least ${min}, got ${String(v)}`);
  };
  (['maxUploadBytes', 'workers', 'concurrency', 'requestTimeoutMs', 'maxLiveSessions', 'liveSessionSec'] as const).forEach((n) => positive(n));
  positive('maxQueue', 0);
  if (!(r.maxDurationSec > 0)) throw new EmovoxError('E_USAGE', `server option maxDurationSec must be above 0, got ${r.maxDurationSec}`);
  if (!(r.uncertainBelow >= 0 && r.uncertainBelow <= 1)) throw new EmovoxError('E_USAGE', `server option uncertainBelow must be between 0 and 1, got ${r.uncertainBelow}`);
  return r;
}
