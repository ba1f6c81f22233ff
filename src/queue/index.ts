export { submitBatch, readFileList, type SubmitOptions, type SubmitSummary } from './submit.js';
export { startWorker, isPermanent, type WorkerOptions, type QueueWorker } from './worker.js';
export { batchStatus, type BatchStatus } from './status.js';
export { batchResults } from './results.js';
export { resultRecord, type ResultRecord } from './record.js';
export { DEFAULT_REDIS_URL, type QueueConnectionOptions } from './connection.js';
