import { resolve } from 'node:path';
import type { Job } from 'bullmq';
import { EmovoxError, type ErrorCode } from '../errors.js';
import { DEFAULT_MODEL_DIR, EmotionRecognizer } from '../pipeline.js';
import { checkBatchName, KEY_PREFIX, loadBullmq, openBatch, redisUrlOf, type QueueConnectionOptions } from './connection.js';
import { modelId, type FileJobData } from './job.js';
import { resultRecord, type ResultRecord } from './record.js';
import { pendingJobs } from './status.js';

export interface WorkerOptions extends QueueConnectionOptions {
  /** Jobs in flight in this process (default 1). Features run on this process's thread, so one process per core is what scales; 2 overlaps reading and decoding with the network. */
  concurrency?: number;
  /** A model to load before the first job (default: the shipped one); jobs name their own model and it is loaded once. */
  model?: string;
  /**
   * How long a job's lock lasts without renewal (default 30 000 ms). A worker that dies
   * (SIGKILL, power loss) holds its job this long; then another worker's stalled-job check
   * puts it back in the queue. The lock is renewed every half of it while the job runs.
   */
  lockDurationMs?: number;
  /** Close by itself once the batch has nothing waiting, delayed or active (default: keep waiting for work). */
  untilDrained?: boolean;
  /** Called when this worker takes a job. */
  onActive?: (job: { job: string; file: string }) => void;
  /** Called after each attempt, with the stored record or the error of this attempt (`final` false: it will be retried). */
  onJob?: (event: { job: string; record: ResultRecord; final: boolean; attempt: number }) => void;
}

export interface QueueWorker {
  /** Takes no new job, lets the ones in flight finish and store their result, then disconnects. */
  close(): Promise<void>;
  /** Settles when the worker has closed (after `close()`, or by itself with `untilDrained`). */
  readonly closed: Promise<void>;
}

/**
 * Typed input errors are the file's fault: retrying gives the same answer, so the job fails at
 * once (BullMQ's UnrecoverableError). The rest may pass on another try or another machine:
 * ffmpeg crashing or timing out under load (E_FFMPEG), a share not mounted on this worker
 * (E_NOT_FOUND), out of memory and other unexpected errors.
 */
const PERMANENT = new Set<ErrorCode>(['E_DECODE', 'E_EMPTY_AUDIO', 'E_TOO_LONG', 'E_TOO_SHORT', 'E_NOT_REGULAR', 'E_LINK_LOOP', 'E_NO_ACCESS', 'E_UNSUPPORTED', 'E_BAD_FILENAME', 'E_USAGE', 'E_MODEL']);

/** True when retrying the job cannot help. */
export function isPermanent(error: unknown): boolean {
  return error instanceof EmovoxError && PERMANENT.has(error.code);
}

/**
 * A worker process's loop: takes jobs of one batch from Redis, classifies each file with the
 * model loaded once, and stores the `predict --json` record as the job's result.
 * @example
 * const worker = await startWorker('calls-2026-11', { concurrency: 2, redisUrl: process.env.REDIS_URL });
 * process.once('SIGTERM', () => void worker.close());
 * await worker.closed;
 */
export async function startWorker(batch: string, opts: WorkerOptions = {}): Promise<QueueWorker> {
  const { Queue, Worker, UnrecoverableError } = await loadBullmq();
  const url = redisUrlOf(opts);
  const concurrency = opts.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new EmovoxError('E_USAGE', `concurrency must be a whole number ≥ 1, got ${concurrency}`);
  const lockDuration = opts.lockDurationMs ?? 30_000;
  // Fail at once with advice when Redis is not there; once running, the worker reconnects for ever.
  await (await openBatch(batch, opts)).close();
  const models = new ModelCache();
  await models.preload(opts.model === undefined ? DEFAULT_MODEL_DIR : resolve(opts.model));

  const process = async (job: Job<FileJobData, ResultRecord>): Promise<ResultRecord> => {
    const { file, maxDurationSec } = job.data;
    try {
      const recognizer = await models.get(job.data);
      return resultRecord(file, { predictions: await recognizer.classify(file, { maxDurationSec }) });
    } catch (e) {
      const error = e instanceof EmovoxError ? e : new EmovoxError('E_INTERNAL', e instanceof Error ? `${e.name}: ${e.message}` : String(e), { cause: e });
      // failedReason is a string: the typed error travels in it as JSON, read back by batchResults.
      const reason = JSON.stringify({ code: error.code, message: error.message });
      throw isPermanent(error) ? new UnrecoverableError(reason) : new Error(reason);
    }
  };

  const worker = new Worker<FileJobData, ResultRecord>(checkBatchName(batch), process, {
    connection: { url, maxRetriesPerRequest: null },
    prefix: KEY_PREFIX,
    concurrency,
    lockDuration,
    stalledInterval: lockDuration,
    // One stall is a dead worker; a second may be a Redis restart. A third means the file itself kills workers.
    maxStalledCount: 2,
  });
  // Without a listener an 'error' (Redis gone for a moment) would end the process; BullMQ reconnects by itself.
  worker.on('error', (e) => void globalThis.process.stderr.write(`emovox worker: ${e.message}\n`));
  worker.on('active', (job) => opts.onActive?.({ job: String(job.id), file: job.data.file }));
  worker.on('completed', (job, record) => opts.onJob?.({ job: String(job.id), record, final: true, attempt: job.attemptsMade }));
  worker.on('failed', (job, e) => {
    if (!job) return;
    const final = e instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    opts.onJob?.({ job: String(job.id), record: resultRecord(job.data.file, { error: parseReason(e.message) }), final, attempt: job.attemptsMade });
  });
  await worker.waitUntilReady();
  // A separate handle for counting what is left, only when the worker is to stop at the end.
  const counter = opts.untilDrained ? new Queue(batch, { connection: { url }, prefix: KEY_PREFIX }) : undefined;
  counter?.on('error', () => {}); // the worker already reports connection trouble

  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      clearInterval(poll);
      await worker.close();
      await counter?.close();
      resolveClosed();
    })();
    return closing;
  };
  const poll = setInterval(() => {
    if (!counter) return;
    pendingJobs(counter).then(
      (n) => n === 0 && void close(),
      () => {}, // Redis unreachable for now: keep working, check again later
    );
  }, 1000);
  return { close, closed };
}

/** The typed error a failed job carries in its failedReason (see `startWorker`). */
export function parseReason(reason: string | undefined): { code: string; message: string } {
  try {
    const parsed = JSON.parse(reason ?? '') as { code?: unknown; message?: unknown };
    if (typeof parsed.code === 'string' && typeof parsed.message === 'string') return { code: parsed.code, message: parsed.message };
  } catch {
    // not ours: BullMQ's own reason, e.g. "job stalled more than allowable limit"
  }
  return { code: 'E_INTERNAL', message: reason ?? 'the job failed without a reason' };
}

/** Each model a worker is asked for is loaded once, and checked to be the one the job was submitted with. */
class ModelCache {
  private readonly loaded = new Map<string, Promise<EmotionRecognizer>>();

  /**
   * Loads a model and runs it once on a second of tone: the first call initialises onnxruntime
   * and tfjs, blocking the event loop for seconds, and done inside a job it would outlast a
   * short job lock (the lock is renewed from the event loop).
   */
  async preload(dir: string): Promise<void> {
    const id = await modelId(dir);
    const recognizer = EmotionRecognizer.load(dir);
    this.loaded.set(`${id} ${dir}`, recognizer);
    const tone = new Float32Array(16000).map((_, i) => 0.1 * Math.sin((2 * Math.PI * 220 * i) / 16000));
    await (await recognizer).classify({ samples: tone, sampleRate: 16000 });
  }

  async get(job: FileJobData): Promise<EmotionRecognizer> {
    const dir = job.model ?? DEFAULT_MODEL_DIR;
    const key = `${job.modelId} ${dir}`;
    let recognizer = this.loaded.get(key);
    if (!recognizer) {
      recognizer = modelId(dir).then((id) => {
        if (id !== job.modelId) throw new EmovoxError('E_MODEL', `the model in ${dir} on this worker (${id}) is not the one the batch was submitted with (${job.modelId}): give every machine the same bundle`);
        return EmotionRecognizer.load(dir);
      });
      recognizer.catch(() => this.loaded.delete(key));
      this.loaded.set(key, recognizer);
    }
    return recognizer;
  }
}
