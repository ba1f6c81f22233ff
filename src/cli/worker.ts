import type { Command } from 'commander';
import { startWorker } from '../queue/worker.js';
import { integer } from './data-options.js';
import { printJsonLine, warn } from './output.js';

interface WorkerFlags {
  batch: string;
  concurrency: string;
  model?: string;
  lockDuration: string;
  untilDrained?: boolean;
  redis?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('Take jobs of a batch from Redis and predict them, on any machine that sees the files at the paths they were added with. The model loads once. SIGTERM or Ctrl-C: finish the jobs in flight, then exit; a worker killed outright loses nothing, its job is redone after --lock-duration.')
    .requiredOption('--batch <name>', 'the batch to work on')
    .option('--concurrency <n>', 'jobs in flight in this process; features use one core per process, so run one process per core', '1')
    .option('--model <dir>', 'load this model before the first job (default: the shipped one); each job names its own')
    .option('--lock-duration <ms>', 'how long a job stays locked by a worker that stopped answering before another worker takes it', '30000')
    .option('--until-drained', 'exit once the batch has nothing waiting, retrying or active')
    .option('--redis <url>', 'Redis URL, e.g. redis://10.0.0.5:6379 (default: $REDIS_URL, else redis://127.0.0.1:6379)')
    .option('--json', 'print one JSON object per event on stdout: {"event": "active"|"done"|"retry"|"failed", "job", "file", …}')
    .action(async (opts: WorkerFlags) => {
      let done = 0;
      let failed = 0;
      const worker = await startWorker(opts.batch, {
        concurrency: integer(opts.concurrency, '--concurrency', 1),
        model: opts.model,
        lockDurationMs: integer(opts.lockDuration, '--lock-duration', 1000),
        untilDrained: opts.untilDrained,
        redisUrl: opts.redis,
        onActive: (job) => opts.json && printJsonLine({ event: 'active', ...job }),
        onJob: ({ job, record, final, attempt }) => {
          const event = 'predictions' in record ? 'done' : final ? 'failed' : 'retry';
          if (event === 'done') done++;
          if (event === 'failed') failed++;
          if (opts.json) printJsonLine({ event, job, attempt, ...record });
          else if ('error' in record) warn(`${record.file}: ${record.error.code}: ${record.error.message}${final ? '' : ` (attempt ${attempt}, will retry)`}`);
        },
      });
      warn(`emovox worker ${process.pid}: batch ${opts.batch}, ${opts.concurrency} at a time; SIGTERM or Ctrl-C to stop after the jobs in flight`);
      const stop = (signal: string): void => {
        warn(`emovox worker ${process.pid}: ${signal}: finishing the jobs in flight`);
        void worker.close();
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
      await worker.closed;
      warn(`emovox worker ${process.pid}: stopped after ${done} results and ${failed} failures`);
    });
}
