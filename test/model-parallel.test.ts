// Training the ensemble's members on worker threads must give the model that training them
// one after another gives: same seed, same bits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitClassifier } from '../src/model/fit.js';
import { mulberry32 } from '../src/util/random.js';
import type { Matrix } from '../src/types.js';
import type { EpochRecord } from '../src/model/train-head.js';

/** Four classes in 40 dimensions, 8 speakers with their own offset, 12 rows per speaker and class. */
function data(): { X: Matrix; y: Int32Array; groups: Int32Array } {
  const rand = mulberry32(7);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const cols = 40;
  const rows: number[] = [];
  const y: number[] = [];
  const groups: number[] = [];
  for (let s = 0; s < 8; s++) {
    const offset = Array.from({ length: cols }, () => 0.5 * gauss());
    for (let c = 0; c < 4; c++) for (let i = 0; i < 12; i++) {
      for (let d = 0; d < cols; d++) rows.push((d % 4 === c ? 1.5 : 0) + offset[d] + gauss());
      y.push(c);
      groups.push(s);
    }
  }
  return { X: { data: Float32Array.from(rows), rows: y.length, cols }, y: Int32Array.from(y), groups: Int32Array.from(groups) };
}

const config = { hidden: [16], ensemble: 4, maxEpochs: 30, patience: 8 };

test('members trained on 2 worker threads give the same head, temperature, validation scores and epochs as one thread', async () => {
  const { X, y, groups } = data();
  const epochs = (workers: number) => {
    const seen: EpochRecord[][] = [[], [], [], []];
    return { seen, run: fitClassifier(X, y, groups, 4, { config, seed: 3, workers, onEpoch: (r, m, n) => (assert.equal(n, 4), seen[m - 1].push(r)) }) };
  };
  const one = epochs(1);
  const two = epochs(2);
  const [a, b] = [await one.run, await two.run];
  assert.deepEqual(b.head.toJSON(), a.head.toJSON());
  assert.equal(b.head.temperature, a.head.temperature);
  assert.deepEqual(b.validationProbs, a.validationProbs);
  assert.deepEqual(b.validation, a.validation);
  assert.equal(b.bestEpoch, a.bestEpoch);
  assert.deepEqual(b.history, a.history);
  // Every member reported each of its epochs, in order, through the worker's port.
  assert.deepEqual(two.seen, one.seen);
  assert.deepEqual(a.history, one.seen[0]);
  for (const s of two.seen) assert.deepEqual(s.map((r) => r.epoch), Array.from({ length: s.length }, (_, i) => i + 1));
  // And it learned something: far above chance (25%) on its held-out speakers.
  let right = 0;
  for (let i = 0; i < a.validation.length; i++) {
    const p = a.validationProbs.subarray(i * 4, i * 4 + 4);
    if (p.indexOf(Math.max(...p)) === y[a.validation[i]]) right++;
  }
  assert.ok(right / a.validation.length > 0.6, `held-out accuracy ${right / a.validation.length}`);
});

test('a member that fails in a worker thread surfaces as an EmovoxError with its code', async () => {
  const { X, y, groups } = data();
  // A layer of width -1 cannot be built: trainHead throws inside the worker thread.
  await assert.rejects(fitClassifier(X, y, groups, 4, { config: { ...config, hidden: [-1] }, seed: 1, workers: 2 }), (e: Error & { code?: string }) => e.code === 'E_INTERNAL' && /member \d of 4/.test(e.message));
});
