// The trained part of the pipeline on small synthetic matrices: milliseconds, not minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitClassifier } from '../src/model/fit.js';
import { fitTemperature, nll, softmaxRows } from '../src/model/temperature.js';
import { MlpHead, HEAD_DEFAULTS } from '../src/model/mlp.js';
import { loadTf } from '../src/model/tf.js';
import { speakerNormalize } from '../src/features/speaker-norm.js';
import { mulberry32 } from '../src/util/random.js';
import type { Matrix } from '../src/types.js';

/** Three Gaussian blobs in 6 dimensions, 12 speakers with their own offset, 10 rows per speaker and class. */
function blobs(seed: number): { X: Matrix; y: Int32Array; groups: Int32Array } {
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const rows: number[][] = [];
  const y: number[] = [];
  const groups: number[] = [];
  for (let s = 0; s < 12; s++) {
    const offset = Array.from({ length: 6 }, () => 0.3 * gauss());
    for (let c = 0; c < 3; c++) for (let i = 0; i < 10; i++) {
      rows.push(Array.from({ length: 6 }, (_, d) => (d === c ? 2 : 0) + offset[d] + 0.7 * gauss()));
      y.push(c);
      groups.push(s);
    }
  }
  return { X: { data: Float32Array.from(rows.flat()), rows: rows.length, cols: 6 }, y: Int32Array.from(y), groups: Int32Array.from(groups) };
}

test('fitClassifier learns separable classes, and every row is validated once by an ensemble member that did not train on its speaker', async () => {
  const train = blobs(1);
  const test = blobs(2);
  const fitted = await fitClassifier(train.X, train.y, train.groups, 3, { config: { hidden: [8], ensemble: 4, maxEpochs: 60, patience: 10 }, seed: 1 });
  const probs = fitted.head.predictProba(test.X);
  let right = 0;
  for (let r = 0; r < test.X.rows; r++) {
    const row = Array.from(probs.subarray(r * 3, r * 3 + 3));
    assert.ok(Math.abs(row.reduce((a, b) => a + b) - 1) < 1e-5);
    if (row.indexOf(Math.max(...row)) === test.y[r]) right++;
  }
  assert.ok(right / test.X.rows > 0.85, `accuracy on new speakers ${right / test.X.rows}`);
  assert.deepEqual([...fitted.validation].sort((a, b) => a - b), Array.from({ length: train.X.rows }, (_, i) => i));
  assert.equal(fitted.head.members.length, 4);
  // The same seed gives the same head.
  const again = await fitClassifier(train.X, train.y, train.groups, 3, { config: { hidden: [8], ensemble: 4, maxEpochs: 60, patience: 10 }, seed: 1 });
  assert.deepEqual(again.head.toJSON(), fitted.head.toJSON());
});

test('temperature scaling recovers the temperature that made logits over-confident, and never changes the argmax', () => {
  const rand = mulberry32(5);
  const k = 4;
  const n = 4000;
  const calibrated = new Float32Array(n * k).map(() => 2 * (rand() - 0.5));
  const y = new Int32Array(n);
  const p = softmaxRows(calibrated, k);
  // Draw labels from the calibrated probabilities, then make the logits 3× too sharp.
  for (let r = 0; r < n; r++) {
    let u = rand();
    y[r] = k - 1;
    for (let c = 0; c < k; c++) if ((u -= p[r * k + c]) < 0) { y[r] = c; break; }
  }
  const sharp = calibrated.map((v) => 3 * v);
  const T = fitTemperature(sharp, y, k);
  assert.ok(T > 2.6 && T < 3.4, `T = ${T}`);
  assert.ok(nll(sharp, y, k, T) < nll(sharp, y, k, 1));
  const before = softmaxRows(sharp, k);
  const after = softmaxRows(sharp, k, T);
  for (let r = 0; r < 50; r++) {
    const a = Array.from(before.subarray(r * k, r * k + k));
    const b = Array.from(after.subarray(r * k, r * k + k));
    assert.equal(a.indexOf(Math.max(...a)), b.indexOf(Math.max(...b)));
  }
});

test('speaker normalisation gives each speaker mean 0 and standard deviation 1 per feature, and centres a constant feature', () => {
  const X: Matrix = { data: Float32Array.of(1, 5, 3, 5, 5, 5, 10, 7, 20, 7, 30, 7), rows: 6, cols: 2 };
  const Z = speakerNormalize(X, ['a', 'a', 'a', 'b', 'b', 'b']);
  for (const rows of [[0, 1, 2], [3, 4, 5]]) {
    const col0 = rows.map((r) => Z.data[r * 2]);
    const mean = col0.reduce((s, v) => s + v) / 3;
    const sd = Math.sqrt(col0.reduce((s, v) => s + (v - mean) ** 2, 0) / 3);
    assert.ok(Math.abs(mean) < 1e-6 && Math.abs(sd - 1) < 1e-6);
    for (const r of rows) assert.equal(Z.data[r * 2 + 1], 0);
  }
  assert.deepEqual(Array.from(Z.data.filter((_, i) => i % 2 === 0)).map((v) => Math.round(v * 1000) / 1000), [-1.225, 0, 1.225, -1.225, 0, 1.225]);
});

test('the head\'s plain TypeScript forward pass equals tfjs on the same weights', async () => {
  const rand = mulberry32(9);
  const layer = (inputs: number, outputs: number) => ({ inputs, outputs, weights: new Float32Array(inputs * outputs).map(() => rand() - 0.5), bias: new Float32Array(outputs).map(() => rand() - 0.5) });
  const members = [0, 1].map(() => ({ standardizer: { mean: new Float32Array(20).map(() => rand()), std: new Float32Array(20).fill(0.5) }, layers: [layer(20, 16), layer(16, 5)] }));
  const head = new MlpHead({ ...HEAD_DEFAULTS, hidden: [16] }, 5, members);
  const X: Matrix = { data: new Float32Array(7 * 20).map(() => 2 * rand()), rows: 7, cols: 20 };
  const ours = head.predictLogits(X);
  const tf = await loadTf();
  const theirs = new Float32Array(7 * 5);
  for (const m of members) {
    const z = Float32Array.from(X.data, (v, i) => Math.max(-10, Math.min(10, (v - m.standardizer.mean[i % 20]) / m.standardizer.std[i % 20])));
    const out = tf.tidy(() => {
      let h = tf.tensor2d(z, [7, 20]);
      m.layers.forEach((l, i) => {
        h = tf.matMul(h, tf.tensor2d(l.weights, [l.inputs, l.outputs])).add(tf.tensor1d(l.bias));
        if (i === 0) h = tf.relu(h);
      });
      return h.dataSync() as Float32Array;
    });
    out.forEach((v, i) => (theirs[i] += v / members.length));
  }
  for (let i = 0; i < ours.length; i++) assert.ok(Math.abs(ours[i] - theirs[i]) < 1e-4, `logit ${i}: ${ours[i]} vs ${theirs[i]}`);
});
