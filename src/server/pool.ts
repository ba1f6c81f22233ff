import Tinypool from 'tinypool';
import { EmovoxError } from '../errors.js';
import { HttpError } from './errors.js';
import type { WorkReply, WorkTask } from './work-task.js';

/**
 * Worker threads (tinypool) that do the decoding and features, so that the event loop
 * stays free: health checks and metrics answer while every core is busy. Each thread
 * loads the model once and keeps it.
 */
export class WorkPool {
  private readonly pool: Tinypool;

  constructor(threads: number) {
    // idleTimeout: threads (and their loaded models) stay up between requests.
    this.pool = new Tinypool({ filename: workerUrl(), minThreads: threads, maxThreads: threads, idleTimeout: 0 });
  }

  /** Runs one task; a reply carrying an error is thrown as the EmovoxError it was; `signal` ends it. */
  async run<R extends WorkReply>(task: WorkTask, signal?: AbortSignal): Promise<Exclude<R, { error: unknown }>> {
    let reply: WorkReply;
    try {
      reply = await this.pool.run(task, { signal });
    } catch (e) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new HttpError('E_TIMEOUT', 'the request timed out');
      throw e;
    }
    if ('error' in reply) throw new EmovoxError(reply.error.code, reply.error.message);
    return reply as Exclude<R, { error: unknown }>;
  }

  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}

/** The worker module next to this one: built, worker.js; from source, a shim that loads worker.ts through tsx. */
function workerUrl(): string {
  return new URL(import.meta.url.endsWith('.ts') ? './worker-from-source.mjs' : './worker.js', import.meta.url).href;
}
