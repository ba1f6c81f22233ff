import type { Queue } from 'bullmq';
import { openBatch, type QueueConnectionOptions } from './connection.js';

export interface BatchStatus {
  batch: string;
  /** Jobs in the batch, in any state. */
  total: number;
  /** Not started yet (includes prioritized jobs). */
  waiting: number;
  /** Held by a worker now. */
  active: number;
  /** Waiting for a retry after a transient failure. */
  retrying: number;
  /** Finished with a result. */
  done: number;
  /** Finished with a typed error (permanent, or transient on every attempt). */
  failed: number;
  /** Files per second over the most recent results (up to 200), or null before two have finished. */
  filesPerSec: number | null;
  /** Seconds until done at that rate, or null when unknown. */
  etaSec: number | null;
}

/** How many results the throughput is measured over: recent enough to follow a change in workers. */
const RATE_WINDOW = 200;

/**
 * Counts of a batch's jobs by state, and its throughput over the latest results.
 * @example
 * const s = await batchStatus('calls-2026-11');
 * console.log(`${s.done + s.failed}/${s.total} finished, ${s.filesPerSec?.toFixed(1)} files/s`);
 */
export async function batchStatus(batch: string, opts: QueueConnectionOptions = {}): Promise<BatchStatus> {
  const queue = await openBatch(batch, opts);
  try {
    return await statusOf(queue);
  } finally {
    await queue.close();
  }
}

/** `batchStatus` on an open queue handle. */
export async function statusOf(queue: Queue): Promise<BatchStatus> {
  const c = await queue.getJobCounts('waiting', 'prioritized', 'waiting-children', 'active', 'delayed', 'completed', 'failed');
  const waiting = c.waiting + c.prioritized + c['waiting-children'];
  const status: BatchStatus = { batch: queue.name, total: 0, waiting, active: c.active, retrying: c.delayed, done: c.completed, failed: c.failed, filesPerSec: null, etaSec: null };
  status.total = status.waiting + status.active + status.retrying + status.done + status.failed;
  // The completed set is ordered by finishing time: its newest entries give the current rate.
  const recent = await queue.getJobs(['completed'], 0, RATE_WINDOW - 1, false);
  const finished = recent.map((j) => j.finishedOn).filter((t): t is number => t !== undefined);
  if (finished.length >= 2) {
    const spanSec = (Math.max(...finished) - Math.min(...finished)) / 1000;
    if (spanSec > 0) {
      status.filesPerSec = (finished.length - 1) / spanSec;
      status.etaSec = (status.waiting + status.active + status.retrying) / status.filesPerSec;
    }
  }
  return status;
}

/** Jobs not finished yet: waiting, active or waiting for a retry. */
export async function pendingJobs(queue: Queue): Promise<number> {
  const c = await queue.getJobCounts('waiting', 'prioritized', 'waiting-children', 'active', 'delayed');
  return Object.values(c).reduce((a, b) => a + b, 0);
}
