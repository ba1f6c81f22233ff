// Distributed batch work against a real redis-server: workers killed, stopped and Redis crashed mid-batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Queue } from 'bullmq';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { encodeWav16, ffmpegPath } from '../../src/audio/index.js';
import { actorFiles } from '../helpers.js';
import { redisMissing, startRedis, type RedisServer } from './queue-redis.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');
const emovox = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
const missing = redisMissing();
if (missing) console.log(`# queue tests skipped: ${missing}`);

interface WorkerEvent {
  event: 'active' | 'done' | 'retry' | 'failed';
  job: string;
  file: string;
  error?: { code: string };
}

/** A `emovox worker --json` process and the events it has printed so far. */
class WorkerProcess {
  readonly events: WorkerEvent[] = [];
  readonly child: ChildProcess;
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
  stderr = '';
  private waiters: (() => void)[] = [];

  constructor(batch: string, redisUrl: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [BIN, 'worker', '--batch', batch, '--redis', redisUrl, '--json', '--until-drained', '--lock-duration', '5000', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    this.exited = once(this.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.events.push(JSON.parse(line) as WorkerEvent);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  count(event: WorkerEvent['event']): number {
    return this.events.filter((e) => e.event === event).length;
  }

  /** Resolves once `ready()` holds after some event, checked as each line arrives. */
  async until(ready: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (this.child.exitCode !== null) throw new Error(`worker exited before ${what}:\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs / 1000} s:\n${this.stderr}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 500);
      });
    }
  }

  /** The job it holds now, when its last event is taking one. */
  inFlight(): string | undefined {
    const last = this.events.at(-1);
    return last?.event === 'active' ? last.job : undefined;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

type Json = { file: string; predictions?: { label: string; score: number }[]; error?: { code: string; message: string } };
const jsonLines = (text: string): Json[] =>
  text
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Json);

test('three workers share a batch; one SIGKILLed and one SIGTERMed mid-job, Redis killed and restarted: one result per file, equal to predict --json', { skip: missing, timeout: 240_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emovox-queue-'));
  let redis: RedisServer | undefined;
  const workers: WorkerProcess[] = [];
  try {
    // 180 real recordings (actors 2–4) and five bad files among them.
    const good = [2, 3, 4].flatMap((a) => actorFiles(a));
    const bad = join(dir, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'text.wav'), 'this is not audio, just text renamed to .wav\n');
    await writeFile(join(bad, 'empty.wav'), '');
    await writeFile(join(bad, 'silent.wav'), encodeWav16([new Float32Array(16000)], 16000));
    await writeFile(join(bad, 'truncated.flac'), (await readFile(good[0])).subarray(0, 600));
    await writeFile(join(bad, 'long.wav'), encodeWav16([new Float32Array(16000 * 11).map((_, i) => 0.1 * Math.sin(i / 10))], 16000));
    const badCodes: Record<string, [string]> = {
      [join(bad, 'text.wav')]: ['E_DECODE'],
      [join(bad, 'empty.wav')]: ['E_EMPTY_AUDIO'],
      [join(bad, 'silent.wav')]: ['E_EMPTY_AUDIO'],
      [join(bad, 'truncated.flac')]: ['E_DECODE'], // the FLAC header and no frame: STREAMINFO announces 3.5 s, so it is truncated
      [join(bad, 'long.wav')]: ['E_TOO_LONG'],
    };
    const list = join(dir, 'list.txt');
    await writeFile(list, `# the recordings\n${good.join('\n')}\n`);

    const redisDir = join(dir, 'redis');
    await mkdir(redisDir);
    redis = await startRedis(redisDir, { fsync: 'always' });
    const url = redis.url;
    // --max-duration 10: every RAVDESS clip is under 6 s; long.wav (11 s) must fail permanently.
    const add = emovox(['queue', 'add', bad, '--list', list, '--batch', 'b1', '--max-duration', '10', '--redis', url, '--json']);
    assert.equal(add.status, 0, add.stderr);
    assert.deepEqual(JSON.parse(add.stdout), { batch: 'b1', files: 185, added: 185, existing: 0, duplicates: 0, problems: [] });

    const [a, b, c] = [0, 1, 2].map(() => new WorkerProcess('b1', url));
    workers.push(a, b, c);

    // SIGKILL: the job it holds stays locked until the lock (5 s) runs out, then another worker takes it.
    await a.until(() => a.count('done') >= 5 && a.inFlight() !== undefined, 'A with a job in flight after 5 results');
    const killedJob = a.inFlight()!;
    a.kill('SIGKILL');
    await a.exited;
    const queue = new Queue('b1', { connection: { url }, prefix: 'emovox' });
    queue.on('error', () => {}); // Redis is killed below on purpose
    try {
      assert.equal(await (await queue.getJob(killedJob))!.getState(), 'active', 'the killed worker held its job');
      // A replacement comes up, as a supervisor would start one.
      const d = new WorkerProcess('b1', url);
      workers.push(d);

      // SIGTERM: the job in flight is finished and stored, then the process exits by itself with 0.
      await b.until(() => b.count('done') >= 10 && b.inFlight() !== undefined, 'B with a job in flight after 10 results');
      const termJob = b.inFlight()!;
      b.kill('SIGTERM');
      const [code] = await b.exited;
      assert.equal(code, 0, b.stderr);
      assert.ok(b.events.some((e) => e.job === termJob && e.event === 'done'), 'B finished its job in flight before exiting');
      const unfinished = b.events.filter((e) => e.event === 'active' && !b.events.some((f) => f.job === e.job && f.event !== 'active'));
      assert.deepEqual(unfinished, [], `B left no job unfinished; its last events: ${JSON.stringify(b.events.slice(-4).map((e) => [e.event, e.job.slice(0, 8)]))}; stderr: ${b.stderr}`);

      // Redis killed outright and restarted on its append-only file: no result it acknowledged is lost.
      await c.until(() => c.count('done') >= 30, 'C with 30 results');
      const before = (await queue.getJobs(['completed', 'failed'], 0, -1)).map((j) => j.id!).sort();
      assert.ok(before.length >= 45 && before.length < 185, `${before.length} jobs finished before the Redis crash`);
      await redis.stop('SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      redis = await startRedis(redisDir, { port: redis.port, fsync: 'always' });
      const after = new Set((await queue.getJobs(['completed', 'failed'], 0, -1)).map((j) => j.id!));
      assert.deepEqual(before.filter((id) => !after.has(id)), [], 'results acknowledged before the crash are still there');

      // The survivors drain the batch and exit by themselves.
      for (const w of [c, d]) {
        const [exitCode] = await w.exited;
        assert.equal(exitCode, 0, w.stderr);
      }
      const killed = (await queue.getJob(killedJob))!;
      assert.equal(await killed.getState(), 'completed', 'the job of the SIGKILLed worker was redone');
      assert.ok(killed.stalledCounter >= 1, 'it came back through stalled-job recovery');
    } finally {
      await queue.close();
    }

    const status = JSON.parse(emovox(['queue', 'status', 'b1', '--redis', url, '--json']).stdout) as Record<string, unknown>;
    assert.deepEqual({ ...status, filesPerSec: undefined, etaSec: undefined }, { batch: 'b1', total: 185, waiting: 0, active: 0, retrying: 0, done: 180, failed: 5, filesPerSec: undefined, etaSec: undefined });

    const out = join(dir, 'results.jsonl');
    assert.equal(emovox(['queue', 'results', 'b1', '--redis', url, '--out', out]).status, 0);
    const records = jsonLines(await readFile(out, 'utf8'));
    const files = records.map((r) => r.file);
    assert.equal(new Set(files).size, files.length, 'no file twice');
    assert.deepEqual(records.filter((r) => r.predictions).map((r) => r.file).sort(), [...good].sort(), 'one result per good file');
    const failures = Object.fromEntries(records.filter((r) => r.error).map((r) => [r.file, r.error!.code]));
    assert.deepEqual(failures, Object.fromEntries(Object.entries(badCodes).map(([f, [code]]) => [f, code])), 'one typed failure per bad file');
    // Permanent failures are not retried: no worker printed a retry for them.
    assert.deepEqual(workers.flatMap((w) => w.events.filter((e) => e.event === 'retry')), []);

    // Each result is what `predict --json` prints for that file (a sixth of them, and every bad file).
    const sample = [...good.filter((_, i) => i % 6 === 0), ...Object.keys(badCodes)];
    const predicted = jsonLines(emovox(['predict', '--json', '--workers', '1', '--max-duration', '10', ...sample]).stdout);
    const stored = new Map(records.map((r) => [r.file, r]));
    assert.equal(predicted.length, sample.length);
    for (const p of predicted) assert.deepEqual(stored.get(p.file), p, p.file);

    // Submitting the same batch again adds nothing.
    const again = emovox(['queue', 'add', bad, '--list', list, '--batch', 'b1', '--max-duration', '10', '--redis', url, '--json']);
    assert.deepEqual(JSON.parse(again.stdout), { batch: 'b1', files: 185, added: 0, existing: 185, duplicates: 0, problems: [] });
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('an ffmpeg that crashes is retried with backoff; one that always crashes ends in one E_FFMPEG failure', { skip: missing, timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emovox-queue-ffmpeg-'));
  let redis: RedisServer | undefined;
  let worker: WorkerProcess | undefined;
  try {
    const [source, other] = actorFiles(5).slice(0, 2);
    const once = join(dir, 'crash-once.mp3');
    const always = join(dir, 'crash-always.ogg');
    assert.equal(spawnSync(ffmpegPath(), ['-v', 'error', '-i', source, '-y', once]).status, 0);
    assert.equal(spawnSync(ffmpegPath(), ['-v', 'error', '-i', other, '-y', always]).status, 0);
    // A real ffmpeg, behind a wrapper that kills it with SIGSEGV: on its first call for crash-once, on every call for crash-always.
    const wrapper = join(dir, 'ffmpeg');
    await writeFile(
      wrapper,
      `#!/bin/sh\ncase "$*" in\n  *crash-always*) kill -SEGV $$ ;;\n  *crash-once*) if [ ! -e "${dir}/crashed" ]; then : > "${dir}/crashed"; kill -SEGV $$; fi ;;\nesac\nexec "${ffmpegPath()}" "$@"\n`,
    );
    await chmod(wrapper, 0o755);
    const redisDir = join(dir, 'redis');
    await mkdir(redisDir);
    redis = await startRedis(redisDir);
    const add = emovox(['queue', 'add', once, always, '--batch', 'crash', '--attempts', '2', '--backoff', '200', '--redis', redis.url, '--json']);
    assert.equal(JSON.parse(add.stdout).added, 2, add.stderr);
    worker = new WorkerProcess('crash', redis.url, [], { FFMPEG_PATH: wrapper });
    const [code] = await worker.exited;
    assert.equal(code, 0, worker.stderr);
    const retries = worker.events.filter((e) => e.event === 'retry').map((e) => [e.file, e.error?.code]);
    assert.deepEqual(retries.sort(), [[always, 'E_FFMPEG'], [once, 'E_FFMPEG']]);
    const records = jsonLines(emovox(['queue', 'results', 'crash', '--redis', redis.url]).stdout);
    assert.equal(records.length, 2);
    assert.equal(records.find((r) => r.file === always)?.error?.code, 'E_FFMPEG');
    const [expected] = jsonLines(emovox(['predict', '--json', '--workers', '1', once]).stdout);
    assert.deepEqual(records.find((r) => r.file === once), expected, 'the retried file gives what predict gives');
  } finally {
    worker?.kill('SIGKILL');
    await worker?.exited;
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('queue add refuses a bad batch name and an unreachable Redis with a clear message', { skip: missing, timeout: 60_000 }, async () => {
  const file = actorFiles(6)[0];
  const badName = emovox(['queue', 'add', file, '--batch', 'a:b']);
  assert.equal(badName.status, 2);
  assert.match(badName.stderr, /E_USAGE: batch name "a:b"/);
  const dir = await mkdtemp(join(tmpdir(), 'emovox-queue-none-'));
  try {
    await copyFile(file, join(dir, 'x.flac'));
    const port = await (await import('./queue-redis.js')).freePort(); // nothing listens there
    const r = emovox(['queue', 'status', 'b', '--redis', `redis://127.0.0.1:${port}`]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('nothing but the queue needs Redis: bullmq is loaded by one dynamic import, on first use', async () => {
  const { readdirSync } = await import('node:fs');
  const src = join(PACKAGE_ROOT, 'src');
  const runtime: string[] = [];
  for (const f of readdirSync(src, { recursive: true }) as string[]) {
    if (!f.endsWith('.ts')) continue;
    const text = await readFile(join(src, f), 'utf8');
    // `import type`, `typeof import(…)` and `import(…).Name` are types, erased at build time; any other import loads the module.
    for (const m of text.matchAll(/^import (?!type )[^;]*from '(bullmq|ioredis)'|(?<!typeof )import\('(bullmq|ioredis)'\)(?!\.)/gm)) runtime.push(`${f}: ${m[0]}`);
  }
  assert.deepEqual(runtime, ["queue/connection.ts: import('bullmq')"]);
});
