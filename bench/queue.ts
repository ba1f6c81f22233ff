/**
 * Distributed batch work on a real redis-server: throughput with 1, 2 and 4 worker
 * processes, CPU per job in a worker against plain `predict`, and Redis memory per
 * 10,000 jobs (queued, and finished with their stored results). Prints a Markdown section.
 *   node --import tsx bench/queue.ts [files]      (default 60 files of Actor_09)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { PACKAGE_ROOT } from '../src/paths.js';
import { submitBatch } from '../src/queue/submit.js';
import { actorFiles } from '../test/helpers.js';
import { redisMissing, startRedis } from '../test/e2e/queue-redis.js';
import { machine, timeCommand } from './util.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');
const N = Number(process.argv[2] ?? 60);
const files = [...actorFiles(9), ...actorFiles(10)].slice(0, N);

const missing = redisMissing();
if (missing) {
  console.error(missing);
  process.exit(1);
}

interface Timed {
  wall: number;
  cpu: number;
}

/** One `emovox worker --until-drained` under GNU time: its wall and CPU seconds. */
function timedWorker(batch: string, url: string): Promise<Timed> {
  const child = spawn('/usr/bin/time', ['-f', 'EMOVOX_TIME %e %U %S', process.execPath, BIN, 'worker', '--batch', batch, '--redis', url, '--until-drained'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', () => {
      const line = err.split('\n').find((l) => l.startsWith('EMOVOX_TIME'));
      if (!line) return reject(new Error(`no timing: ${err.slice(-500)}`));
      const [, e, u, s] = line.split(' ').map(Number);
      resolve({ wall: e, cpu: u + s });
    }),
  );
}

async function usedMemory(): Promise<number> {
  const info = await admin.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

const dir = await mkdtemp(join(tmpdir(), 'emovox-bench-queue-'));
// No persistence: the figures are of the queue, not of the disk.
const redis = await startRedis(dir);
const admin = new Redis(redis.url);
await admin.config('SET', 'appendonly', 'no');
const rows: string[] = [];
try {
  const runs: { workers: number; filesPerSec: number; wall: number; cpuPerJobMs: number }[] = [];
  let memPerFinishedJob = 0;
  let eventBytes = 0;
  for (const workers of [1, 2, 4]) {
    const batch = `bench-${workers}`;
    const queue = new Queue(batch, { connection: { url: redis.url }, prefix: 'emovox' });
    await submitBatch(batch, files, { redisUrl: redis.url });
    const start = Date.now();
    const timed = await Promise.all(Array.from({ length: workers }, () => timedWorker(batch, redis.url)));
    const wall = (Date.now() - start) / 1000;
    const done = await queue.getJobs(['completed'], 0, -1);
    if (done.length !== files.length) throw new Error(`${done.length} of ${files.length} done`);
    // Throughput from Redis' own timestamps: first job taken to last job finished, without process start-up.
    const first = Math.min(...done.map((j) => j.processedOn!));
    const last = Math.max(...done.map((j) => j.finishedOn!));
    runs.push({ workers, filesPerSec: files.length / ((last - first) / 1000), wall, cpuPerJobMs: (1000 * timed.reduce((a, t) => a + t.cpu, 0)) / files.length });
    if (workers === 1) {
      // A finished job is its hash (data, options, result) plus its entry in the completed set; the
      // event stream is capped by BullMQ (10,000 events by default) and measured apart.
      const sizes = await Promise.all(done.map((j) => admin.memory('USAGE', `emovox:${batch}:${j.id!}`)));
      memPerFinishedJob = sizes.reduce((a: number, b) => a + Number(b), 0) / sizes.length;
      const events = `emovox:${batch}:events`;
      eventBytes = Number(await admin.memory('USAGE', events)) / Number(await admin.xlen(events));
    }
    await queue.close();
  }

  // CPU per file of plain predict and of a worker, net of process start-up (a run on one file).
  const predictCpu = (list: string[]) => timeCommand(process.execPath, [BIN, 'predict', '--json', '--workers', '1', ...list]).cpu;
  const predictPerFile = (predictCpu(files) - predictCpu(files.slice(0, 1))) / (files.length - 1);
  await submitBatch('bench-one', files.slice(0, 1), { redisUrl: redis.url });
  const workerOne = await timedWorker('bench-one', redis.url);
  const workerPerJob = (runs[0].cpuPerJobMs * files.length) / 1000 - workerOne.cpu;
  const workerPerFile = workerPerJob / (files.length - 1);

  // 10,000 queued jobs of the real shape (path, settings, id, options) in an empty batch.
  const queue = new Queue('bench-memory', { connection: { url: redis.url }, prefix: 'emovox' });
  const before = await usedMemory();
  const data = { file: files[0], model: null, modelId: '0123456789abcdef', maxDurationSec: 600 };
  for (let i = 0; i < 10_000; i += 1000) {
    await queue.addBulk(Array.from({ length: 1000 }, (_, k) => ({ name: 'predict', data, opts: { jobId: `${(i + k).toString(16).padStart(40, '0')}-0123456789ab`, attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: false, removeOnFail: false } })));
  }
  const queuedMb = ((await usedMemory()) - before) / 2 ** 20;
  await queue.close();

  rows.push(`## queue: distributed batch on BullMQ (${machine()}, redis-server ${redisVersion()})`);
  rows.push(`command: \`node --import tsx bench/queue.ts ${N}\` (${files.length} files of ravdess-speech-16k Actor_09–10; each worker a separate \`emovox worker --until-drained\` process, one run each)`);
  rows.push('| worker processes | files/s (Redis timestamps, first job taken → last finished) | wall s incl. start-up | CPU ms per job, all processes |');
  rows.push('|---|---|---|---|');
  for (const r of runs) rows.push(`| ${r.workers} | ${r.filesPerSec.toFixed(1)} | ${r.wall.toFixed(1)} | ${r.cpuPerJobMs.toFixed(0)} |`);
  rows.push('');
  rows.push('| measure | value |');
  rows.push('|---|---|');
  rows.push(`| CPU per file, \`predict --workers 1\`, net of start-up | ${(1000 * predictPerFile).toFixed(0)} ms |`);
  rows.push(`| CPU per job, one worker, net of start-up | ${(1000 * workerPerFile).toFixed(0)} ms (overhead ${(1000 * (workerPerFile - predictPerFile)).toFixed(0)} ms per job) |`);
  rows.push(`| worker start-up (model load and warm-up, one-job batch) | ${workerOne.cpu.toFixed(1)} s CPU |`);
  rows.push(`| Redis memory per 10,000 queued jobs | ${queuedMb.toFixed(1)} MiB |`);
  rows.push(`| Redis memory per 10,000 finished jobs with their results (mean MEMORY USAGE of the job hashes × 10,000) | ${((memPerFinishedJob * 10_000) / 2 ** 20).toFixed(1)} MiB |`);
  rows.push(`| the batch's event stream, at BullMQ's cap of 10,000 events | ${((eventBytes * 10_000) / 2 ** 20).toFixed(1)} MiB |`);
} finally {
  await admin.quit();
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
}
console.log(rows.join('\n'));

function redisVersion(): string {
  return /v=(\S+)/.exec(spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? '?';
}
