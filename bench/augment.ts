/**
 * CPU time of each channel augmentation per clip (the copy alone, before its features),
 * beside the default recipe's feature extraction of the same clip. ffmpeg's own CPU (the
 * codecs and the telephone band run in a child process) is counted: Linux adds a reaped
 * child's time to the parent's cutime/cstime (/proc/self/stat). Median over 20 RAVDESS
 * clips of actor 13, one process, after a warm-up pass.
 *   node --import tsx bench/augment.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listMediaFiles, loadAudio } from '../src/audio/index.js';
import { augmentSignal } from '../src/audio/augment.js';
import { AUGMENTATIONS, augmentationSpec } from '../src/audio/augment-spec.js';
import { extractFeatures } from '../src/features/frontends.js';
import { DEFAULT_FEATURES } from '../src/model/recipe.js';
import { SHARED_DATA } from '../src/paths.js';
import { machine, median } from './util.js';

const files = (await listMediaFiles([join(SHARED_DATA, 'ravdess-speech-16k', 'Actor_13')])).slice(0, 20);
/** CPU ms of this process and its reaped children (ffmpeg). */
const cpuNow = (): number => {
  const own = process.cpuUsage();
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const childTicks = Number(f[13]) + Number(f[14]); // cutime, cstime (fields 16, 17), in 1/100 s
  return (own.user + own.system) / 1000 + childTicks * 10;
};
const cpuMs = async (fn: () => unknown): Promise<number> => {
  const c0 = cpuNow();
  await fn();
  return cpuNow() - c0;
};
const times = new Map<string, number[]>([...AUGMENTATIONS, 'features'].map((k) => [k, []]));
let seconds = 0;
for (let pass = 0; pass < 2; pass++) {
  for (const f of files) {
    const samples = await loadAudio(f);
    if (pass === 1) seconds += samples.length / 16000;
    for (const kind of AUGMENTATIONS) {
      const t = await cpuMs(() => augmentSignal(samples, 16000, augmentationSpec(kind, f, 1)));
      if (pass === 1) times.get(kind)!.push(t);
    }
    const t = await cpuMs(() => extractFeatures(samples, DEFAULT_FEATURES));
    if (pass === 1) times.get('features')!.push(t);
  }
}
console.log(`## channel augmentation, CPU time per clip (${machine()})`);
console.log(`command: \`node --import tsx bench/augment.ts\` (${files.length} clips of Actor_13, mean length ${(seconds / files.length).toFixed(2)} s; ffmpeg's CPU included; ffmpeg CPU is counted in 10 ms ticks)`);
console.log('| step | median CPU per clip | runs |');
console.log('|---|---|---|');
for (const [k, v] of times) console.log(`| ${k === 'features' ? 'the default features of the copy (handcrafted + embedding)' : `augmentation: ${k}`} | ${median(v).toFixed(1)} ms | ${v.length} |`);
