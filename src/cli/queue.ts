import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { EmovoxError } from '../errors.js';
import { batchResults } from '../queue/results.js';
import { batchStatus, type BatchStatus } from '../queue/status.js';
import { readFileList, submitBatch } from '../queue/submit.js';
import { integer } from './data-options.js';
import { EXIT_SOME_FAILED, printJsonLine, warn } from './output.js';
import { createProgress } from './progress.js';

const REDIS_HELP = 'Redis URL, e.g. redis://10.0.0.5:6379 (default: $REDIS_URL, else redis://127.0.0.1:6379)';

export function register(program: Command): void {
  const queue = program.command('queue').description('Distributed batch prediction on BullMQ and Redis: add files to a named batch, watch it, read its results. Workers (`emovox worker`) on any machine that sees the files do the work.');

  queue
    .command('add')
    .description('Enqueue one job per audio/video file into a batch. A job is the file\'s content and the settings, so adding the same files again adds nothing.')
    .argument('[inputs...]', 'files, or folders searched recursively')
    .requiredOption('--batch <name>', 'the batch (letters, digits, _ . -)')
    .option('--list <file>', 'also read paths from this file, one per line (# comments; relative to the list\'s folder)')
    .option('--model <dir>', 'model bundle folder, at the same path on every worker (default: the shipped model)')
    .option('--max-duration <sec>', 'files longer than this fail with E_TOO_LONG', '600')
    .option('--attempts <n>', 'tries per job for transient failures (ffmpeg crash, out of memory, file not visible on a worker)', '3')
    .option('--backoff <ms>', 'first retry after this long, doubling each time', '2000')
    .option('--redis <url>', REDIS_HELP)
    .option('--json', 'print the summary as one JSON object')
    .action(async (inputs: string[], opts: { batch: string; list?: string; model?: string; maxDuration: string; attempts: string; backoff: string; redis?: string; json?: boolean }) => {
      const all = [...inputs, ...(opts.list ? await readFileList(opts.list) : [])];
      if (all.length === 0) throw new EmovoxError('E_USAGE', 'give files or folders to add, or --list FILE');
      let progress: ReturnType<typeof createProgress> | undefined;
      const s = await submitBatch(opts.batch, all, {
        model: opts.model,
        maxDurationSec: Number(opts.maxDuration),
        attempts: integer(opts.attempts, '--attempts', 1),
        backoffMs: integer(opts.backoff, '--backoff', 0),
        redisUrl: opts.redis,
        onProgress: (done, total) => {
          progress ??= createProgress(total, 'hashing', { quiet: opts.json });
          progress.tick();
          if (done === total) progress.stop();
        },
      });
      for (const p of s.problems) warn(`${p.file}: ${p.error.code}: ${p.error.message}`);
      for (const d of s.duplicates) warn(`${d.file}: same bytes as ${d.sameAs}, one job for both`);
      if (opts.json) printJsonLine({ batch: opts.batch, files: s.files, added: s.added, existing: s.existing, duplicates: s.duplicates.length, problems: s.problems.map((p) => ({ file: p.file, error: p.error.toJSON() })) });
      else process.stdout.write(`batch ${opts.batch}: ${s.files} files, ${s.added} queued, ${s.existing} already in the batch, ${s.duplicates.length} duplicates, ${s.problems.length} unreadable\n`);
      if (s.problems.length > 0) process.exitCode = EXIT_SOME_FAILED;
    });

  queue
    .command('status')
    .description('Jobs of a batch by state (waiting, active, retrying, done, failed) and the recent throughput; a progress bar on a terminal.')
    .argument('<batch>', 'the batch name')
    .option('--watch', 'refresh every second until nothing is left to do')
    .option('--redis <url>', REDIS_HELP)
    .option('--json', 'print one JSON object')
    .action(async (batch: string, opts: { watch?: boolean; redis?: string; json?: boolean }) => {
      for (;;) {
        const s = await batchStatus(batch, { redisUrl: opts.redis });
        const left = s.waiting + s.active + s.retrying;
        if (opts.json) printJsonLine(s);
        else if (process.stdout.isTTY) process.stdout.write(`\r${statusBar(s)}\x1b[K${!opts.watch || left === 0 ? '\n' : ''}`);
        else process.stdout.write(`${statusLine(s)}\n`);
        if (!opts.watch || left === 0) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
    });

  queue
    .command('results')
    .description('The finished jobs of a batch as JSON Lines, the same records as `predict --json`: results first, then typed failures. Each file appears once.')
    .argument('<batch>', 'the batch name')
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--redis <url>', REDIS_HELP)
    .action(async (batch: string, opts: { out?: string; redis?: string }) => {
      const out = opts.out ? createWriteStream(opts.out) : process.stdout;
      let done = 0;
      let failed = 0;
      for await (const record of batchResults(batch, { redisUrl: opts.redis })) {
        if ('error' in record) failed++;
        else done++;
        if (!out.write(JSON.stringify(record) + '\n')) await once(out, 'drain');
      }
      if (opts.out) {
        (out as ReturnType<typeof createWriteStream>).end();
        await finished(out);
        warn(`${done} results and ${failed} failures written to ${opts.out}`);
      }
    });
}

function statusLine(s: BatchStatus): string {
  const rate = s.filesPerSec === null ? '' : `, ${s.filesPerSec.toFixed(1)} files/s`;
  const eta = s.etaSec === null || s.waiting + s.active + s.retrying === 0 ? '' : `, ETA ${formatSeconds(s.etaSec)}`;
  return `${s.batch}: ${s.total} jobs: ${s.waiting} waiting, ${s.active} active, ${s.retrying} retrying, ${s.done} done, ${s.failed} failed${rate}${eta}`;
}

function statusBar(s: BatchStatus): string {
  const width = 30;
  const finished = s.total === 0 ? 0 : (s.done + s.failed) / s.total;
  const filled = Math.round(finished * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(100 * finished).toFixed(0)}% ${statusLine(s)}`;
}

function formatSeconds(sec: number): string {
  if (sec < 90) return `${Math.round(sec)} s`;
  if (sec < 5400) return `${Math.round(sec / 60)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}
