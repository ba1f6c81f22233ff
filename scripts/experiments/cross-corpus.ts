/**
 * Cross-corpus experiments between RAVDESS actors 01–20 and the nEMO half (issue 14), on
 * emovox's own internals: scanDataset, extractDatasetFeatures (through the feature cache),
 * fitClassifier with the recipe's head, computeMetrics, speakerNormalize.
 *
 *   node --import tsx scripts/experiments/cross-corpus.ts --name NAME [--features handcrafted,embedding]
 *     [--norm none|corpus|speaker|utterance (utterance combines: utterance,speaker)]
 *     [--protocols loco,cv-ravdess,cv-nemo] [--add-other] [--balance]
 *     [--head-kind recipe|ridge] [--lambda 1000] [--head JSON] [--seed 1] [--loco-from ravdess|nemo]
 *
 * Protocols:
 * - loco: leave one corpus out. Train on all of one corpus (all its labels), test on all of
 *   the other over the labels the test corpus has that the model knows: RAVDESS → nEMO over
 *   nEMO's six (a RAVDESS model can still answer calm or disgust, and that counts as an
 *   error, as for a user), and nEMO → RAVDESS over the same six (RAVDESS's calm and disgust
 *   files left out). `restricted` also gives the scores when the answer is taken among the
 *   test corpus's labels only.
 * - cv-ravdess, cv-nemo: 5-fold cross-validation grouped by speaker on one corpus, the folds
 *   and seeds of `emovox evaluate` (groupKFold of performanceGroups, seed + fold). With
 *   --add-other, every file of the other corpus is added to every training fold.
 * Levers:
 * - --norm corpus: each corpus standardised by its own mean and standard deviation over all
 *   of its files (no labels; for the test corpus that is transductive, like speaker
 *   normalisation, and needs a batch of its files). --norm speaker: per speaker
 *   (speakerNormalize, speakers of different corpora kept apart), with the recipe's
 *   speaker-normalised head (L2 1e-3).
 * - --norm utterance: per-utterance cepstral mean and variance normalisation (utteranceCmvn).
 * - --balance: the training rows are oversampled (whole copies, then the first rows of a
 *   seeded shuffle) so that every (corpus, label) cell has as many rows as the largest.
 * Heads: `recipe` (default) is fitClassifier with the recipe's head, as `emovox evaluate`;
 * `ridge` is the screening head of ridge.ts (λ = --lambda), seconds per fit instead of minutes.
 * The result (every metric, confusion matrix and fold) is written to
 * docs/results/cross-corpus/NAME.json with the command that made it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadCorpusFeatures, type CorpusFeatures, type CorpusKey } from './corpus-features.js';
import { fitClassifier } from '../../src/model/fit.js';
import { takeRows } from '../../src/util/matrix.js';
import { recipeHead } from '../../src/model/recipe.js';
import { computeMetrics, summarizeFolds } from '../../src/eval/metrics.js';
import { groupKFold } from '../../src/datasets/splits.js';
import { speakerNormalize } from '../../src/features/speaker-norm.js';
import { utteranceCmvn } from '../../src/features/cmvn.js';
import { mulberry32, shuffleInPlace } from '../../src/util/random.js';
import { fitRidge } from './ridge.js';
import type { HeadConfig } from '../../src/model/mlp.js';
import type { FoldResult, Metrics } from '../../src/eval/types.js';
import { EMOTIONS, type Matrix } from '../../src/types.js';

const argv = process.argv.slice(2);
const flag = (n: string): boolean => argv.includes(`--${n}`);
const opt = (n: string, d: string): string => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : d);
const name = opt('name', '');
if (!name) throw new Error('give --name');
const features = opt('features', 'handcrafted,embedding');
const norms = opt('norm', 'none').split(',');
const norm = (norms.includes('speaker') ? 'speaker' : norms.includes('corpus') ? 'corpus' : 'none') as 'none' | 'corpus' | 'speaker';
const cmvn = norms.includes('utterance');
const protocols = opt('protocols', 'loco').split(',');
const seed = Number(opt('seed', '1'));
const head: Partial<HeadConfig> = { ...recipeHead(norm === 'speaker'), ...(JSON.parse(opt('head', '{}')) as Partial<HeadConfig>) };
const addOther = flag('add-other');
/** `ridge`: the screening head of ridge.ts (seconds per fit); `recipe`: fitClassifier with the recipe's head. */
const headKind = opt('head-kind', 'recipe') as 'recipe' | 'ridge';
const lambda = Number(opt('lambda', '1000'));
/** Feature columns whose names match this are dropped (e.g. '^(mfcc|dmfcc|logmel)' keeps prosody and voice quality). */
const exclude = argv.includes('--exclude') ? new RegExp(opt('exclude', '')) : null;
/** `shared`: leave-one-corpus-out trains only on the labels the test corpus has (as `emovox evaluate --train-data --test-data`). */
const trainLabels = opt('train-labels', 'all') as 'all' | 'shared';
const balance = flag('balance');
const started = process.cpuUsage();
const log = (s: string): void => void process.stderr.write(`[${name}] ${s}\n`);

/** Features after the normalisation levers. */
function normalized(c: CorpusFeatures): Matrix {
  let { names, X } = cmvn ? utteranceCmvn(c.names, c.X) : c;
  if (exclude) {
    const keep = names.flatMap((n, i) => (exclude.test(n) ? [] : [i]));
    const data = new Float32Array(X.rows * keep.length);
    for (let r = 0; r < X.rows; r++) keep.forEach((c, j) => (data[r * keep.length + j] = X.data[r * X.cols + c]));
    [names, X] = [keep.map((i) => names[i]), { data, rows: X.rows, cols: keep.length }];
  }
  if (norm === 'speaker') return speakerNormalize(X, c.speakers);
  if (norm === 'corpus') return speakerNormalize(X, c.speakers.map(() => c.corpus));
  return X;
}

interface Part {
  X: Matrix;
  labels: string[];
  groups: Int32Array;
  corpus: string[];
  speakers: string[];
}
const corpora: Record<CorpusKey, Part> = {} as Record<CorpusKey, Part>;
let groupOffset = 0;
for (const key of ['ravdess', 'nemo'] as CorpusKey[]) {
  const c = await loadCorpusFeatures(key, features, log);
  // Groups of the two corpora must not collide when they are trained on together.
  corpora[key] = { X: normalized(c), labels: c.labels, groups: c.groups.map((g) => g + groupOffset), corpus: c.labels.map(() => key), speakers: c.speakers };
  groupOffset += Math.max(...c.groups) + 1;
}

function pick(p: Part, rows: Int32Array): Part {
  return { X: takeRows(p.X, rows), labels: Array.from(rows, (i) => p.labels[i]), groups: Int32Array.from(rows, (i) => p.groups[i]), corpus: Array.from(rows, (i) => p.corpus[i]), speakers: Array.from(rows, (i) => p.speakers[i]) };
}
function concat(a: Part, b: Part): Part {
  const data = new Float32Array(a.X.data.length + b.X.data.length);
  data.set(a.X.data);
  data.set(b.X.data, a.X.data.length);
  return { X: { data, rows: a.X.rows + b.X.rows, cols: a.X.cols }, labels: [...a.labels, ...b.labels], groups: Int32Array.from([...a.groups, ...b.groups]), corpus: [...a.corpus, ...b.corpus], speakers: [...a.speakers, ...b.speakers] };
}

/** Oversampling to equal (corpus, label) cells (--balance). */
function balanced(p: Part, s: number): Part {
  if (!balance) return p;
  const cells = new Map<string, number[]>();
  p.labels.forEach((l, i) => {
    const k = `${p.corpus[i]}:${l}`;
    (cells.get(k) ?? cells.set(k, []).get(k))!.push(i);
  });
  const target = Math.max(...[...cells.values()].map((c) => c.length));
  const rand = mulberry32(s);
  const rows: number[] = [];
  for (const c of cells.values()) {
    for (let r = 0; r + c.length <= target; r += c.length) rows.push(...c);
    const shuffled = [...c];
    shuffleInPlace(shuffled, rand);
    rows.push(...shuffled.slice(0, target % c.length));
  }
  return pick(p, Int32Array.from(rows));
}

/** Trains on `train` (over its labels) and scores `test` rows whose label the model knows. */
async function trainTest(train: Part, test: Part, s: number): Promise<{ metrics: Metrics; restricted: Metrics; labels: string[]; testLabels: string[]; trainSize: number; testSize: number; bestEpoch: number }> {
  const labels: string[] = EMOTIONS.filter((e) => train.labels.includes(e));
  const known = Int32Array.from(test.labels.flatMap((l, i) => (labels.includes(l) ? [i] : [])));
  const t = pick(test, known);
  const yTrain = Int32Array.from(train.labels, (l) => labels.indexOf(l));
  const k = labels.length;
  let scores: ArrayLike<number>;
  let probs: Float32Array | undefined;
  let bestEpoch = 0;
  if (headKind === 'ridge') {
    scores = fitRidge(train.X, yTrain, k, lambda).scores(t.X);
  } else {
    const fitted = await fitClassifier(train.X, yTrain, train.groups, k, { config: head, seed: s });
    probs = fitted.head.predictProba(t.X);
    scores = probs;
    bestEpoch = fitted.bestEpoch;
  }
  const argmax = (cols: number[]): Int32Array =>
    Int32Array.from({ length: t.X.rows }, (_, r) => cols.reduce((best, c, j) => (scores[r * k + c] > scores[r * k + cols[best]] ? j : best), 0));
  const yTrue = Int32Array.from(t.labels, (l) => labels.indexOf(l));
  const metrics = computeMetrics(yTrue, argmax(labels.map((_, c) => c)), labels, { speakers: t.speakers, probs });
  // The answer among the test corpus's labels only.
  const testLabels = labels.filter((l) => t.labels.includes(l));
  const cols = testLabels.map((l) => labels.indexOf(l));
  const restricted = computeMetrics(Int32Array.from(t.labels, (l) => testLabels.indexOf(l)), argmax(cols), testLabels, { speakers: t.speakers });
  return { metrics, restricted, labels, testLabels, trainSize: train.X.rows, testSize: t.X.rows, bestEpoch };
}

const result: Record<string, unknown> = {
  name,
  command: `node --import tsx scripts/experiments/cross-corpus.ts ${argv.map((a) => (/^[\w,.:=/-]+$/.test(a) ? a : `'${a}'`)).join(' ')}`,
  createdAt: new Date().toISOString(),
  settings: { features, norm: norms, exclude: exclude?.source ?? null, trainLabels, headKind, ...(headKind === 'ridge' ? { lambda } : { head }), addOther, balance, seed, featureCount: corpora.ravdess.X.cols },
};
const pct = (x: number): string => (100 * x).toFixed(1);

if (protocols.includes('loco')) {
  const loco: Record<string, unknown> = {};
  const directions = ([['ravdess', 'nemo'], ['nemo', 'ravdess']] as [CorpusKey, CorpusKey][]).filter(([from]) => !argv.includes('--loco-from') || opt('loco-from', '') === from);
  for (const [from, to] of directions) {
    let train = corpora[from];
    if (trainLabels === 'shared') train = pick(train, Int32Array.from(train.labels.flatMap((l, i) => (corpora[to].labels.includes(l) ? [i] : []))));
    const r = await trainTest(balanced(train, seed), corpora[to], seed);
    log(`${from} → ${to}: UAR ${pct(r.metrics.uar)}%, accuracy ${pct(r.metrics.accuracy)}% (restricted to its labels: UAR ${pct(r.restricted.uar)}%)`);
    loco[`${from}->${to}`] = r;
  }
  result.loco = loco;
}

for (const home of (['ravdess', 'nemo'] as CorpusKey[]).filter((c) => protocols.includes(`cv-${c}`))) {
  const other: CorpusKey = home === 'ravdess' ? 'nemo' : 'ravdess';
  const data = corpora[home];
  const folds: FoldResult[] = [];
  let labels: string[] = [];
  for (const [f, split] of groupKFold(data.groups, 5, { seed }).entries()) {
    let train = pick(data, split.train);
    if (addOther) train = concat(train, corpora[other]);
    const r = await trainTest(balanced(train, seed + f), pick(data, split.test), seed + f);
    labels = r.labels;
    folds.push({ fold: f + 1, testSpeakers: [...new Set(Array.from(split.test, (i) => data.speakers[i]))].sort(), trainSize: r.trainSize, testSize: r.testSize, metrics: r.metrics, history: [] });
    log(`cv ${home}${addOther ? ` + all of ${other}` : ''} fold ${f + 1}: accuracy ${pct(r.metrics.accuracy)}%, UAR ${pct(r.metrics.uar)}%`);
  }
  const pooledConfusion = labels.map((_, t) => labels.map((__, p) => folds.reduce((a, fo) => a + fo.metrics.confusion[t][p], 0)));
  const summary = summarizeFolds(folds);
  log(`cv ${home}: accuracy ${pct(summary.accuracy.mean)} ± ${pct(summary.accuracy.std)}%, UAR ${pct(summary.uar.mean)}%`);
  result[`cv-${home}`] = { labels, summary, pooledConfusion, folds: folds.map(({ history: _h, ...f }) => f) };
}

const cpu = process.cpuUsage(started);
result.cpuSeconds = Math.round((cpu.user + cpu.system) / 1e6);
mkdirSync('docs/results/cross-corpus', { recursive: true });
writeFileSync(`docs/results/cross-corpus/${name}.json`, JSON.stringify(result, null, 1) + '\n');
log(`saved docs/results/cross-corpus/${name}.json (${result.cpuSeconds} s CPU)`);
