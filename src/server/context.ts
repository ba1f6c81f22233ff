import type { EmotionRecognizer } from '../pipeline.js';
import type { ServerMetrics } from './metrics.js';
import type { ResolvedServerOptions } from './options.js';
import type { WorkPool } from './pool.js';
import type { AdmissionQueue } from './queue.js';

/** What every route shares: the options, the recogniser (labels, card, head), the pool, the queue, the metrics. */
export interface ServerContext {
  options: ResolvedServerOptions;
  recognizer: EmotionRecognizer;
  pool: WorkPool;
  queue: AdmissionQueue;
  metrics: ServerMetrics;
  /** Set once shutdown has begun: live sessions end, new work is refused. */
  closing: boolean;
  /** The open live sessions; `finish` ends one's audio and waits for its last segments. */
  live: Set<{ finish(): Promise<void> }>;
}
