/**
 * An experiment for the speed of Silero VAD, not part of `npm run bench`: the CPU time
 * per clip and the speech span found, with the 512-sample chunks the recipe uses and
 * with the larger chunks Silero v4 also accepts at 16 kHz. Each chunk is one
 * onnxruntime call, and the per-call cost dominates.
 *   node --import tsx bench/vad-chunks.ts
 */
import { join } from 'node:path';
import { speechProbabilities } from '../src/features/vad.js';
import { listMediaFiles, loadAudio } from '../src/audio/index.js';
import { SHARED_DATA } from '../src/paths.js';
import { machine, median } from './util.js';

const files = (await listMediaFiles([join(SHARED_DATA, 'ravdess-speech-16k', 'Actor_13')])).slice(0, 20);
const audio = await Promise.all(files.map((f) => loadAudio(f)));

/** Start and end (s) of the chunks Silero calls speech, as trimSilence finds them before padding. */
async function speechSpan(samples: Float32Array, chunk: number): Promise<[number, number]> {
  const { probs, hop } = await speechProbabilities(samples, chunk);
  const speech = Array.from(probs, (p, i) => (p >= 0.5 ? i : -1)).filter((i) => i >= 0);
  return [(speech[0] * hop) / 16000, ((speech[speech.length - 1] + 1) * hop) / 16000];
}

for (const a of audio.slice(0, 3)) await speechSpan(a, 512); // warm-up
const reference = await Promise.all(audio.map((a) => speechSpan(a, 512)));
console.log(`## Silero VAD chunk size (${machine()})`);
console.log(`command: \`node --import tsx bench/vad-chunks.ts\` (${files.length} clips of Actor_13)`);
console.log('| chunk | median ms of CPU per clip | median shift of the span ends vs 512, ms | runs |');
console.log('|---|---|---|---|');
for (const chunk of [512, 1024, 1536]) {
  const ms: number[] = [];
  const shift: number[] = [];
  for (const [i, a] of audio.entries()) {
    const c0 = process.cpuUsage();
    const span = await speechSpan(a, chunk);
    const c = process.cpuUsage(c0);
    ms.push((c.user + c.system) / 1000);
    shift.push(1000 * Math.max(Math.abs(span[0] - reference[i][0]), Math.abs(span[1] - reference[i][1])));
  }
  console.log(`| ${chunk} | ${median(ms).toFixed(1)} | ${median(shift).toFixed(0)} | ${ms.length} |`);
}
