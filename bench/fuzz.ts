/**
 * The decoders under 100,000 mutated WAV and FLAC files (test/fuzz-cases.ts), deterministic
 * by seed: cases per second of CPU, the outcome counts, any untyped failure, the slowest
 * case and the peak RSS of the process.
 *   node --import tsx bench/fuzz.ts [cases=100000] [seed=1]
 */
import { runFuzz } from '../test/fuzz-cases.js';
import { machine } from './util.js';

const cases = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 1);
const c0 = process.cpuUsage();
const t0 = performance.now();
const r = await runFuzz(seed, 0, cases, undefined, (i) => {
  if (process.stderr.isTTY && i % 1000 === 0) process.stderr.write(`\r${i} / ${cases}`);
});
const cpu = process.cpuUsage(c0);
const cpuSec = (cpu.user + cpu.system) / 1e6;
console.log(`## decoder fuzzing (${machine()})`);
console.log(`command: \`node --import tsx bench/fuzz.ts ${cases} ${seed}\``);
console.log(`cases run: ${r.cases} (${r.skipped} mutants skipped: they no longer look like WAV or FLAC and would go to ffmpeg)`);
console.log(`decoded: ${r.decoded}; errors: ${[...r.errors].map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`untyped failures: ${r.untyped.length}${r.untyped.length ? ` (first: case ${r.untyped[0].i}: ${r.untyped[0].error})` : ''}`);
console.log(`rate: ${(r.cases / cpuSec).toFixed(0)} cases per CPU second (${(r.cases / ((performance.now() - t0) / 1000)).toFixed(0)} per wall second)`);
console.log(`slowest case: ${r.slowest.i}, ${r.slowest.ms.toFixed(0)} ms`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
