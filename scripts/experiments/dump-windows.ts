/**
 * Per-window speech_embedding activations of the RAVDESS actors 01–20, without the VAD, for
 * the pooling experiment in attention.ts: for each 760 ms window (every 160 ms), pool2–pool4
 * averaged over their time axis and the final output, 960 numbers, exactly what emovox's
 * embedding front-end takes the mean and std of. Writes scratch/feat/win16.f32 + win16.json:
 *   node --import tsx scripts/experiments/dump-windows.ts
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { loadAudio } from '../../src/audio/index.js';
import { DEFAULT_EMBEDDING_LAYERS, embeddingWindows } from '../../src/features/embedding.js';

const root = '../shared/data/ravdess-speech-16k';
const files = readdirSync(root)
  .filter((d) => d.startsWith('Actor_'))
  .flatMap((d) => readdirSync(`${root}/${d}`).map((f) => `${d}/${f}`))
  .sort();
const rows: Float32Array[] = [];
const index: { file: string; windows: number }[] = [];
let dim = 0;
for (const file of files) {
  const samples = await loadAudio(`${root}/${file}`);
  const layers = await embeddingWindows(samples, { layers: DEFAULT_EMBEDDING_LAYERS, speech: { start: 0, end: samples.length } });
  const windows = layers[0].windows;
  dim = layers.reduce((n, l) => n + l.dim, 0);
  const out = new Float32Array(windows * dim);
  for (let w = 0; w < windows; w++) {
    let o = 0;
    for (const l of layers) {
      out.set(l.data.subarray(w * l.dim, (w + 1) * l.dim), w * dim + o);
      o += l.dim;
    }
  }
  rows.push(out);
  index.push({ file, windows });
}
const all = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
rows.reduce((o, r) => (all.set(r, o), o + r.length), 0);
mkdirSync('scratch/feat', { recursive: true });
writeFileSync('scratch/feat/win16.f32', new Uint8Array(all.buffer));
writeFileSync('scratch/feat/win16.json', JSON.stringify({ dim, layers: DEFAULT_EMBEDDING_LAYERS, index }));
console.log(`scratch/feat/win16: ${files.length} files, ${all.length / dim} windows of ${dim}`);
