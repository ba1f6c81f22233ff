/**
 * Decoding plus resampling to 16 kHz mono: the 48 kHz WAV originals and the 16 kHz FLAC
 * files, in files per second and seconds of audio per second of CPU, median of 5 runs.
 *   node --import tsx bench/decode.ts
 */
import { join } from 'node:path';
import { listMediaFiles, loadAudio } from '../src/audio/index.js';
import { SHARED_DATA } from '../src/paths.js';
import { machine, median } from './util.js';

const RUNS = 5;
const sets = [
  { name: '48 kHz WAV originals (ravdess-speech-48k, 63 files)', files: await listMediaFiles([join(SHARED_DATA, 'ravdess-speech-48k')]) },
  { name: '16 kHz FLAC (ravdess-speech-16k, Actor_01–03, 180 files)', files: await listMediaFiles(['01', '02', '03'].map((a) => join(SHARED_DATA, 'ravdess-speech-16k', `Actor_${a}`))) },
];

console.log(`## decode + resample to 16 kHz mono (${machine()})`);
console.log('command: `node --import tsx bench/decode.ts` (one process, files one after another, after one warm-up pass)');
console.log('| input | files/s | s of audio per s of CPU | runs |');
console.log('|---|---|---|---|');
for (const set of sets) {
  for (const f of set.files) await loadAudio(f); // warm-up: wasm compile, resampler set-up, page cache
  const rates: number[] = [];
  const speeds: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    let audio = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const f of set.files) audio += (await loadAudio(f)).length / 16000;
    const c = process.cpuUsage(c0);
    rates.push(set.files.length / ((performance.now() - t0) / 1000));
    speeds.push(audio / ((c.user + c.system) / 1e6));
  }
  console.log(`| ${set.name} | ${median(rates).toFixed(1)} | ${median(speeds).toFixed(0)} | ${RUNS} |`);
}
