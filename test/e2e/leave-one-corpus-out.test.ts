import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT, SHARED_DATA } from '../../src/paths.js';
import { EMOTIONS } from '../../src/types.js';
import { smallRavdessCorpus, sum } from '../helpers.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');
const root = mkdtempSync(join(tmpdir(), 'emovox-loco-'));
after(() => rmSync(root, { recursive: true, force: true }));
const emovox = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, EMOVOX_CACHE_DIR: join(root, 'cache') }, timeout: 300_000 });

// Two small corpora: RAVDESS actors 1 and 2 (2 takes of each of the 8 emotions: 32 clips)
// and nEMO speakers EB0, KD0, WR0 (2 sentences of each of its 6 emotions: 36 clips).
const ravdess = smallRavdessCorpus(join(root, 'ravdess'), [1, 2], 2);
const nemo = join(root, 'nemo');
mkdirSync(nemo);
for (const speaker of ['EB0', 'KD0', 'WR0']) {
  for (const emotion of ['anger', 'fear', 'happiness', 'neutral', 'sadness', 'surprised']) {
    for (const n of [10, 12]) copyFileSync(join(SHARED_DATA, 'nemo-16k', `${speaker}_${emotion}_${n}.flac`), join(nemo, `${speaker}_${emotion}_${n}.flac`));
  }
}
const NEMO_LABELS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'surprised'];
const quick = ['--features', 'handcrafted', '--epochs', '6'];

interface Fold {
  testSize: number;
  metrics: { uar: number; accuracy: number; confusion: number[][] };
  testSpeakers: string[];
  heldOut: { corpus: string; trainCorpora: string[]; labels: string[]; modelLabels: string[]; leftOut: number };
}

test('evaluate --leave-one-corpus-out holds out each corpus in turn and scores it over the labels it has', () => {
  const reportDir = join(root, 'report');
  const r = emovox(['evaluate', '--data', ravdess, '--data', nemo, '--leave-one-corpus-out', ...quick, '--json', '--report', reportDir]);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout) as { protocol: { kind: string; leaky: boolean }; labels: string[]; folds: Fold[]; pooled: { confusion: number[][] }; summary: { uar: { mean: number; min: number; max: number } } };
  assert.equal(res.protocol.kind, 'leave-one-corpus-out');
  assert.equal(res.protocol.leaky, false);
  // One entry per held-out corpus, trained on the other.
  assert.deepEqual(res.folds.map((f) => [f.heldOut.corpus, f.heldOut.trainCorpora]), [['ravdess', ['nemo']], ['nemo', ['ravdess']]]);
  const [heldRavdess, heldNemo] = res.folds;
  // RAVDESS held out: scored over the six labels a nEMO-trained model knows; its calm and disgust clips (2 actors × 2 × 2) left out.
  assert.deepEqual(heldRavdess.heldOut.labels, NEMO_LABELS);
  assert.equal(heldRavdess.heldOut.leftOut, 8);
  assert.equal(heldRavdess.testSize, 24);
  assert.deepEqual(heldRavdess.testSpeakers, ['ravdess:01', 'ravdess:02']);
  // nEMO held out: its own six labels; the RAVDESS model (label policy union, the default) can still answer all eight.
  assert.deepEqual(heldNemo.heldOut.labels, NEMO_LABELS);
  assert.deepEqual(heldNemo.heldOut.modelLabels, [...EMOTIONS]);
  assert.equal(heldNemo.testSize, 36);
  assert.deepEqual(res.labels, [...EMOTIONS]);
  for (const f of res.folds) {
    assert.equal(sum(f.metrics.confusion.flat()), f.testSize, `${f.heldOut.corpus}: the confusion matrix counts every test clip once`);
    // No true row outside the held-out corpus's labels (calm and disgust of nEMO do not exist).
    res.labels.forEach((l, i) => !f.heldOut.labels.includes(l) && assert.equal(sum(f.metrics.confusion[i]), 0, `${f.heldOut.corpus}: a row for ${l}`));
    assert.ok(f.metrics.uar >= 0 && f.metrics.uar <= 1);
    assert.ok(f.metrics.accuracy >= 0 && f.metrics.accuracy <= 1);
  }
  assert.equal(sum(res.pooled.confusion.flat()), 60);
  const uars = res.folds.map((f) => f.metrics.uar);
  assert.equal(res.summary.uar.min, Math.min(...uars));
  assert.equal(res.summary.uar.max, Math.max(...uars));
  assert.ok(Math.abs(res.summary.uar.mean - (uars[0] + uars[1]) / 2) < 1e-12);
  const html = readFileSync(join(reportDir, 'index.html'), 'utf8');
  assert.match(html, /<h2 id="leave-one-corpus-out">Leave one corpus out<\/h2>/);
  assert.match(html, /<h3>ravdess held out<\/h3>/);
  assert.match(html, /<h3>nemo held out<\/h3>/);
  assert.match(html, /mean ± sd over 2 held-out corpora/);
});

test('the levers are flags: --labels shared trains only on the held-out corpus\'s labels, --normalize corpus standardises each corpus, and the text says so', () => {
  const r = emovox(['evaluate', '--data', ravdess, '--data', nemo, '--leave-one-corpus-out', ...quick, '--labels', 'shared', '--normalize', 'corpus']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^held out +trained on +clips +labels +accuracy +UAR/m);
  assert.match(r.stdout, /^ravdess +nemo +24 +6 /m);
  assert.match(r.stdout, /^nemo +ravdess +36 +6 /m);
  assert.match(r.stdout, /Spread over 2 held-out corpora: UAR mean [\d.]+%/);
  assert.match(r.stdout, /standardised per corpus/);
  // With shared labels neither model can answer calm or disgust: no column for them.
  assert.doesNotMatch(r.stdout, /calm|disgu/);
  assert.match(r.stderr, /held out nemo: accuracy [\d.]+%, UAR [\d.]+%/);
});

test('bad lever settings are usage errors (exit 2) that say what to give', () => {
  const one = emovox(['evaluate', '--data', ravdess, '--leave-one-corpus-out', ...quick]);
  assert.equal(one.status, 2);
  assert.match(one.stderr, /--data once per corpus/);
  const bad = emovox(['evaluate', '--data', ravdess, '--normalize', 'loudness']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /normalize must be one of none, speaker, corpus, utterance/);
  const train = emovox(['train', '--data', ravdess, '--out', join(root, 'm'), '--normalize', 'corpus', ...quick]);
  assert.equal(train.status, 2);
  assert.match(train.stderr, /can be evaluated .* but not trained into a model/);
});
