import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMetrics, calibration } from '../src/eval/metrics.js';
import { groupKFold, groupHoldout, performanceGroups, randomKFold } from '../src/datasets/splits.js';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) < tol, `${a} ≠ ${b}`);

test('metrics of a hand-worked 3-class example: accuracy, UAR, macro-F1, confusion', () => {
  // true:  a a a a b b c c ; pred: a a a b b c c a
  const yTrue = Int32Array.from([0, 0, 0, 0, 1, 1, 2, 2]);
  const yPred = Int32Array.from([0, 0, 0, 1, 1, 2, 2, 0]);
  const m = computeMetrics(yTrue, yPred, ['a', 'b', 'c'], { speakers: ['s1', 's1', 's1', 's1', 's2', 's2', 's2', 's2'] });
  assert.deepEqual(m.confusion, [[3, 1, 0], [0, 1, 1], [1, 0, 1]]);
  close(m.accuracy, 5 / 8);
  // recalls 3/4, 1/2, 1/2 → UAR 7/12; precisions 3/4, 1/2, 1/2
  close(m.uar, 7 / 12);
  close(m.perClass[0].f1, 0.75);
  close(m.macroF1, (0.75 + 0.5 + 0.5) / 3);
  assert.deepEqual(m.perSpeaker.map((s) => [s.speaker, s.accuracy]), [['s1', 0.75], ['s2', 0.5]]);
});

test('UAR differs from accuracy when classes are imbalanced', () => {
  const yTrue = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  const yPred = new Int32Array(10); // always class 0
  const m = computeMetrics(yTrue, yPred, ['major', 'minor']);
  close(m.accuracy, 0.9);
  close(m.uar, 0.5);
});

test('ECE is 0 for calibrated scores and large for over-confident ones', () => {
  // Confidence 0.75 and right 3 times in 4: calibrated.
  const y = Int32Array.from([0, 0, 0, 1]);
  const calibrated = Float32Array.from([0.75, 0.25, 0.75, 0.25, 0.75, 0.25, 0.75, 0.25]);
  close(calibration(y, calibrated, 2).ece, 0, 1e-6);
  const over = Float32Array.from([0.99, 0.01, 0.99, 0.01, 0.99, 0.01, 0.99, 0.01]);
  close(calibration(y, over, 2).ece, 0.24, 1e-6);
});

test('groupKFold never puts a group on both sides and tests every row once', () => {
  const speakers = Array.from({ length: 20 * 60 }, (_, i) => String(Math.floor(i / 60) + 1));
  const groups = performanceGroups(speakers.map((s, i) => ({ speaker: s, performance: `${s}-${i % 30}` })));
  assert.equal(new Set(groups).size, 20);
  const folds = groupKFold(groups, 5, { seed: 3 });
  const tested = new Int32Array(groups.length);
  for (const { train, test } of folds) {
    const trainGroups = new Set(Array.from(train, (i) => groups[i]));
    for (const i of test) assert.ok(!trainGroups.has(groups[i]));
    for (const i of test) tested[i]++;
    assert.equal(test.length, 240); // 4 speakers of 60 in each fold
  }
  assert.ok(tested.every((c) => c === 1));
});

test('copies of one performance join their groups even across speakers', () => {
  const g = performanceGroups([
    { speaker: '01', performance: 'x' },
    { speaker: '02', performance: 'x' }, // a byte-identical copy filed under another speaker
    { speaker: '02', performance: 'y' },
    { speaker: '03', performance: 'z' },
    { speaker: null, performance: 'w' },
  ]);
  assert.equal(g[0], g[1]);
  assert.equal(g[1], g[2]);
  assert.notEqual(g[0], g[3]);
  assert.notEqual(g[3], g[4]);
});

test('groupKFold refuses fewer groups than folds with a clear error', () => {
  assert.throws(() => groupKFold(Int32Array.from([0, 0, 1, 1]), 5), /needs at least 5 speakers/);
});

test('groupHoldout keeps validation groups out of training; randomKFold ignores groups', () => {
  const groups = Int32Array.from({ length: 100 }, (_, i) => i % 10);
  const { train, validation } = groupHoldout(groups, 0.2, 1);
  const v = new Set(Array.from(validation, (i) => groups[i]));
  assert.equal(v.size, 2);
  for (const i of train) assert.ok(!v.has(groups[i]));
  const leaky = randomKFold(100, 5, 1);
  const g0 = new Set(Array.from(leaky[0].test, (i) => groups[i]));
  const gTrain = new Set(Array.from(leaky[0].train, (i) => groups[i]));
  assert.ok([...g0].some((g) => gTrain.has(g)), 'a random split mixes groups');
});
