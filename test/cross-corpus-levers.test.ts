import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTrainable, makeRecipe } from '../src/model/recipe.js';
import { recipeFrom, type DataOptions } from '../src/cli/data-options.js';
import { utteranceCmvn } from '../src/features/cmvn.js';
import { handcraftedFeatures } from '../src/features/handcrafted.js';
import { featureConfigKey } from '../src/features/cache.js';
import { modelFileHash } from '../src/features/model-files.js';
import { DEFAULT_FEATURES } from '../src/model/recipe.js';
import { loadAudio } from '../src/audio/decode.js';
import { loadDataset, sharedLabels } from '../src/datasets/dataset.js';
import { SHARED_DATA } from '../src/paths.js';
import { actorFiles } from './helpers.js';

const flags: DataOptions = { corpus: 'auto', cache: true, seed: '1' };

test('normalisation and label policy are recipe settings, checked where the recipe is made (E_USAGE)', () => {
  assert.equal(makeRecipe({ normalize: 'corpus' }).normalize, 'corpus');
  assert.equal(makeRecipe({ normalize: 'utterance', labels: 'shared' }).labels, 'shared');
  // --normalize speaker is --speaker-normalize: the same recipe, with the speaker-normalised head.
  assert.deepEqual(makeRecipe({ normalize: 'speaker' }), makeRecipe({ speakerNormalize: true }));
  assert.deepEqual(recipeFrom({ ...flags, normalize: 'speaker' }), recipeFrom({ ...flags, speakerNormalize: true }));
  assert.deepEqual(recipeFrom({ ...flags, normalize: 'none' }), makeRecipe());
  assert.throws(() => makeRecipe({ normalize: 'loudness' as never }), { code: 'E_USAGE', message: /normalize must be one of none, speaker, corpus, utterance/ });
  assert.throws(() => makeRecipe({ normalize: 'corpus', speakerNormalize: true }), { code: 'E_USAGE', message: /contradicts/ });
  assert.throws(() => recipeFrom({ ...flags, normalize: 'corpus', speakerNormalize: true }), { code: 'E_USAGE' });
  assert.throws(() => makeRecipe({ labels: 'all' as never }), { code: 'E_USAGE', message: /labels must be one of union, shared/ });
  assert.throws(() => makeRecipe({ normalize: 'utterance', features: { frontEnds: ['embedding'] } }), { code: 'E_USAGE', message: /add handcrafted/ });
  // A bundle cannot apply corpus or utterance normalisation at prediction, so training refuses them.
  assert.throws(() => checkTrainable(makeRecipe({ normalize: 'corpus' })), { code: 'E_USAGE', message: /not trained into a model/ });
  checkTrainable(makeRecipe({ normalize: 'speaker' }));
});

test('per-utterance CMVN removes the gain: a clip at half its level gives the same normalised MFCC columns, though not the same raw ones', async () => {
  const audio = await loadAudio(actorFiles(3)[10]);
  const quiet = audio.map((v) => v * 0.5);
  const a = handcraftedFeatures(audio);
  const b = handcraftedFeatures(quiet);
  const rows = { data: new Float32Array([...a.values, ...b.values]), rows: 2, cols: a.values.length };
  const { names, X } = utteranceCmvn(a.names, rows);
  const raw = a.names.indexOf('mfcc0_mean');
  assert.ok(Math.abs(a.values[raw] - b.values[raw]) > 1, 'the gain moves the raw c0 mean');
  // (The RMS level in dB has a floor for near-silent frames, so its mean removal is gain-free only above it.)
  const cmvnCols = names.flatMap((n, i) => (/^cmvn_mfcc\d+_(p10|p50|p90|slope)$/.test(n) ? [i] : []));
  assert.equal(cmvnCols.length, 80);
  for (const c of cmvnCols) assert.ok(Math.abs(X.data[c] - X.data[X.cols + c]) < 0.02, `${names[c]}: ${X.data[c]} vs ${X.data[X.cols + c]}`);
  assert.ok(!names.includes('mfcc0_mean') && !names.includes('logmel0_mean'));
});

test('label policy shared keeps the labels every corpus has: RAVDESS and nEMO share six', async () => {
  const data = await loadDataset([join(SHARED_DATA, 'ravdess-speech-16k', 'Actor_01'), join(SHARED_DATA, 'nemo-16k')]);
  assert.deepEqual(sharedLabels(data), ['neutral', 'happy', 'sad', 'angry', 'fearful', 'surprised']);
});

test('the YAMNet feature cache key carries a hash of the model file; the keys of the other front-ends are unchanged', () => {
  const extra = { sampleRate: 16000 };
  const key = (name: 'handcrafted' | 'yamnet') => featureConfigKey({ vad: DEFAULT_FEATURES.vad, frontEnds: [{ name }] }, extra);
  // The keys of the existing caches (before this change): handcrafted's stays, YAMNet's moves.
  assert.equal(key('handcrafted'), '7d6f53591e521fff');
  assert.notEqual(key('yamnet'), '2fa034972d409193');
  const dir = mkdtempSync(join(tmpdir(), 'emovox-hash-'));
  try {
    writeFileSync(join(dir, 'a.onnx'), 'one model');
    writeFileSync(join(dir, 'b.onnx'), 'another model');
    assert.notEqual(modelFileHash(join(dir, 'a.onnx')), modelFileHash(join(dir, 'b.onnx')));
    assert.equal(modelFileHash(join(dir, 'missing.onnx')), 'missing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
