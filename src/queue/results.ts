import type { Job } from 'bullmq';
import { openBatch, type QueueConnectionOptions } from './connection.js';
import type { FileJobData } from './job.js';
import { resultRecord, type ResultRecord } from './record.js';
import { parseReason } from './worker.js';

const PAGE = 500;

/**
 * A batch's finished jobs as `predict --json` records: first the results, then the typed
 * failures, each oldest first. Each job is stored once, so each file appears once; jobs
 * still waiting or running are not included (see `batchStatus`).
 * @example
 * for await (const r of batchResults('calls-2026-11')) console.log(JSON.stringify(r));
 */
export async function* batchResults(batch: string, opts: QueueConnectionOptions = {}): AsyncGenerator<ResultRecord> {
  const queue = await openBatch(batch, opts);
  try {
    for (const state of ['completed', 'failed'] as const) {
      // Pages in finishing order: jobs that finish meanwhile are appended after the last page, not shifted into it.
      for (let start = 0; ; start += PAGE) {
        const jobs = (await queue.getJobs([state], start, start + PAGE - 1, true)) as (Job<FileJobData, ResultRecord> | undefined)[];
        for (const job of jobs) {
          if (!job) continue; // removed between the range read and the fetch
          yield state === 'completed' ? job.returnvalue : resultRecord(job.data.file, { error: parseReason(job.failedReason) });
        }
        if (jobs.length < PAGE) break;
      }
    }
  } finally {
    await queue.close();
  }
}
