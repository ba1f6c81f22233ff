import { EmovoxError } from '../errors.js';

/** Where Redis is when neither `--redis` nor REDIS_URL says: the default port on this machine. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** BullMQ keys go under this prefix, so emovox batches never collide with other queues on the same Redis. */
export const KEY_PREFIX = 'emovox';

export interface QueueConnectionOptions {
  /** redis://[user:password@]host:port[/db] or rediss:// for TLS (default: $REDIS_URL, else redis://127.0.0.1:6379). */
  redisUrl?: string;
}

/** The Redis URL from the option, else REDIS_URL, else the local default; a malformed one is E_USAGE. */
export function redisUrlOf(opts: QueueConnectionOptions = {}): string {
  const url = opts.redisUrl ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EmovoxError('E_USAGE', `"${url}" is not a Redis URL: give redis://host:port (or set REDIS_URL)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new EmovoxError('E_USAGE', `"${url}" is not a Redis URL: it must start with redis:// or rediss://`);
  return url;
}

/** A batch name is a BullMQ queue name: Redis keys are built from it, so ':' and spaces are refused. */
export function checkBatchName(batch: string): string {
  if (!/^[\w.-]{1,100}$/.test(batch)) throw new EmovoxError('E_USAGE', `batch name "${batch}" must be 1–100 letters, digits, '_', '.' or '-'`);
  return batch;
}

// bullmq (and ioredis under it) are imported only here, on first use, so that nothing else in emovox needs Redis.
export type Bullmq = typeof import('bullmq');
let bullmq: Promise<Bullmq> | undefined;
export function loadBullmq(): Promise<Bullmq> {
  bullmq ??= import('bullmq');
  return bullmq;
}

/**
 * A BullMQ Queue handle on one batch; close it when done.
 * @example
 * const queue = await openBatch('calls-2026-11', { redisUrl: 'redis://10.0.0.5:6379' });
 * console.log(await queue.getJobCounts());
 * await queue.close();
 */
export async function openBatch(batch: string, opts: QueueConnectionOptions = {}): Promise<import('bullmq').Queue> {
  const { Queue } = await loadBullmq();
  const url = redisUrlOf(opts);
  // A command (add, status, results) gives up after about 7 s of refused connections instead of
  // ioredis' default of retrying for ever; BullMQ then rejects waitUntilReady and the handle can close.
  const queue = new Queue(checkBatchName(batch), { connection: { url, retryStrategy: (times: number) => (times > 5 ? null : Math.min(500 * times, 2000)) }, prefix: KEY_PREFIX });
  try {
    await waitReady(queue, url);
  } catch (e) {
    await queue.close().catch(() => {});
    throw e;
  }
  // Later connection errors surface as failed commands; without a listener BullMQ would print each one.
  queue.on('error', () => {});
  return queue;
}

/**
 * Waits for the first connection, and turns "cannot connect" into advice at once instead of
 * ioredis' endless reconnecting. Later errors (Redis restarting) are the caller's to report.
 */
export async function waitReady(client: { waitUntilReady(): Promise<unknown>; on(event: 'error', listener: (e: Error) => void): unknown; off(event: 'error', listener: (e: Error) => void): unknown }, url: string, timeoutMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onError: ((e: Error) => void) | undefined;
  const advice = (why: string): EmovoxError => new EmovoxError('E_USAGE', `cannot reach Redis at ${url} (${why}): start redis-server there, or give --redis URL (or REDIS_URL)`);
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(advice(`no answer in ${timeoutMs / 1000} s`)), timeoutMs);
    onError = (e) => reject(advice(e.message || (e as NodeJS.ErrnoException).code || String(e)));
    client.on('error', onError);
  });
  try {
    await Promise.race([client.waitUntilReady(), failed]);
  } finally {
    clearTimeout(timer);
    client.off('error', onError!);
  }
}
