import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { listMediaFiles } from '../audio/files.js';
import { EmovoxError, toEmovoxError } from '../errors.js';
import { DEFAULT_MAX_DURATION_SEC, DEFAULT_MODEL_DIR } from '../pipeline.js';
import { mapConcurrent } from '../util/concurrency.js';
import { openBatch, type QueueConnectionOptions } from './connection.js';
import { contentHash, jobId, modelId, type FileJobData } from './job.js';

export interface SubmitOptions extends QueueConnectionOptions {
  /** A model bundle folder that every worker can read at the same path (default: the shipped model). */
  model?: string;
  /** Files above this many seconds fail permanently with E_TOO_LONG (default 600, as in predict). */
  maxDurationSec?: number;
  /** Tries per job for transient failures (ffmpeg crashed, out of memory, file not visible); default 3. */
  attempts?: number;
  /** First retry after this many ms, doubling each time (default 2000). */
  backoffMs?: number;
  /** Called as each file has been hashed, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

export interface SubmitSummary {
  /** Every file found, as an absolute path. */
  files: number;
  /** New jobs: files not already in the batch with these settings. */
  added: number;
  /** Files whose job was already in the batch (a resubmission): not queued again. */
  existing: number;
  /** Files with the same bytes as an earlier file of this submission: one job serves both. */
  duplicates: { file: string; sameAs: string }[];
  /** Inputs that could not be listed or read; nothing was queued for them. */
  problems: { file: string; error: EmovoxError }[];
}

/** Jobs stay in Redis after they finish: their return value is the result that `batchResults` reads. */
const KEEP = { removeOnComplete: false, removeOnFail: false } as const;

/**
 * Enqueues one job per audio/video file into a named batch. Each job id is the file's
 * content hash plus the settings, so submitting the same files again adds nothing.
 * @example
 * const s = await submitBatch('calls-2026-11', ['/mnt/share/calls/'], { redisUrl: 'redis://10.0.0.5:6379' });
 * console.log(`${s.added} queued, ${s.existing} already there`);
 */
export async function submitBatch(batch: string, inputs: string[], opts: SubmitOptions = {}): Promise<SubmitSummary> {
  const maxDurationSec = opts.maxDurationSec ?? DEFAULT_MAX_DURATION_SEC;
  if (!(maxDurationSec > 0)) throw new EmovoxError('E_USAGE', `maxDurationSec must be a positive number of seconds, got ${maxDurationSec}`);
  const attempts = opts.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) throw new EmovoxError('E_USAGE', `attempts must be a whole number ≥ 1, got ${attempts}`);
  const model = opts.model === undefined ? null : resolve(opts.model);
  const settings = { model, modelId: await modelId(model ?? DEFAULT_MODEL_DIR), maxDurationSec };

  const summary: SubmitSummary = { files: 0, added: 0, existing: 0, duplicates: [], problems: [] };
  const files: string[] = [];
  for (const input of inputs) {
    try {
      files.push(...(await listMediaFiles([input])).map((f) => resolve(f)));
    } catch (e) {
      summary.problems.push({ file: input, error: toEmovoxError(e, 'E_NOT_FOUND', input) });
    }
  }
  summary.files = files.length;

  const ids = new Array<string | undefined>(files.length);
  let hashed = 0;
  for await (const { index, value } of mapConcurrent(files, 8, (f) => contentHash(f).then((h) => h, (e: unknown) => toEmovoxError(e, 'E_NOT_FOUND', f)))) {
    if (value instanceof EmovoxError) summary.problems.push({ file: files[index], error: value });
    else ids[index] = jobId(value, settings);
    opts.onProgress?.(++hashed, files.length);
  }

  const firstWithId = new Map<string, string>();
  const jobs: { name: string; data: FileJobData; opts: object }[] = [];
  files.forEach((file, i) => {
    const id = ids[i];
    if (id === undefined) return;
    const sameAs = firstWithId.get(id);
    if (sameAs !== undefined) return void summary.duplicates.push({ file, sameAs });
    firstWithId.set(id, file);
    jobs.push({ name: 'predict', data: { file, ...settings }, opts: { jobId: id, attempts, backoff: { type: 'exponential', delay: opts.backoffMs ?? 2000 }, ...KEEP } });
  });

  const queue = await openBatch(batch, opts);
  try {
    // An id already in the queue (waiting, done or failed) is left as it is: BullMQ's own dedup.
    const before = await totalJobs(queue);
    for (let i = 0; i < jobs.length; i += 1000) await queue.addBulk(jobs.slice(i, i + 1000));
    summary.added = (await totalJobs(queue)) - before;
    summary.existing = jobs.length - summary.added;
  } finally {
    await queue.close();
  }
  return summary;
}

/** Every job a batch holds in any state; finished jobs are kept, so this only grows. */
async function totalJobs(queue: import('bullmq').Queue): Promise<number> {
  const counts = await queue.getJobCounts();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/**
 * The paths in a list file: one per line; blank lines and lines starting with '#' are skipped.
 * Relative paths are relative to the list's folder.
 * @example
 * await readFileList('todo.txt'); // ['/data/a.wav', '/data/b.mp3']
 */
export async function readFileList(listFile: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(listFile, 'utf8');
  } catch (e) {
    throw new EmovoxError('E_NOT_FOUND', `cannot read the list ${listFile}: check the path`, { file: listFile, cause: e });
  }
  const base = resolve(listFile, '..');
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => resolve(base, l));
}
