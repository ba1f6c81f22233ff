/**
 * Features of one augmented copy of every RAVDESS file (actors 01–20), with the VAD on in
 * 1536-sample chunks, to scratch/feat/aug-KIND.f32 + .json, for heads.py --augment:
 *   noise: Gaussian noise at 15–30 dB SNR (over the whole clip) and a gain of ±6 dB;
 *   speed: resampled by 1.1 or 0.9 (alternating), which changes tempo and pitch together.
 *   node --import tsx scripts/experiments/dump-augmented.ts noise
 */
import { writeFileSync } from 'node:fs';
import { scanDataset } from '../../src/datasets/index.js';
import { loadAudio, resample } from '../../src/audio/index.js';
import { extractFeatures } from '../../src/features/frontends.js';
import { DEFAULT_FEATURES } from '../../src/model/recipe.js';
import { mulberry32 } from '../../src/util/random.js';
const kind = process.argv[2]; // noise | speed
const m = await scanDataset('../shared/data/ravdess-speech-16k', { corpus: 'auto' });
const rand = mulberry32(kind === 'noise' ? 11 : 12);
const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
const rows: Float32Array[] = [];
const files: string[] = [];
let i = 0;
for (const r of m.rows) {
  let x = await loadAudio(r.path);
  if (kind === 'noise') {
    let p = 0; for (const v of x) p += v * v; p /= x.length;
    // RMS of the whole clip includes silence: SNR over speech is higher than the nominal one.
    const snr = 15 + 15 * rand();
    const sd = Math.sqrt(p / 10 ** (snr / 10));
    const gain = 10 ** ((-6 + 12 * rand()) / 20);
    x = x.map((v) => (v + sd * gauss()) * gain);
  } else {
    const factor = i % 2 ? 0.9 : 1.1;
    x = await resample(x, Math.round(16000 * factor), 16000);
  }
  const f = await extractFeatures(x, { ...DEFAULT_FEATURES, vad: { ...DEFAULT_FEATURES.vad, enabled: true, chunk: 1536 } });
  rows.push(f.values); files.push(r.path);
  if (++i % 100 === 0) console.error(kind, i);
}
const out = new Float32Array(rows.length * rows[0].length);
rows.forEach((r, j) => out.set(r, j * r.length));
writeFileSync(`scratch/feat/aug-${kind}.f32`, new Uint8Array(out.buffer));
writeFileSync(`scratch/feat/aug-${kind}.json`, JSON.stringify({ rows: rows.length, cols: rows[0].length, files }));
