import { HttpError } from './errors.js';

/** A request's place in the server: it may upload, then run its CPU work when a slot frees. */
export interface Ticket {
  /** Runs `work` when one of the `concurrency` slots is free (arrival order); `signal` gives up waiting. */
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Leaves the server; idempotent. */
  release(): void;
}

/**
 * A bounded queue in front of the CPU-bound work. At most `concurrency` requests run and
 * at most `maxQueue` more are admitted (uploading, or waiting for a slot); the next is
 * refused at once with 503 and Retry-After, so that memory (each admitted request holds
 * its upload) and waiting time stay bounded. A slow uploader holds a place in the queue,
 * not a CPU slot.
 * @example
 * const q = new AdmissionQueue(2, 8);
 * const ticket = q.admit(); try { await ticket.run(() => work()); } finally { ticket.release(); }
 */
export class AdmissionQueue {
  private admitted = 0;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxQueue: number,
    private readonly onChange: (running: number, queued: number) => void = () => {},
  ) {}

  /** Requests admitted but not running: uploading, or waiting for a slot. */
  get depth(): number {
    return this.admitted - this.running;
  }

  get inFlight(): number {
    return this.running;
  }

  admit(): Ticket {
    if (this.admitted >= this.concurrency + this.maxQueue) {
      const retry = Math.max(1, Math.ceil(this.depth / this.concurrency));
      throw new HttpError('E_QUEUE_FULL', `the server is busy: ${this.running} requests running and ${this.depth} queued; retry after ${retry} s`, 503, { 'retry-after': String(retry) });
    }
    this.admitted++;
    this.changed();
    let released = false;
    return {
      run: (work, signal) => this.runInSlot(work, signal),
      release: () => {
        if (released) return;
        released = true;
        this.admitted--;
        this.changed();
      },
    };
  }

  private async runInSlot<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.running < this.concurrency) this.running++;
    else {
      // A finishing request hands its slot straight to the first waiting one, so none can jump the queue.
      await new Promise<void>((resolve, reject) => {
        const grant = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = (): void => {
          const i = this.waiting.indexOf(grant);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(grant);
      });
    }
    this.changed();
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
      this.changed();
    }
  }

  private changed(): void {
    this.onChange(this.running, this.depth);
  }
}
