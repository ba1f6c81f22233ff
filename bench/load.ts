/**
 * Load on `emovox serve` with autocannon, on 127.0.0.1: 50 connections uploading 4-second
 * RAVDESS clips (raw WAV bodies) for 60 s, then idle, then a soak at a rate the server
 * sustains. Prints throughput, latency of the answered requests (p50, p99), statuses
 * (503 E_QUEUE_FULL is the deliberate refusal), the server's peak RSS, its RSS after the
 * load, and its RSS over the soak. The server is a child process, so its RSS is its own.
 * The soak runs at 80% of the load phase's throughput, or at `--soak-rate` requests per second;
 * its RSS is printed minute by minute, to tell a leak (steady growth) from the heap settling.
 *   node --import tsx bench/load.ts [--seconds 60] [--connections 50] [--soak 600] [--idle 30] [--soak-rate N]
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { loadAudio } from '../src/audio/index.js';
import { actorFiles, spawnServe } from '../test/helpers.js';
import { wavBytes } from '../test/timeline-fixtures.js';
import { machine, median } from './util.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 60);
const CONNECTIONS = arg('connections', 50);
const SOAK = arg('soak', 600);
const IDLE = arg('idle', 30);
const SOAK_RATE = arg('soak-rate', 0);
const CLIP_SEC = 4;

/** Resident memory (MiB) and CPU seconds of a process, from /proc. */
function proc(pid: number): { rssMb: number; cpuSec: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { rssMb: rss, cpuSec: (Number(stat[11]) + Number(stat[12])) / 100 };
}

async function clips(n: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const file of actorFiles(12).slice(0, n)) {
    const s = await loadAudio(file, { sampleRate: 16000 });
    const four = new Float32Array(CLIP_SEC * 16000);
    four.set(s.subarray(0, four.length));
    out.push(Buffer.from(wavBytes(four)));
  }
  return out;
}

interface Phase {
  ok: number[];
  statuses: Map<number, number>;
  errors: number;
  seconds: number;
}

async function load(url: string, bodies: Buffer[], opts: { connections: number; seconds: number; rate?: number }): Promise<Phase> {
  const ok: number[] = [];
  const statuses = new Map<number, number>();
  const result = await autocannon({
    url: `${url}/v1/classify`,
    connections: opts.connections,
    duration: opts.seconds,
    overallRate: opts.rate,
    timeout: 120,
    requests: bodies.map((body) => ({ method: 'POST', path: '/v1/classify', headers: { 'content-type': 'audio/wav' }, body })),
    setupClient: (client) => {
      client.on('response', (status: number, _bytes: number, ms: number) => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 200) ok.push(ms);
      });
    },
  });
  return { ok, statuses, errors: result.errors + result.timeouts, seconds: opts.seconds };
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

const bodies = await clips(8);
const { child: server, url: listening } = spawnServe([], 120_000);
const url = await listening;
const pid = server.pid as number;
const rss: { t: number; mb: number; phase: string }[] = [];
let phase = 'warm-up';
const t0 = Date.now();
const sampler = setInterval(() => rss.push({ t: (Date.now() - t0) / 1000, mb: proc(pid).rssMb, phase }), 1000);

try {
  // Warm-up: each worker thread loads onnxruntime and the models on its first request.
  await load(url, bodies, { connections: 2, seconds: 5 });
  const idleRss = proc(pid).rssMb;
  phase = 'load';
  const cpu0 = proc(pid).cpuSec;
  const burst = await load(url, bodies, { connections: CONNECTIONS, seconds: SECONDS });
  const cpuLoad = proc(pid).cpuSec - cpu0;
  phase = 'idle';
  await new Promise((r) => setTimeout(r, IDLE * 1000));
  const afterRss = proc(pid).rssMb;
  const throughput = burst.ok.length / SECONDS;

  phase = 'soak';
  // autocannon takes a whole number of requests per second.
  const rate = SOAK_RATE || Math.max(1, Math.floor(throughput * 0.8));
  const soakStart = rss.length;
  const soak = await load(url, bodies, { connections: 4, seconds: SOAK, rate });
  const soakRss = rss.slice(soakStart).filter((s) => s.phase === 'soak');
  const minute = Math.min(60, Math.floor(soakRss.length / 3));
  const firstMin = median(soakRss.slice(0, minute).map((s) => s.mb));
  const lastMin = median(soakRss.slice(-minute).map((s) => s.mb));
  const perMinute: number[] = [];
  for (let i = 0; i + 60 <= soakRss.length; i += 60) perMinute.push(median(soakRss.slice(i, i + 60).map((s) => s.mb)));

  const fmt = (x: number, d = 0): string => x.toFixed(d);
  const statusText = (m: Map<number, number>): string => [...m].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(', ');
  const peak = Math.max(...rss.filter((s) => s.phase === 'load' || s.phase === 'idle').map((s) => s.mb));
  console.log(`## Server under load (${machine()})`);
  console.log(`command: \`node --import tsx bench/load.ts --seconds ${SECONDS} --connections ${CONNECTIONS} --soak ${SOAK} --idle ${IDLE}${SOAK_RATE ? ` --soak-rate ${SOAK_RATE}` : ''}\` (${new Date().toISOString().slice(0, 10)}); the server: \`emovox serve\` with its defaults (workers = cores = 2, concurrency 2, queue 16), a child process; bodies: 8 RAVDESS clips of actor 12 cut or padded to ${CLIP_SEC} s, 16-bit 16 kHz WAV, POST /v1/classify\n`);
  console.log('| phase | connections | rate | answered 200 | per second | p50 (ms) | p99 (ms) | statuses | socket errors/timeouts | server CPU |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  console.log(`| load ${SECONDS} s | ${CONNECTIONS} | as fast as possible | ${burst.ok.length} | ${fmt(throughput, 2)} | ${fmt(pct(burst.ok, 50))} | ${fmt(pct(burst.ok, 99))} | ${statusText(burst.statuses)} | ${burst.errors} | ${fmt(cpuLoad)} s in ${SECONDS} s |`);
  console.log(`| soak ${SOAK} s | 4 | ${rate} req/s | ${soak.ok.length} | ${fmt(soak.ok.length / SOAK, 2)} | ${fmt(pct(soak.ok, 50))} | ${fmt(pct(soak.ok, 99))} | ${statusText(soak.statuses)} | ${soak.errors} | |`);
  console.log('');
  console.log(`RSS of the server: ${fmt(idleRss)} MiB after warm-up; peak ${fmt(peak)} MiB under load (limit 1024); ${fmt(afterRss)} MiB after ${IDLE} s idle. Soak: median ${fmt(firstMin)} MiB over its first ${minute} s, ${fmt(lastMin)} MiB over its last ${minute} s (${fmt(lastMin - firstMin, 1)} MiB).`);
  console.log(`Soak RSS, median of each minute (MiB): ${perMinute.map((m) => fmt(m)).join(', ')}.`);
  console.log(`503 answers are the bounded queue refusing work (E_QUEUE_FULL, with Retry-After), as designed; p50/p99 are over the 200 answers only.`);
} finally {
  clearInterval(sampler);
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
}
