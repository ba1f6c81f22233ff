/**
 * CPU time per stage of the pipeline for one utterance: decode + resample, Silero VAD,
 * the hand-made functionals, speech_embedding, the 40 averaged MFCCs. Median over 20
 * RAVDESS clips (about 3.5–4 s each) of actor 13, one process, one core, after warm-up.
 *   node --import tsx bench/features.ts
 */
import { join } from 'node:path';
import { listMediaFiles, loadAudio } from '../src/audio/index.js';
import { handcraftedFeatures } from '../src/features/handcrafted.js';
import { speechEmbedding, DEFAULT_EMBEDDING_LAYERS } from '../src/features/embedding.js';
import { mfccMean } from '../src/features/mfcc.js';
import { trimSilence } from '../src/features/vad.js';
import { DEFAULT_FEATURES } from '../src/model/recipe.js';
import { SHARED_DATA } from '../src/paths.js';
import { machine, median } from './util.js';

const files = (await listMediaFiles([join(SHARED_DATA, 'ravdess-speech-16k', 'Actor_13')])).slice(0, 20);
const cpuMs = async (fn: () => unknown): Promise<number> => {
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const stages: Record<string, number[]> = { 'decode + resample': [], [`Silero VAD, with --vad (${DEFAULT_FEATURES.vad.chunk}-sample chunks)`]: [], handcrafted: [], 'speech_embedding (pool2–4, final)': [], 'mfcc-mean (librosa defaults)': [] };
let seconds = 0;
for (let pass = 0; pass < 2; pass++) {
  for (const f of files) {
    let samples: Float32Array = new Float32Array(0);
    let span = { start: 0, end: 0 };
    const t = {
      decode: await cpuMs(async () => (samples = await loadAudio(f))),
      vad: await cpuMs(async () => {
        const trimmed = await trimSilence(samples, DEFAULT_FEATURES.vad);
        // The front-ends read what the recipe gives them: the whole clip unless it trims.
        span = DEFAULT_FEATURES.vad.enabled ? trimmed : { start: 0, end: samples.length };
      }),
      hc: await cpuMs(() => handcraftedFeatures(samples, { range: span })),
      emb: await cpuMs(() => speechEmbedding(samples, { layers: DEFAULT_EMBEDDING_LAYERS, speech: span })),
      mfcc: await cpuMs(() => mfccMean(samples)),
    };
    if (pass === 0) continue; // warm-up: wasm compile, ONNX session creation
    seconds += samples.length / 16000;
    Object.values(stages).forEach((list, i) => list.push(Object.values(t)[i]));
  }
}
console.log(`## pipeline stages, CPU time per clip (${machine()})`);
console.log(`command: \`node --import tsx bench/features.ts\` (${files.length} clips of Actor_13, mean length ${(seconds / files.length).toFixed(2)} s)`);
console.log('| stage | median ms per clip | runs |');
console.log('|---|---|---|');
for (const [name, xs] of Object.entries(stages)) console.log(`| ${name} | ${median(xs).toFixed(1)} | ${xs.length} |`);
