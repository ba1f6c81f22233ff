/**
 * Time and peak memory to extract features for and train the default model
 * (`emovox train` on the 1200 shared RAVDESS files). Each run starts from an empty
 * feature cache (extraction + training), then trains again on the warm cache
 * (training alone); extraction is the difference.
 *   node --import tsx bench/train.ts        (EMOVOX_BENCH_RUNS=3 by default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT, SHARED_DATA } from '../src/paths.js';
import { machine, median, timeCommand } from './util.js';

const RUNS = Number(process.env.EMOVOX_BENCH_RUNS ?? 3);
const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');
const data = join(SHARED_DATA, 'ravdess-speech-16k');
type Timing = ReturnType<typeof timeCommand>;
const cold: Timing[] = [];
const warm: Timing[] = [];
// The 1-minute load average before each run: other jobs on the cores stretch the wall times.
const loads: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'emovox-bench-train-'));
  const args = [BIN, 'train', '--data', data, '--out', join(dir, 'model'), '--cache-dir', join(dir, 'cache'), '--json'];
  loads.push(loadavg()[0]);
  cold.push(timeCommand(process.execPath, args));
  loads.push(loadavg()[0]);
  warm.push(timeCommand(process.execPath, args));
  rmSync(dir, { recursive: true, force: true });
}
if ([...cold, ...warm].some((r) => r.status !== 0)) throw new Error('emovox train failed during the benchmark');
const m = (rs: Timing[], k: 'wall' | 'cpu' | 'maxRssMb') => median(rs.map((r) => r[k]));
console.log(`## train the default model (${machine()})`);
console.log(`command: \`node --import tsx bench/train.ts\` (runs \`emovox train --data ../shared/data/ravdess-speech-16k\` with an empty, then a warm feature cache); run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, 1-minute load average before the runs ${loads.map((l) => l.toFixed(1)).join(', ')}`);
console.log('| measure | wall | CPU | peak RSS | runs |');
console.log('|---|---|---|---|---|');
console.log(`| feature extraction + training, 1200 files, empty cache | ${m(cold, 'wall').toFixed(1)} s | ${m(cold, 'cpu').toFixed(1)} s | ${m(cold, 'maxRssMb').toFixed(0)} MiB | ${RUNS} |`);
console.log(`| training alone (warm cache) | ${m(warm, 'wall').toFixed(1)} s | ${m(warm, 'cpu').toFixed(1)} s | ${m(warm, 'maxRssMb').toFixed(0)} MiB | ${RUNS} |`);
console.log(`| feature extraction alone (difference) | ${(m(cold, 'wall') - m(warm, 'wall')).toFixed(1)} s | ${(m(cold, 'cpu') - m(warm, 'cpu')).toFixed(1)} s | | |`);
