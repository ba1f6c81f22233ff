// Channel augmentation (issue 14): each augmentation does to the signal what it says, the
// copies are drawn reproducibly and cached, and a copy is only ever a training row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { addNoise, applyGain, convolve, reverberate } from '../src/audio/augment.js';
import { codecRoundTrip } from '../src/audio/augment-codec.js';
import { AUGMENTATIONS, augmentationSpec, GAIN_DB, MP3_KBPS, NOISE_SNR_DB, OPUS_KBPS } from '../src/audio/augment-spec.js';
import { loadAudio } from '../src/audio/decode.js';
import { loadDataset } from '../src/datasets/dataset.js';
import { groupKFold } from '../src/datasets/splits.js';
import { FeatureExtractor } from '../src/features/extractor.js';
import { withAugmentedRows } from '../src/model/augmented-set.js';
import { checkRecipe, makeRecipe } from '../src/model/recipe.js';
import { normalizedAugmented, normalizedFeatures } from '../src/eval/normalize.js';
import type { TrainingSet } from '../src/model/training-set.js';
import { recipeFrom, type DataOptions } from '../src/cli/data-options.js';
import { mulberry32 } from '../src/util/random.js';
import { actorFiles, RAVDESS_16K } from './helpers.js';

const require = createRequire(import.meta.url);
const FFT = require('fft.js') as new (size: number) => { createComplexArray(): number[]; realTransform(out: number[], data: number[]): void; completeSpectrum(out: number[]): void };
const SR = 16000;
const meanSquare = (x: ArrayLike<number>): number => Array.from(x).reduce((s, v) => s + v * v, 0) / x.length;
const db = (ratio: number): number => 10 * Math.log10(ratio);

/** Power in [lo, hi) Hz of x, from one FFT over its first 2^15 samples. */
function bandPower(x: Float32Array, lo: number, hi: number): number {
  const n = 1 << 15;
  const fft = new FFT(n);
  const out = fft.createComplexArray();
  fft.realTransform(out, Array.from(x.subarray(0, n)));
  let p = 0;
  for (let k = Math.ceil((lo * n) / SR); k < Math.min(n / 2, (hi * n) / SR); k++) p += out[2 * k] ** 2 + out[2 * k + 1] ** 2;
  return p;
}

function whiteNoise(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => 0.2 * (r() - 0.5));
}

/** The lag (samples) that best aligns y with x, by cross-correlation over ±maxLag. */
function bestLag(x: Float32Array, y: Float32Array, maxLag: number): number {
  let [best, lag] = [-Infinity, 0];
  for (let l = -maxLag; l <= maxLag; l++) {
    let s = 0;
    for (let i = maxLag; i < x.length - maxLag; i += 2) s += x[i] * y[i + l];
    if (s > best) [best, lag] = [s, l];
  }
  return lag;
}

test('the telephone copy keeps 300–3400 Hz and attenuates what is below 300 Hz and above 3.4 kHz by 20 dB or more (FFT of white noise)', async () => {
  const x = whiteNoise(3 * SR, 7);
  const y = await codecRoundTrip(x, SR, { kind: 'telephone' });
  assert.equal(y.length, x.length);
  const drop = (lo: number, hi: number): number => db(bandPower(x, lo, hi) / bandPower(y, lo, hi));
  assert.ok(Math.abs(drop(600, 3000)) < 3, `in band: ${drop(600, 3000).toFixed(1)} dB`);
  assert.ok(drop(3800, 8000) > 20, `above 3.4 kHz: ${drop(3800, 8000).toFixed(1)} dB`);
  assert.ok(drop(20, 150) > 20, `below 300 Hz: ${drop(20, 150).toFixed(1)} dB`);
});

test('noise at SNR s dB (white and pink) measures s ± 0.5 dB against the clip, and the same seed gives the same noise', async () => {
  const x = await loadAudio(actorFiles(2)[5]);
  for (const snr of NOISE_SNR_DB) {
    for (const color of ['white', 'pink'] as const) {
      const y = addNoise(x, snr, color, 42);
      const noise = y.map((v, i) => v - x[i]);
      const measured = db(meanSquare(x) / meanSquare(noise));
      assert.ok(Math.abs(measured - snr) < 0.5, `${color} at ${snr} dB measured ${measured.toFixed(2)} dB`);
      assert.deepEqual(addNoise(x, snr, color, 42), y);
    }
  }
  // Pink noise (1/f) has equal power in every octave, where white noise has 15 dB more in 3.2–6.4 kHz than in 100–200 Hz.
  const tone = Float32Array.from({ length: 3 * SR }, (_, i) => Math.sin(i));
  const octaves = (color: 'white' | 'pink'): number => {
    const noise = addNoise(tone, 0, color, 3).map((v, i) => v - tone[i]);
    return db(bandPower(noise, 3200, 6400) / bandPower(noise, 100, 200));
  };
  assert.ok(Math.abs(octaves('pink')) < 2, `pink: ${octaves('pink').toFixed(1)} dB`);
  assert.ok(Math.abs(octaves('white') - 15) < 2, `white: ${octaves('white').toFixed(1)} dB`);
});

test('gain scales the level by exactly the dB asked, and the drawn gains stay within ±6 dB', async () => {
  const x = await loadAudio(actorFiles(2)[6]);
  assert.ok(Math.abs(db(meanSquare(applyGain(x, 6)) / meanSquare(x)) - 6) < 1e-3);
  assert.ok(Math.abs(db(meanSquare(applyGain(x, -4.5)) / meanSquare(x)) + 4.5) < 1e-3);
  const gains = Array.from({ length: 200 }, (_, i) => augmentationSpec('gain', `file${i}`, 1)).map((s) => (s.kind === 'gain' ? s.db : NaN));
  assert.ok(gains.every((g) => Math.abs(g) <= GAIN_DB));
  assert.ok(Math.min(...gains) < -4 && Math.max(...gains) > 4, 'the draws cover the range');
});

test('MP3 and Opus round trips keep the length, stay aligned within a frame, and are not identical to the input', async () => {
  const x = await loadAudio(actorFiles(4)[9]);
  for (const spec of [{ kind: 'mp3', kbps: 16 }, { kind: 'opus', kbps: 8 }] as const) {
    const y = await codecRoundTrip(x, SR, spec);
    assert.equal(y.length, x.length, `${spec.kind}: length`);
    const lag = Math.abs(bestLag(x, y, 1500));
    assert.ok(lag <= 320, `${spec.kind}: lag ${lag} samples (an Opus frame is 320, an MP3 frame at 16 kHz 576)`);
    const err = db(meanSquare(x) / meanSquare(y.map((v, i) => v - x[i])));
    assert.ok(err < 40, `${spec.kind} at ${spec.kbps} kbit/s changed the signal (SNR ${err.toFixed(1)} dB)`);
    assert.ok(db(meanSquare(y) / meanSquare(x)) > -3, `${spec.kind}: the speech is still there`);
  }
});

test('the synthetic room decays by 60 dB over RT60 (energy slope of its impulse response) and keeps the level', () => {
  const rt60 = 0.5;
  const impulse = new Float32Array(SR);
  impulse[0] = 1;
  const h = reverberate(impulse, SR, rt60, 9);
  const energy = (a: number, b: number): number => meanSquare(h.subarray(Math.round(a * rt60 * SR), Math.round(b * rt60 * SR)));
  const slope = db(energy(0.1, 0.2) / energy(0.5, 0.6)); // 0.4 × RT60 apart: 24 dB expected
  assert.ok(Math.abs(slope - 24) < 3, `decay over 0.4 RT60: ${slope.toFixed(1)} dB`);
  assert.ok(Math.abs(db(meanSquare(h) / meanSquare(impulse))) < 1e-3);
  // The FFT convolution is the direct one.
  const x = Float32Array.from([1, 2, 3, 0, -1]);
  assert.deepEqual(Array.from(convolve(x, Float64Array.from([1, 0.5]))).map((v) => Math.round(v * 1e6) / 1e6), [1, 2.5, 4, 1.5, -1]);
});

test('copies are drawn from the seed and the file: reproducible, different across files, within the ranges', () => {
  assert.deepEqual(augmentationSpec('noise', 'abc', 1), augmentationSpec('noise', 'abc', 1));
  assert.notDeepEqual(augmentationSpec('reverb', 'abc', 1), augmentationSpec('reverb', 'abc', 2));
  const specs = Array.from({ length: 100 }, (_, i) => AUGMENTATIONS.map((k) => augmentationSpec(k, `f${i}`, 1))).flat();
  for (const s of specs) {
    if (s.kind === 'mp3') assert.ok((MP3_KBPS as readonly number[]).includes(s.kbps));
    if (s.kind === 'opus') assert.ok((OPUS_KBPS as readonly number[]).includes(s.kbps));
    if (s.kind === 'noise') assert.ok((NOISE_SNR_DB as readonly number[]).includes(s.snrDb));
    if (s.kind === 'reverb') assert.ok(s.rt60 >= 0.2 && s.rt60 <= 0.8);
  }
  assert.equal(new Set(specs.filter((s) => s.kind === 'noise').map((s) => JSON.stringify(s))).size, 100);
});

test('the recipe takes known augmentations only (E_USAGE, from the library and the CLI), and a bundle with an unknown one is E_MODEL', () => {
  const flags: DataOptions = { corpus: 'auto', cache: true, seed: '1' };
  assert.deepEqual(makeRecipe({ augment: ['telephone', 'noise'] }).augment, ['telephone', 'noise']);
  assert.deepEqual(recipeFrom({ ...flags, augment: 'mp3, opus' }).augment, ['mp3', 'opus']);
  assert.equal('augment' in makeRecipe(), false, 'no augmentation by default, and nothing recorded');
  assert.throws(() => makeRecipe({ augment: ['telephone', 'vinyl' as never] }), { code: 'E_USAGE', message: /unknown augmentation "vinyl": choose from mp3, opus, telephone, reverb, noise, gain/ });
  assert.throws(() => recipeFrom({ ...flags, augment: 'noise,noise' }), { code: 'E_USAGE', message: /named twice/ });
  assert.throws(() => checkRecipe({ ...makeRecipe(), augment: ['bitcrush' as never] }, 'E_MODEL', 'config.json'), { code: 'E_MODEL', message: /config.json: unknown augmentation/ });
});

test('augmented rows never reach a test fold: each fold trains on the copies of its own training rows only', async () => {
  const data = await loadDataset(RAVDESS_16K);
  const n = data.items.length;
  const X = { data: Float32Array.from({ length: n }, (_, i) => i), rows: n, cols: 1 };
  // Two copies of every row, as featurizeAugmented lays them out: copy j stands for row source[j].
  const source = Int32Array.from({ length: 2 * n }, (_, j) => j % n);
  const augmented = { X: { data: Float32Array.from(source, (s) => 1e6 + s), rows: 2 * n, cols: 1 }, source };
  for (const { train, test } of groupKFold(data.groups, 5, { seed: 1 })) {
    const fit = withAugmentedRows(X, train, augmented);
    assert.equal(fit.X.rows, 3 * train.length, 'the originals and both copies of each training row');
    const testRows = new Set(test);
    const testGroups = new Set(Array.from(test, (i) => data.groups[i]));
    for (let r = 0; r < fit.X.rows; r++) {
      const row = fit.sourceRows[r];
      assert.ok(!testRows.has(row) && !testGroups.has(data.groups[row]), `training row ${r} stands for test row ${row}`);
      // Each row's features are those of the original it stands for (or its copy).
      assert.equal(fit.X.data[r] % 1e6, row);
    }
  }
});

test('speaker normalisation of the copies is per (speaker, augmentation): a constant channel offset is removed', () => {
  const speakers = ['a', 'a', 'a', 'b', 'b', 'b'];
  const Xo = Float32Array.from([1, 2, 4, 10, 20, 40]);
  const set = {
    data: { items: speakers.map((s) => ({ speaker: s, speakerKnown: true, corpus: 'c' })), speakers },
    X: { data: Xo, rows: 6, cols: 1 },
    names: ['f'],
    augmented: { X: { data: Float32Array.from([...Xo.map((v) => v + 100), ...Xo.map((v) => v * 3)]), rows: 12, cols: 1 }, source: Int32Array.from([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]), channels: [...Array(6).fill('gain'), ...Array(6).fill('noise')], cacheHits: 0 },
  } as unknown as TrainingSet;
  const recipe = makeRecipe({ normalize: 'speaker' });
  const originals = Array.from(normalizedFeatures(set, recipe).data);
  const copies = Array.from(normalizedAugmented(set, recipe)!.X.data);
  const close = (a: number[], b: number[]): void => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-5, `${v} vs ${b[i]}`));
  close(copies.slice(0, 6), originals);
  close(copies.slice(6), originals);
});

test('the features of augmented copies go through the cache under the file and the spec: a second run reads them all back', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'emovox-augment-'));
  try {
    const extractor = new FeatureExtractor(makeRecipe({ features: { frontEnds: ['handcrafted'] } }), { cacheDir, workers: 1 });
    const path = actorFiles(5)[3];
    const refs = [{ path }, { path, augment: augmentationSpec('gain', 'x', 1) }, { path, augment: augmentationSpec('noise', 'x', 1) }];
    const first = await extractor.processFiles(refs);
    assert.equal(first.cacheHits, 0);
    const second = await extractor.processFiles(refs);
    assert.equal(second.cacheHits, 3);
    assert.deepEqual(second.X.data, first.X.data);
    const row = (r: number): number[] => Array.from(first.X.data.subarray(r * first.X.cols, (r + 1) * first.X.cols));
    assert.notDeepEqual(row(1), row(0), 'the gain copy has its own features');
    assert.notDeepEqual(row(2), row(1));
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
