import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { loadAudio } from '../src/audio/index.js';
import { featureConfigKey } from '../src/features/cache.js';
import { extractFeatures } from '../src/features/frontends.js';
import { DEFAULT_LEVEL, normalizeLevel, referenceRms } from '../src/features/level.js';
import { withFrontEnds } from '../src/features/types.js';
import { makeRecipe } from '../src/model/recipe.js';
import { EmovoxError } from '../src/errors.js';
import { loadDataset } from '../src/datasets/dataset.js';
import { train } from '../src/train.js';
import { EmotionRecognizer } from '../src/pipeline.js';
import { actorFiles, smallRavdessCorpus } from './helpers.js';

const scaled = (x: Float32Array, g: number): Float32Array => Float32Array.from(x, (v) => v * g);

test('level normalisation puts loud speech at -20 dBFS, whatever the silence around it', () => {
  const sine = Float32Array.from({ length: 16000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 200 * i) / 16000));
  // Two seconds of silence, then the tone: the 95th-percentile frame is still the tone.
  const padded = new Float32Array(48000);
  padded.set(sine, 32000);
  for (const [x, at] of [[sine, 0], [padded, 32000]] as const) {
    const out = normalizeLevel(x, DEFAULT_LEVEL);
    assert.ok(Math.abs(20 * Math.log10(referenceRms(out, 95)) - -20) < 1e-3, `${20 * Math.log10(referenceRms(out, 95))} dBFS`);
    // One gain for the whole clip: the waveform's shape is kept.
    assert.ok(Math.abs(out[at + 40] / x[at + 40] - out[at + 7] / x[at + 7]) < 1e-4);
  }
  // A pure tone's RMS is its amplitude over √2.
  assert.ok(Math.abs(referenceRms(sine, 95) - 0.5 / Math.SQRT2) < 1e-3);
});

test('with level normalisation the features of a real clip do not depend on its gain; without it they do', async () => {
  const clip = await loadAudio(actorFiles(3)[10]);
  const level = { vad: { enabled: false, threshold: 0.5, padMs: 100 }, frontEnds: [{ name: 'handcrafted' as const }], level: DEFAULT_LEVEL };
  const asRecorded = { ...level, level: undefined };
  const names = (await extractFeatures(clip, level)).names;
  // The 90th percentile of the frame level: loud speech (the mean also counts the silence, floored).
  const rms = names.indexOf('rms_db_p90');
  const centroid = names.indexOf('centroid_mean');
  const [a, b] = [await extractFeatures(clip, level), await extractFeatures(scaled(clip, 0.125), level)];
  // 18 dB quieter, the same features to float rounding (the rms level itself included).
  for (const i of [rms, centroid]) assert.ok(Math.abs(a.values[i] - b.values[i]) < 1e-3, `${names[i]}: ${a.values[i]} vs ${b.values[i]}`);
  const [c, d] = [await extractFeatures(clip, asRecorded), await extractFeatures(scaled(clip, 0.125), asRecorded)];
  assert.ok(Math.abs(c.values[rms] - d.values[rms] - 20 * Math.log10(8)) < 0.1, `as recorded, the level moves by 18 dB: ${c.values[rms] - d.values[rms]}`);
});

test('a configuration without level keeps its cache key; with it the key changes', () => {
  const recipe = makeRecipe();
  const fe = recipe.features.frontEnds[0];
  assert.equal(featureConfigKey(withFrontEnds(recipe.features, [fe])), featureConfigKey({ vad: recipe.features.vad, frontEnds: [fe] }));
  const levelled = makeRecipe({ features: { level: true } });
  assert.deepEqual(levelled.features.level, DEFAULT_LEVEL);
  assert.notEqual(featureConfigKey(withFrontEnds(levelled.features, [fe])), featureConfigKey(withFrontEnds(recipe.features, [fe])));
  assert.equal(recipe.features.level, undefined);
});

test('the recipe refuses a level setting it cannot run', () => {
  assert.throws(() => makeRecipe({ features: { level: { percentile: 0, targetDbfs: -20 } } }), (e: unknown) => e instanceof EmovoxError && e.code === 'E_USAGE' && /percentile/.test(e.message));
  assert.throws(() => makeRecipe({ features: { level: { percentile: 95, targetDbfs: 6 } } }), (e: unknown) => e instanceof EmovoxError && e.code === 'E_USAGE' && /targetDbfs/.test(e.message));
  // A gain copy, levelled, is its original again: refused rather than trained on twice.
  assert.throws(() => makeRecipe({ features: { level: true }, augment: ['noise', 'gain'] }), (e: unknown) => e instanceof EmovoxError && e.code === 'E_USAGE' && /"gain" does nothing with level normalisation/.test(e.message));
  assert.deepEqual(makeRecipe({ features: { level: true }, augment: ['noise'] }).augment, ['noise']);
});

test('a model trained with --level-normalize keeps it in its bundle and answers the same for a clip 18 dB quieter', async () => {
  const root = mkdtempSync(join(tmpdir(), 'emovox-level-'));
  try {
    const data = await loadDataset(smallRavdessCorpus(join(root, 'corpus'), [1, 2], 1));
    const clip = await loadAudio(actorFiles(5)[20]);
    const quieter = { samples: scaled(clip, 0.125), sampleRate: 16000 };
    const loud = { samples: clip, sampleRate: 16000 };
    const opts = (level: boolean) => ({ recipe: makeRecipe({ features: { frontEnds: ['handcrafted'], level }, head: { ensemble: 1, maxEpochs: 5 } }), cacheDir: null, seed: 1 });
    const levelled = await train(data, opts(true));
    await levelled.save(join(root, 'model'));
    const loaded = await EmotionRecognizer.load(join(root, 'model'));
    assert.deepEqual(loaded.recipe.features.level, DEFAULT_LEVEL);
    const [a, b] = [await loaded.classify(loud), await loaded.classify(quieter)];
    for (const p of a) assert.ok(Math.abs(p.score - b.find((q) => q.label === p.label)!.score) < 1e-4, `${p.label}: ${p.score}`);
    // The control: the same model without levelling hears the difference.
    const asRecorded = await train(data, opts(false));
    const [c, d] = [await asRecorded.classify(loud), await asRecorded.classify(quieter)];
    assert.ok(c.some((p) => Math.abs(p.score - d.find((q) => q.label === p.label)!.score) > 1e-3), 'without levelling the scores move with the gain');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
