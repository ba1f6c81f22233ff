import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { EMOTIONS } from '../../src/types.js';
import { actorFiles, smallRavdessCorpus, sum } from '../helpers.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');
const root = mkdtempSync(join(tmpdir(), 'emovox-train-'));
const cache = join(root, 'cache');
const emovox = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, EMOVOX_CACHE_DIR: cache }, timeout: 600_000 });

// A small corpus in RAVDESS layout: 4 actors × 16 takes (2 per emotion).
const data = smallRavdessCorpus(join(root, 'data'), [1, 2, 3, 4], 2);

test('train writes a whole bundle that predict then uses; a second run reads the feature cache', () => {
  const out = join(root, 'model');
  const r = emovox(['train', '--data', data, '--out', out, '--epochs', '8', '--seed', '3']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /features: 64 files \(0 from cache\)/);
  assert.match(r.stderr, /epoch +1 +loss [\d.]+ +acc [\d.]+% +val_loss [\d.]+ +val_acc [\d.]+%/);
  for (const f of ['config.json', 'head.json', 'history.json', 'MODEL_CARD.md']) assert.ok(existsSync(join(out, f)), f);
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
  assert.equal(config.sampleRate, 16000);
  assert.deepEqual(config.labels, [...EMOTIONS]);
  const head = JSON.parse(readFileSync(join(out, 'head.json'), 'utf8'));
  assert.equal(head.members.length, config.head.config.ensemble);
  for (const m of head.members) assert.equal(m.standardizer.mean.length, config.featureNames.length);
  assert.equal(config.training.files, 64);
  assert.ok(config.head.temperature > 0);
  const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
  assert.ok(history.length >= 1 && history.length <= 8);
  assert.ok(Number.isFinite(history[0].valLoss));
  assert.match(readFileSync(join(out, 'MODEL_CARD.md'), 'utf8'), /non-commercial/);

  const p = emovox(['predict', actorFiles(9)[0], '--model', out, '--json']);
  assert.equal(p.status, 0, p.stderr);
  const line = JSON.parse(p.stdout);
  assert.equal(line.predictions.length, 8);
  assert.ok(Math.abs(sum(line.predictions.map((x: { score: number }) => x.score)) - 1) < 1e-4);

  const again = emovox(['train', '--data', data, '--out', join(root, 'model2'), '--epochs', '8', '--seed', '3']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /features: 64 files \(64 from cache\)/);
  // Same seed, same data: the same model.
  assert.equal(readFileSync(join(root, 'model2', 'head.json'), 'utf8'), readFileSync(join(out, 'head.json'), 'utf8'));
});

test('evaluate --json reports grouped folds with accuracy, UAR, macro-F1, per-class scores, confusion and per-speaker accuracy', () => {
  const r = emovox(['evaluate', '--data', data, '--folds', '4', '--epochs', '8', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  assert.equal(res.protocol.kind, 'grouped-kfold');
  assert.equal(res.protocol.leaky, false);
  assert.equal(res.folds.length, 4);
  for (const f of res.folds) assert.equal(f.testSpeakers.length, 1, 'one actor per fold: grouped by speaker');
  assert.equal(new Set(res.folds.flatMap((f: { testSpeakers: string[] }) => f.testSpeakers)).size, 4);
  const m = res.pooled;
  for (const k of ['accuracy', 'uar', 'macroF1']) assert.ok(m[k] >= 0 && m[k] <= 1, k);
  assert.equal(m.confusion.length, 8);
  assert.equal(sum(m.confusion.flat()), 64);
  assert.equal(m.perClass.length, 8);
  assert.equal(m.perSpeaker.length, 4);
  assert.ok(res.summary.accuracy.std >= 0);

  const leaky = emovox(['evaluate', '--data', data, '--folds', '4', '--epochs', '8', '--protocol', 'random']);
  assert.equal(leaky.status, 0, leaky.stderr);
  assert.match(leaky.stdout, /LEAKY/);
  assert.match(leaky.stdout, /WARNING/);
});

test('evaluate --train-data A --test-data B trains on one corpus and tests on another, over the labels they share', () => {
  // B: a folder per label (no "calm" folder) holding two clips per label of actors 5 and 6.
  const other = join(root, 'folders');
  for (const actor of [5, 6]) {
    for (const emotion of EMOTIONS.filter((e) => e !== 'calm')) {
      mkdirSync(join(other, emotion), { recursive: true });
      const code = String(EMOTIONS.indexOf(emotion) + 1).padStart(2, '0');
      actorFiles(actor)
        .filter((f) => f.split('/').pop()!.split('-')[2] === code)
        .slice(0, 2)
        .forEach((f, i) => copyFileSync(f, join(other, emotion, `a${actor}-${i}.flac`)));
    }
  }
  const r = emovox(['evaluate', '--train-data', data, '--test-data', other, '--epochs', '8', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  assert.equal(res.protocol.kind, 'cross-corpus');
  assert.equal(res.protocol.leaky, false);
  assert.deepEqual(res.labels, EMOTIONS.filter((e) => e !== 'calm'));
  assert.equal(res.trainDataset.corpus, 'ravdess');
  assert.equal(res.trainDataset.files, 56, 'the 8 calm clips of the training corpus are left out');
  assert.equal(res.dataset.corpus, 'folders');
  assert.equal(res.folds.length, 1);
  assert.equal(res.folds[0].testSize, 28);
  assert.equal(sum(res.pooled.confusion.flat()), 28);
  assert.equal(res.pooled.confusion.length, 7);

  // The same corpus on both sides is reported as leaky.
  const same = emovox(['evaluate', '--train-data', data, '--test-data', data, '--epochs', '2']);
  assert.equal(same.status, 0, same.stderr);
  assert.match(same.stdout, /LEAKY/);
  assert.equal(emovox(['evaluate', '--train-data', data]).status, 2);
});
