import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { EmotionRecognizer, SPEAKER_NORMALIZED_MODEL_DIR } from '../src/pipeline.js';
import { EMOTIONS, SAMPLE_RATE } from '../src/types.js';
import { loadAudio } from '../src/audio/index.js';
import { extractDatasetFeatures, takeRows } from '../src/model/dataset-features.js';
import { fitClassifier } from '../src/model/fit.js';
import { saveBundle, BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION } from '../src/model/bundle.js';
import { DEFAULT_FEATURES, DEFAULT_HEAD } from '../src/model/recipe.js';
import { computeMetrics } from '../src/eval/metrics.js';
import { argmaxRows } from '../src/eval/crossval.js';
import { parseRavdessName } from '../src/datasets/index.js';
import { actorFiles, sum } from './helpers.js';

test('the shipped model returns all 8 emotions, sorted, with scores summing to 1, for real recordings', async () => {
  const rec = await EmotionRecognizer.load();
  assert.deepEqual([...rec.labels].sort(), [...EMOTIONS].sort());
  for (const file of actorFiles(3).slice(0, 4)) {
    const preds = await rec.classify(file);
    assert.equal(preds.length, 8);
    assert.ok(Math.abs(sum(preds.map((p) => p.score)) - 1) < 1e-5, `scores of ${file} sum to 1`);
    for (let i = 1; i < preds.length; i++) assert.ok(preds[i - 1].score >= preds[i].score, 'sorted by score');
    assert.ok(preds.every((p) => p.score >= 0 && p.score <= 1));
  }
});

test('classify accepts a path, encoded bytes and decoded samples, with the same result', async () => {
  const rec = await EmotionRecognizer.load();
  const file = actorFiles(2)[10];
  const fromPath = await rec.classify(file);
  const { readFile } = await import('node:fs/promises');
  const fromBytes = await rec.classify(new Uint8Array(await readFile(file)));
  const fromSamples = await rec.classify({ samples: await loadAudio(file), sampleRate: SAMPLE_RATE });
  assert.deepEqual(fromBytes, fromPath);
  assert.deepEqual(fromSamples, fromPath);
  assert.equal((await rec.classify(file, { topK: 3 })).length, 3);
});

test('the default recipe beats chance by a wide margin on actors it was not trained on', async () => {
  // Train on actors 1–6 and test on 7–9: no speaker on both sides.
  const trainFiles = [1, 2, 3, 4, 5, 6].flatMap(actorFiles);
  const testFiles = [7, 8, 9].flatMap(actorFiles);
  const rows = [...trainFiles, ...testFiles].map((path) => ({ path, sha256: basename(path) }));
  const feats = await extractDatasetFeatures(rows, DEFAULT_FEATURES, { sampleRate: SAMPLE_RATE, cacheDir: null });
  assert.equal(feats.failures.length, 0);
  const labelOf = (p: string): number => EMOTIONS.indexOf(parseRavdessName(basename(p)).emotion);
  const y = Int32Array.from(rows, (r) => labelOf(r.path));
  const actor = rows.map((r) => parseRavdessName(basename(r.path)).actor);
  const trainIdx = Int32Array.from({ length: trainFiles.length }, (_, i) => i);
  const testIdx = Int32Array.from({ length: testFiles.length }, (_, i) => trainFiles.length + i);
  const fitted = await fitClassifier(takeRows(feats.X, trainIdx), Int32Array.from(trainIdx, (i) => y[i]), Int32Array.from(trainIdx, (i) => Number(actor[i])), 8, { config: DEFAULT_HEAD, seed: 7 });
  const probs = fitted.head.predictProba(takeRows(feats.X, testIdx));
  const m = computeMetrics(Int32Array.from(testIdx, (i) => y[i]), argmaxRows(probs, 8), [...EMOTIONS]);
  // Chance is 12.5%; three unseen actors with only six to learn from.
  assert.ok(m.accuracy > 0.3, `accuracy on unseen actors ${m.accuracy}`);
  assert.ok(m.uar > 0.3, `UAR on unseen actors ${m.uar}`);

  // A saved and reloaded bundle predicts identically.
  const dir = await mkdtemp(join(tmpdir(), 'emovox-bundle-'));
  try {
    await saveBundle(dir, {
      config: {
        format: BUNDLE_FORMAT, formatVersion: BUNDLE_FORMAT_VERSION, emovoxVersion: 'test', createdAt: new Date().toISOString(),
        sampleRate: SAMPLE_RATE, features: DEFAULT_FEATURES, featureNames: feats.names, labels: [...EMOTIONS],
        head: { file: 'head.json', config: fitted.head.config, temperature: fitted.head.temperature, bestEpoch: fitted.bestEpoch },
        training: { corpus: 'ravdess', files: trainFiles.length, labels: {}, speakers: {}, seed: 7, command: 'test', validationSpeakers: [], validation: { accuracy: 0, uar: 0 } },
      },
      head: fitted.head,
    });
    const reloaded = await EmotionRecognizer.load(dir);
    for (const file of testFiles.slice(0, 5)) {
      const i = rows.findIndex((r) => r.path === file);
      const direct = fitted.head.predictProba(takeRows(feats.X, Int32Array.of(i)));
      const viaBundle = await reloaded.classify(file);
      for (const p of viaBundle) assert.equal(p.score, direct[EMOTIONS.indexOf(p.label as (typeof EMOTIONS)[number])]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the speaker-normalised model scores several clips of one speaker together, and refuses a single clip', async () => {
  const rec = await EmotionRecognizer.load(SPEAKER_NORMALIZED_MODEL_DIR);
  assert.equal(rec.speakerNormalized, true);
  const clips = actorFiles(18).filter((_, i) => i % 10 === 0);
  const results = await rec.classifySpeaker(clips);
  assert.equal(results.length, clips.length);
  for (const preds of results) assert.ok(Math.abs(sum(preds.map((p) => p.score)) - 1) < 1e-5);
  await assert.rejects(rec.classify(clips[0]), { code: 'E_USAGE' });
  await assert.rejects(rec.classifySpeaker(clips.slice(0, 1)), { code: 'E_USAGE' });
});
