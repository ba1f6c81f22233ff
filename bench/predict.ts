/**
 * Prediction speed and memory: time from process start to the result of
 * `emovox predict` on one file, and steady-state throughput over a folder on one core.
 *   node --import tsx bench/predict.ts
 */
import { join } from 'node:path';
import { EmotionRecognizer } from '../src/pipeline.js';
import { PACKAGE_ROOT, SHARED_DATA } from '../src/paths.js';
import { listMediaFiles, loadAudio } from '../src/audio/index.js';
import { machine, median, timeCommand } from './util.js';

const RUNS = 5;
const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');
const folder = join(SHARED_DATA, 'ravdess-speech-16k', 'Actor_13');
const files = await listMediaFiles([folder]);

// 1. Cold start: a new process per run, as a user runs it.
const cold = Array.from({ length: RUNS }, () => timeCommand(process.execPath, [BIN, 'predict', files[0], '--json']));

// 2. Steady state in one process: the model loaded once, files one after another.
const rec = await EmotionRecognizer.load();
let audioSec = 0;
for (const f of files.slice(0, 3)) await rec.classify(f); // warm-up
const rounds: { wall: number; cpu: number; audio: number }[] = [];
for (let r = 0; r < 3; r++) {
  audioSec = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const f of files) {
    const samples = await loadAudio(f);
    audioSec += samples.length / 16000;
    await rec.classify({ samples, sampleRate: 16000 });
  }
  const c = process.cpuUsage(c0);
  rounds.push({ wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, audio: audioSec });
}
// 3. One 4-second clip, CPU time per prediction (the ×real-time figure the README quotes).
const clip = files.find(() => true)!;
const samples = await loadAudio(clip);
const four = new Float32Array(64000);
four.set(samples.subarray(0, Math.min(samples.length, 64000)));
const perClip: number[] = [];
for (let i = 0; i < 20; i++) {
  const c0 = process.cpuUsage();
  await rec.classify({ samples: four, sampleRate: 16000 });
  const c = process.cpuUsage(c0);
  perClip.push((c.user + c.system) / 1000);
}

const wall = median(rounds.map((r) => r.wall));
const cpu = median(rounds.map((r) => r.cpu));
console.log(`## predict (${machine()})`);
console.log(`command: node --import tsx bench/predict.ts (${files.length} files of ${folder.split('/').slice(-2).join('/')}, ${audioSec.toFixed(0)} s of audio)`);
console.log('| measure | median | runs |');
console.log('|---|---|---|');
console.log(`| \`emovox predict FILE --json\`, process start to result | ${median(cold.map((c) => c.wall)).toFixed(2)} s | ${RUNS} |`);
console.log(`| peak RSS of that process | ${median(cold.map((c) => c.maxRssMb)).toFixed(0)} MiB | ${RUNS} |`);
console.log(`| steady-state throughput, one process | ${(files.length / wall).toFixed(1)} files/s | 3 |`);
console.log(`| seconds of audio per second of CPU | ${(audioSec / cpu).toFixed(1)} | 3 |`);
console.log(`| CPU time for one 4-second clip | ${median(perClip).toFixed(1)} ms (${(4000 / median(perClip)).toFixed(0)}× real time) | 20 |`);
console.log(`| peak RSS of the steady-state process | ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB | 1 |`);
