/**
 * Attentive statistics pooling (Okabe et al. 2018) over the speech_embedding windows, in a
 * tfjs head, against the same network with plain mean/std pooling: does learning which
 * windows matter beat averaging them? Same folds as `emovox evaluate` (read from
 * docs/results/default.json), same handcrafted functionals, one network per fold
 * early-stopped on a fifth of the training speakers. An experiment, not part of emovox:
 *   node --import tsx scripts/experiments/dump-features.ts novad
 *   node --import tsx scripts/experiments/dump-windows.ts
 *   node --import tsx scripts/experiments/attention.ts [attention|mean] [raw|speaker]
 * It reads scratch/feat/novad.* (utterance features) and scratch/feat/win16.* (per-window
 * activations of pool2–pool4 and the final output, 960 per 760 ms window every 160 ms).
 */
import { readFileSync } from 'node:fs';
import { loadTf } from '../../src/model/tf.js';
import { groupHoldout } from '../../src/datasets/splits.js';
import { mulberry32, shuffleInPlace } from '../../src/util/random.js';

const [pooling = 'attention', mode = 'raw'] = process.argv.slice(2);
const tf = await loadTf();
const K = 8;
const PROJ = 64;
const ATT = 32;

const utt = JSON.parse(readFileSync('scratch/feat/novad.json', 'utf8'));
const uttX = new Float32Array(readFileSync('scratch/feat/novad.f32').buffer.slice(0));
const hcCols = (utt.names as string[]).flatMap((n, i) => (n.startsWith('emb_') ? [] : [i]));
const win = JSON.parse(readFileSync('scratch/feat/win16.json', 'utf8'));
const winX = new Float32Array(readFileSync('scratch/feat/win16.f32').buffer.slice(0));
const D: number = win.dim;
const where = new Map<string, number>((win.index as { file: string }[]).map((w, i) => [w.file, i]));
const offsets: number[] = [];
let o = 0;
for (const w of win.index) {
  offsets.push(o);
  o += w.windows * D;
}
const N: number = utt.rows;
const files: string[] = utt.files.map((f: string) => f.replace(/^.*ravdess-speech-16k\//, ''));
const rowOf = files.map((f) => {
  const i = where.get(f);
  if (i === undefined) throw new Error(`no windows for ${f}`);
  return i;
});
const T = Math.max(...rowOf.map((i) => win.index[i].windows));
const y = Int32Array.from(utt.y);
const speakers: string[] = utt.speakers;

// Dense arrays: handcrafted N × H, windows N × T × D (zero-padded) with a mask N × T.
const H = hcCols.length;
const hc = new Float32Array(N * H);
for (let r = 0; r < N; r++) for (let j = 0; j < H; j++) hc[r * H + j] = uttX[r * utt.cols + hcCols[j]];
const seq = new Float32Array(N * T * D);
const mask = new Float32Array(N * T);
for (let r = 0; r < N; r++) {
  const i = rowOf[r];
  const n = win.index[i].windows;
  seq.set(winX.subarray(offsets[i], offsets[i] + n * D), r * T * D);
  for (let t = 0; t < n; t++) mask[r * T + t] = 1;
}

/** Per-speaker standardisation of the handcrafted rows and of the windows (over all of a speaker's windows). */
function speakerStandardize(): void {
  for (const s of new Set(speakers)) {
    const rows = speakers.flatMap((x, r) => (x === s ? [r] : []));
    standardizeInPlace(hc, rows.map((r) => [r * H]), H);
    standardizeInPlace(seq, rows.flatMap((r) => Array.from({ length: T }, (_, t) => t).filter((t) => mask[r * T + t]).map((t) => [(r * T + t) * D])), D);
  }
}
if (mode === 'speaker') speakerStandardize();

function standardizeInPlace(a: Float32Array, starts: number[][], d: number): void {
  const { mean, std } = moments(a, starts.map(([s]) => s), d);
  for (const [s] of starts) for (let j = 0; j < d; j++) a[s + j] = (a[s + j] - mean[j]) / std[j];
}
function moments(a: Float32Array, starts: number[], d: number): { mean: Float32Array; std: Float32Array } {
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (const s of starts) for (let j = 0; j < d; j++) {
    mean[j] += a[s + j];
    sq[j] += a[s + j] ** 2;
  }
  const m = new Float32Array(d);
  const sd = new Float32Array(d);
  for (let j = 0; j < d; j++) {
    m[j] = mean[j] / starts.length;
    const v = sq[j] / starts.length - m[j] ** 2;
    sd[j] = v > 1e-10 ? Math.sqrt(v) : 1;
  }
  return { mean: m, std: sd };
}

function gather(rows: number[], stats: { hc: ReturnType<typeof moments>; win: ReturnType<typeof moments> }) {
  const h = new Float32Array(rows.length * H);
  const x = new Float32Array(rows.length * T * D);
  const m = new Float32Array(rows.length * T);
  rows.forEach((r, k) => {
    for (let j = 0; j < H; j++) h[k * H + j] = (hc[r * H + j] - stats.hc.mean[j]) / stats.hc.std[j];
    for (let t = 0; t < T; t++) {
      m[k * T + t] = mask[r * T + t];
      if (!mask[r * T + t]) continue;
      for (let j = 0; j < D; j++) x[(k * T + t) * D + j] = (seq[(r * T + t) * D + j] - stats.win.mean[j]) / stats.win.std[j];
    }
  });
  return { h, x, m, y: Int32Array.from(rows, (r) => y[r]), n: rows.length };
}

type Batch = ReturnType<typeof gather>;

async function trainAndPredict(train: number[], test: number[], seed: number): Promise<Float32Array> {
  const holdout = groupHoldout(Int32Array.from(train, (r) => Number(speakers[r])), 0.2, seed);
  const inner = Array.from(holdout.train, (i) => train[i]);
  const val = Array.from(holdout.validation, (i) => train[i]);
  const winStarts = inner.flatMap((r) => Array.from({ length: T }, (_, t) => t).filter((t) => mask[r * T + t]).map((t) => (r * T + t) * D));
  const stats = { hc: moments(hc, inner.map((r) => r * H), H), win: moments(seq, winStarts, D) };
  const [tr, va, te] = [inner, val, test].map((rows) => gather(rows, stats));
  const rand = mulberry32(seed);
  const glorot = (i: number, out: number) => tf.variable(tf.tensor2d(Float32Array.from({ length: i * out }, () => (2 * rand() - 1) * Math.sqrt(6 / (i + out))), [i, out]));
  const P = { W: glorot(D, PROJ), b: tf.variable(tf.zeros([PROJ])) };
  const A = { U: glorot(PROJ, ATT), c: tf.variable(tf.zeros([ATT])), v: glorot(ATT, 1) };
  const M1 = { W: glorot(H + 2 * PROJ, 64), b: tf.variable(tf.zeros([64])) };
  const M2 = { W: glorot(64, K), b: tf.variable(tf.zeros([K])) };
  const vars = [P.W, P.b, M1.W, M1.b, M2.W, M2.b, ...(pooling === 'attention' ? [A.U, A.c, A.v] : [])];
  const opt = tf.train.adam(1e-3);
  const forward = (b: Batch, idx: number[], training: boolean) => {
    const n = idx.length;
    const x = new Float32Array(n * T * D);
    const m = new Float32Array(n * T);
    const h = new Float32Array(n * H);
    idx.forEach((r, k) => {
      x.set(b.x.subarray(r * T * D, (r + 1) * T * D), k * T * D);
      m.set(b.m.subarray(r * T, (r + 1) * T), k * T);
      h.set(b.h.subarray(r * H, (r + 1) * H), k * H);
    });
    const drop = (t: ReturnType<typeof tf.tensor2d>, rate: number) =>
      training ? t.mul(tf.tensor2d(Float32Array.from({ length: t.size }, () => (rand() >= rate ? 1 / (1 - rate) : 0)), t.shape as [number, number])) : t;
    const proj = tf.relu(tf.matMul(drop(tf.tensor2d(x, [n * T, D]), 0.2), P.W).add(P.b)); // (n·T) × PROJ
    const mk = tf.tensor2d(m, [n, T]);
    let scores = pooling === 'attention' ? tf.matMul(tf.tanh(tf.matMul(proj, A.U).add(A.c)), A.v).reshape([n, T]) : tf.zeros([n, T]);
    scores = scores.add(mk.sub(1).mul(1e4));
    const alpha = tf.softmax(scores).reshape([n, T, 1]);
    const p3 = proj.reshape([n, T, PROJ]);
    const mean = p3.mul(alpha).sum(1);
    const std = tf.sqrt(tf.relu(p3.square().mul(alpha).sum(1).sub(mean.square())).add(1e-6));
    const z = tf.concat([drop(tf.tensor2d(h, [n, H]), 0.2), mean, std], 1) as ReturnType<typeof tf.tensor2d>;
    const hidden = drop(tf.relu(tf.matMul(z, M1.W).add(M1.b)) as ReturnType<typeof tf.tensor2d>, 0.5);
    return tf.matMul(hidden, M2.W).add(M2.b) as ReturnType<typeof tf.tensor2d>;
  };
  const targets = (b: Batch, idx: number[], smooth: number) => {
    const t = new Float32Array(idx.length * K).fill(smooth / K);
    idx.forEach((r, k) => (t[k * K + b.y[r]] += 1 - smooth));
    return tf.tensor2d(t, [idx.length, K]);
  };
  const all = (b: Batch) => Array.from({ length: b.n }, (_, i) => i);
  const logitsOf = (b: Batch) => tf.tidy(() => forward(b, all(b), false).dataSync() as Float32Array);
  const valLoss = () => tf.tidy(() => tf.losses.softmaxCrossEntropy(targets(va, all(va), 0), forward(va, all(va), false)).dataSync()[0]);
  let best = { loss: Infinity, epoch: 0, weights: vars.map((v) => v.dataSync().slice()) };
  const order = Int32Array.from(all(tr));
  for (let epoch = 1; epoch <= 200 && epoch - best.epoch < 25; epoch++) {
    shuffleInPlace(order, rand);
    for (let s = 0; s < order.length; s += 32) {
      const idx = Array.from(order.subarray(s, s + 32));
      opt.minimize(() => {
        let loss = tf.losses.softmaxCrossEntropy(targets(tr, idx, 0.1), forward(tr, idx, true));
        for (const w of [P.W, M1.W, M2.W]) loss = loss.add(tf.sum(tf.square(w)).mul(1e-4));
        return loss as ReturnType<typeof tf.scalar>;
      }, false, vars);
    }
    const l = valLoss();
    if (l < best.loss - 1e-4) best = { loss: l, epoch, weights: vars.map((v) => v.dataSync().slice()) };
  }
  vars.forEach((v, i) => v.assign(tf.tensor(best.weights[i], v.shape)));
  const out = logitsOf(te);
  vars.forEach((v) => v.dispose());
  opt.dispose();
  return out;
}

const folds: string[][] = JSON.parse(readFileSync('docs/results/default.json', 'utf8')).folds.map((f: { testSpeakers: string[] }) => f.testSpeakers);
const accs: number[] = [];
const uars: number[] = [];
for (const [f, testSpeakers] of folds.entries()) {
  const test = speakers.flatMap((s, r) => (testSpeakers.includes(s) ? [r] : []));
  const train = speakers.flatMap((s, r) => (testSpeakers.includes(s) ? [] : [r]));
  const logits = await trainAndPredict(train, test, 1000 + f);
  let correct = 0;
  const hit = new Array(K).fill(0);
  const count = new Array(K).fill(0);
  test.forEach((r, k) => {
    let arg = 0;
    for (let c = 1; c < K; c++) if (logits[k * K + c] > logits[k * K + arg]) arg = c;
    count[y[r]]++;
    if (arg === y[r]) {
      correct++;
      hit[y[r]]++;
    }
  });
  accs.push(correct / test.length);
  uars.push(hit.reduce((s, h, c) => s + h / count[c], 0) / K);
  console.log(`fold ${f + 1}: accuracy ${(100 * accs[f]).toFixed(1)}%`);
}
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const sd = (a: number[]) => Math.sqrt(a.reduce((s, v) => s + (v - mean(a)) ** 2, 0) / (a.length - 1));
console.log(`${pooling} pooling, ${mode}: accuracy ${(100 * mean(accs)).toFixed(1)} ± ${(100 * sd(accs)).toFixed(1)}%, UAR ${(100 * mean(uars)).toFixed(1)}%`);
