import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAudio } from '../src/audio/index.js';
import { extractFeatures, parseFrontEnds } from '../src/features/frontends.js';
import { patchStarts, yamnetPatches, YAMNET_HOP, YAMNET_PATCH } from '../src/features/yamnet.js';
import { PACKAGE_ROOT, SHARED_DATA } from '../src/paths.js';
import { actorFiles } from './helpers.js';

const CLASSES = readFileSync(join(PACKAGE_ROOT, 'models', 'yamnet', 'yamnet_class_map.csv'), 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l) => l.split(',').slice(2).join(',').replace(/^"|"$/g, ''));
const YAMNET_ONLY = { vad: { enabled: false, threshold: 0.5, padMs: 100 }, frontEnds: parseFrontEnds('yamnet', []) };

/** The class with the highest score averaged over the patches. */
function topClass(patches: { scores: Float32Array }[]): string {
  const mean = new Float64Array(CLASSES.length);
  for (const p of patches) p.scores.forEach((v, i) => (mean[i] += v / patches.length));
  return CLASSES[mean.indexOf(Math.max(...mean))];
}

test('patches cover the signal every 0.48 s, the last aligned to the end; a short signal is one patch', () => {
  assert.deepEqual(patchStarts(1000), [0]);
  assert.deepEqual(patchStarts(YAMNET_PATCH), [0]);
  assert.deepEqual(patchStarts(YAMNET_PATCH + YAMNET_HOP), [0, YAMNET_HOP]);
  assert.deepEqual(patchStarts(YAMNET_PATCH + YAMNET_HOP + 100), [0, YAMNET_HOP, YAMNET_HOP + 100]);
});

test('YAMNet hears speech as "Speech" in a RAVDESS and an nEMO clip, and a pure tone as something else', async () => {
  const ravdess = await loadAudio(actorFiles(3)[20], { sampleRate: 16000 });
  const nemo = await loadAudio(join(SHARED_DATA, 'nemo-16k', 'WR0_surprised_64.flac'), { sampleRate: 16000 });
  assert.equal(topClass(await yamnetPatches(ravdess)), 'Speech');
  assert.equal(topClass(await yamnetPatches(nemo)), 'Speech');
  const tone = Float32Array.from({ length: 32000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / 16000));
  assert.notEqual(topClass(await yamnetPatches(tone)), 'Speech');
});

test('the yamnet front-end gives 2048 finite numbers for a real clip, mean then std, the same twice', async () => {
  const samples = await loadAudio(actorFiles(1)[0], { sampleRate: 16000 });
  const a = await extractFeatures(samples, YAMNET_ONLY);
  const b = await extractFeatures(samples, YAMNET_ONLY);
  assert.equal(a.values.length, 2048);
  assert.equal(a.names[0], 'yamnet_mean_0');
  assert.equal(a.names[1024], 'yamnet_std_0');
  assert.ok(a.values.every(Number.isFinite));
  // ReLU activations averaged: means are ≥ 0 and not all zero; a clip of several patches varies.
  assert.ok(a.values.subarray(0, 1024).every((v) => v >= 0));
  assert.ok(a.values.subarray(1024).some((v) => v > 0));
  assert.deepEqual(a.values, b.values);
});
