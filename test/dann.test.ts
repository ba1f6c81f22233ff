// The adversarial head (HeadConfig.adversarial, DANN with a gradient-reversal layer): off, it
// trains today's model to the bit; on, its hidden layer tells the domains apart less well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fitClassifier } from '../src/model/fit.js';
import { trainHead } from '../src/model/train-head.js';
import { standardize } from '../src/model/standardizer.js';
import type { MlpHead } from '../src/model/mlp.js';
import { mulberry32 } from '../src/util/random.js';
import type { Matrix } from '../src/types.js';

/**
 * Two domains of 6 speakers each, 4 classes in 24 dimensions: the class moves dimensions 0–7,
 * the domain shifts dimensions 8–15 by `shift` (a channel that has nothing to do with the
 * class), and each speaker has an offset of its own. Speakers 0–5 are domain 0, 6–11 domain 1.
 */
function data(shift: number): { X: Matrix; y: Int32Array; groups: Int32Array; domain: Int32Array } {
  const rand = mulberry32(11);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const cols = 24;
  const rows: number[] = [];
  const y: number[] = [];
  const groups: number[] = [];
  const domain: number[] = [];
  for (let s = 0; s < 12; s++) {
    const d = s < 6 ? 0 : 1;
    const offset = Array.from({ length: cols }, () => 0.3 * gauss());
    for (let c = 0; c < 4; c++) for (let i = 0; i < 10; i++) {
      for (let k = 0; k < cols; k++) rows.push((k < 8 && k % 4 === c ? 1.5 : 0) + (k >= 8 && k < 16 && d === 1 ? shift : 0) + offset[k] + gauss());
      y.push(c);
      groups.push(s);
      domain.push(d);
    }
  }
  return { X: { data: Float32Array.from(rows), rows: y.length, cols }, y: Int32Array.from(y), groups: Int32Array.from(groups), domain: Int32Array.from(domain) };
}

function rowsWhere(M: Matrix, keep: (i: number) => boolean): Matrix {
  const idx = Array.from({ length: M.rows }, (_, i) => i).filter(keep);
  const out = new Float32Array(idx.length * M.cols);
  idx.forEach((r, j) => out.set(M.data.subarray(r * M.cols, (r + 1) * M.cols), j * M.cols));
  return { data: out, rows: idx.length, cols: M.cols };
}

/** The first member's hidden layer (ReLU of the first dense layer) for the rows of X. */
function hidden(head: MlpHead, X: Matrix): Matrix {
  const m = head.members[0];
  const Z = standardize(X, m.standardizer);
  const l = m.layers[0];
  const out = new Float32Array(X.rows * l.outputs);
  for (let r = 0; r < X.rows; r++) {
    for (let o = 0; o < l.outputs; o++) {
      let a = l.bias[o];
      for (let i = 0; i < l.inputs; i++) a += Z.data[r * X.cols + i] * l.weights[i * l.outputs + o];
      out[r * l.outputs + o] = Math.max(0, a);
    }
  }
  return { data: out, rows: X.rows, cols: l.outputs };
}

/**
 * A domain classifier on the hidden layer, as an outsider would train one: logistic regression
 * (a head with no hidden layer) on the hidden rows of speakers 0–2 and 6–8, scored by balanced
 * accuracy on the other six speakers.
 */
async function domainProbe(H: Matrix, groups: Int32Array, domain: Int32Array): Promise<number> {
  const fitRow = (i: number) => groups[i] % 6 < 3;
  const { head } = await trainHead(rowsWhere(H, fitRow), Int32Array.from(domain.filter((_, i) => fitRow(i))), 2, {
    config: { hidden: [], inputDropout: 0, dropout: 0, labelSmoothing: 0, weightDecay: 0, learningRate: 0.01, maxEpochs: 60, seed: 5 },
  });
  const testRows = Array.from({ length: H.rows }, (_, i) => i).filter((i) => !fitRow(i));
  const p = head.predictProba(rowsWhere(H, (i) => !fitRow(i)));
  const recall = [0, 1].map((d) => {
    const mine = testRows.map((r, j) => [r, j]).filter(([r]) => domain[r] === d);
    return mine.filter(([, j]) => (p[2 * j + 1] > p[2 * j]) === (d === 1)).length / mine.length;
  });
  return (recall[0] + recall[1]) / 2;
}

const config = { hidden: [16], ensemble: 2, maxEpochs: 40, patience: 10 };

/** sha256 of every member's standardiser and weights, and the temperature: the model, without its settings. */
function modelHash(head: MlpHead): string {
  const json = head.toJSON();
  return createHash('sha256').update(JSON.stringify({ members: json.members, temperature: head.temperature })).digest('hex');
}

test('with adversarial 0 the model is the one trained before the option existed, domains given or not', async () => {
  const { X, y, groups, domain } = data(3);
  const source = (i: number) => domain[i] === 0;
  const [Xs, ys, gs] = [rowsWhere(X, source), Int32Array.from(y.filter((_, i) => source(i))), Int32Array.from(groups.filter((_, i) => source(i)))];
  const plain = await fitClassifier(Xs, ys, gs, 4, { config, seed: 2, workers: 1 });
  const zero = await fitClassifier(Xs, ys, gs, 4, {
    config: { ...config, adversarial: 0 },
    seed: 2,
    workers: 1,
    domains: { count: 2, ofRows: new Int32Array(Xs.rows), unlabelled: { X: rowsWhere(X, (i) => !source(i)), domains: new Int32Array(X.rows - Xs.rows).fill(1) } },
  });
  // Recorded with the trainer of commit 2e61412, before `adversarial` existed (same data, config and seed).
  assert.equal(modelHash(plain.head), GOLDEN);
  assert.equal(modelHash(zero.head), GOLDEN);
  assert.deepEqual(zero.validationProbs, plain.validationProbs);
});

test('with adversarial > 0 a domain classifier on the hidden layer tells the domains apart less well', async () => {
  const { X, y, groups, domain } = data(1);
  const source = (i: number) => domain[i] === 0;
  const [Xs, ys, gs] = [rowsWhere(X, source), Int32Array.from(y.filter((_, i) => source(i))), Int32Array.from(groups.filter((_, i) => source(i)))];
  // Trained on domain 0's labels, with domain 1's rows unlabelled beside them, as in leave-one-corpus-out.
  const domains = { count: 2, ofRows: new Int32Array(Xs.rows), unlabelled: { X: rowsWhere(X, (i) => !source(i)), domains: new Int32Array(X.rows - Xs.rows).fill(1) } };
  const probe = async (adversarial: number) => {
    // Long enough, and fast enough, for the first layer's weights to move away from their random start.
    const { head } = await fitClassifier(Xs, ys, gs, 4, { config: { ...config, maxEpochs: 60, patience: 60, learningRate: 0.01, adversarial }, seed: 2, workers: 2, domains });
    return domainProbe(hidden(head, X), groups, domain);
  };
  const [without, withAdversary] = [await probe(0), await probe(1)];
  // 75% and 64% when written; a gradient reversal with the wrong sign gives more than without.
  assert.ok(without > 0.7, `without the adversary the shift is there to see: ${without}`);
  assert.ok(withAdversary < without - 0.05, `with it the probe should fall by more than 5 points: ${withAdversary} against ${without}`);
});

test('the adversarial head refuses rows of a single domain, and a negative weight', async () => {
  const { X, y, groups } = data(1);
  await assert.rejects(fitClassifier(X, y, groups, 4, { config: { ...config, adversarial: 0.1 }, seed: 1, workers: 1 }), (e: Error & { code?: string }) => e.code === 'E_USAGE' && /two domains/.test(e.message));
  await assert.rejects(fitClassifier(X, y, groups, 4, { config: { ...config, adversarial: -1 }, seed: 1, workers: 1 }), (e: Error & { code?: string }) => e.code === 'E_USAGE' && /0 or more/.test(e.message));
});

const GOLDEN = 'f76195c9951cab79d0663c0033fb5621e38757f48276711f8fcce1f77d679407';
