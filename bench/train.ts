/**
 * Time and peak memory to extract features for and train the default model
 * (`emovox train` on the 1200 shared RAVDESS files, no feature cache).
 *   node --import tsx bench/train.ts        (EMOVOX_BENCH_RUNS=3 by default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT, SHARED_DATA } from '../src/paths.js';
import { machine, median, timeCommand } from './util.js';

const RUNS = Number(process.env.EMOVOX_BENCH_RUNS ?? 3);
const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');
const data = join(SHARED_DATA, 'ravdess-speech-16k');
const runs = [];
for (let i = 0; i < RUNS; i++) {
  const out = mkdtempSync(join(tmpdir(), 'emovox-bench-train-'));
  runs.push(timeCommand(process.execPath, [BIN, 'train', '--data', data, '--out', out, '--no-cache', '--json']));
  rmSync(out, { recursive: true, force: true });
}
if (runs.some((r) => r.status !== 0)) throw new Error('emovox train failed during the benchmark');
console.log(`## train the default model (${machine()})`);
console.log('command: node --import tsx bench/train.ts (runs `emovox train --data ../shared/data/ravdess-speech-16k --no-cache`)');
console.log('| measure | median | runs |');
console.log('|---|---|---|');
console.log(`| wall time, feature extraction + training, 1200 files | ${median(runs.map((r) => r.wall)).toFixed(1)} s | ${RUNS} |`);
console.log(`| CPU time | ${median(runs.map((r) => r.cpu)).toFixed(1)} s | ${RUNS} |`);
console.log(`| peak RSS | ${median(runs.map((r) => r.maxRssMb)).toFixed(0)} MiB | ${RUNS} |`);
