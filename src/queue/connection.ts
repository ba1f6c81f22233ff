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
  const queue = new Queue(checkBatchName(batch), { connection: { url: redisUrlOf(opts) }, prefix: KEY_PREFIX });
  await waitReady(queue.waitUntilReady(), redisUrlOf(opts));
  return queue;
}

/** Turns "cannot connect" into E_QUEUE-style usage advice instead of an ioredis retry loop. */
export async function waitReady<T>(ready: Promise<T>, url: string, timeoutMs = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EmovoxError('E_USAGE', `cannot reach Redis at ${url} within ${timeoutMs / 1000} s: start redis-server, or give --redis URL (or REDIS_URL)`)), timeoutMs);
  });
  try {
    return await Promise.race([ready, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
