/**
 * CPU time of the yamnet front-end per clip, beside speech_embedding on the same clips in
 * the same process (their ratio holds on a busy machine better than either time), and per
 * 0.975 s patch. Median over the 20 RAVDESS clips of actor 13 that bench/features.ts reads,
 * one process, one core, after a warm-up pass.
 *   node --import tsx bench/yamnet.ts
 */
import { join } from 'node:path';
import { listMediaFiles, loadAudio } from '../src/audio/index.js';
import { speechEmbedding, DEFAULT_EMBEDDING_LAYERS } from '../src/features/embedding.js';
import { patchStarts, yamnetEmbedding } from '../src/features/yamnet.js';
import { SHARED_DATA } from '../src/paths.js';
import { machine, median } from './util.js';

const files = (await listMediaFiles([join(SHARED_DATA, 'ravdess-speech-16k', 'Actor_13')])).slice(0, 20);
const cpuMs = async (fn: () => unknown): Promise<number> => {
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const yamnet: number[] = [];
const embedding: number[] = [];
const perPatch: number[] = [];
const ratio: number[] = [];
let seconds = 0;
for (let pass = 0; pass < 2; pass++) {
  for (const f of files) {
    const samples = await loadAudio(f);
    const span = { start: 0, end: samples.length };
    const y = await cpuMs(() => yamnetEmbedding(samples, { speech: span }));
    const e = await cpuMs(() => speechEmbedding(samples, { layers: DEFAULT_EMBEDDING_LAYERS, speech: span }));
    if (pass === 0) continue; // warm-up: ONNX session creation
    seconds += samples.length / 16000;
    yamnet.push(y);
    embedding.push(e);
    ratio.push(y / e);
    perPatch.push(y / patchStarts(samples.length).length);
  }
}
console.log(`## yamnet front-end, CPU time per clip (${machine()})`);
console.log(`command: \`node --import tsx bench/yamnet.ts\` (${files.length} clips of Actor_13, mean length ${(seconds / files.length).toFixed(2)} s; patches of 0.975 s every 0.48 s)`);
console.log('| measure | median | runs |');
console.log('|---|---|---|');
console.log(`| yamnet (mean + std of the 1024-d embedding) | ${median(yamnet).toFixed(1)} ms per clip | ${yamnet.length} |`);
console.log(`| the same, per patch | ${median(perPatch).toFixed(2)} ms | ${perPatch.length} |`);
console.log(`| speech_embedding (pool2–4, final), same clips | ${median(embedding).toFixed(1)} ms per clip | ${embedding.length} |`);
console.log(`| yamnet / speech_embedding, per clip | ${median(ratio).toFixed(2)} | ${ratio.length} |`);
