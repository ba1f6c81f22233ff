import { corporaOf, type Dataset } from '../datasets/dataset.js';
import { FeatureExtractor } from '../features/extractor.js';
import { fitClassifier } from '../model/fit.js';
import { makeRecipe, DEFAULT_SEED } from '../model/recipe.js';
import { featurize } from '../model/training-set.js';
import { featurizeAugmented, withAugmentedRows } from '../model/augmented-set.js';
import { EMOTIONS } from '../types.js';
import { argmaxRows, takeRows } from '../util/matrix.js';
import { EmovoxError } from '../errors.js';
import type { CompleteEvaluation, EvaluateOptions } from './evaluate.js';
import { computeMetrics, summarizeFolds } from './metrics.js';
import { augmentationText, normalizedAugmented, normalizedFeatures, normalizationText } from './normalize.js';
import { modelSummary, provenance } from './provenance.js';
import type { FoldResult, HeldOutCorpus } from './types.js';

/**
 * Leave-one-corpus-out: for each corpus of a dataset loaded from several, train on all the
 * others and test on it, over the labels it has that the training data has too. Each fold
 * of the result is one held-out corpus (its `heldOut` says which, and over which labels),
 * with accuracy, UAR and the confusion matrix; `summary` is the spread over held-out
 * corpora (mean, sd, min, max) and `pooled` the scores over all held-out clips together.
 * Speakers never cross corpora (their ids carry the corpus), and a recording found in two
 * corpora makes the result leaky. With two corpora, each held-out corpus is the only test
 * of its direction: a setting chosen by these figures is chosen on the test.
 *
 * Label policy (`recipe.labels`): `union` (default) learns every label of the training
 * corpora, so an answer the held-out corpus lacks (calm for nEMO) counts as an error, as it
 * would for a user; `shared` learns only the held-out corpus's labels.
 * @example
 * const data = await loadDataset(['ravdess/', 'nemo/']);
 * const r = await evaluateLeaveOneCorpusOut(data, { recipe: makeRecipe({ normalize: 'speaker', labels: 'shared' }) });
 * for (const f of r.folds) console.log(f.heldOut?.corpus, f.metrics.uar);
 */
export async function evaluateLeaveOneCorpusOut(data: Dataset, opts: EvaluateOptions = {}): Promise<CompleteEvaluation> {
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new EmovoxError('E_USAGE', `the seed must be a whole number, got ${seed}`);
  const recipe = opts.recipe ?? makeRecipe();
  const policy = recipe.labels ?? 'union';
  const corpora = corporaOf(data);
  if (corpora.length < 2) {
    throw new EmovoxError('E_USAGE', `leave-one-corpus-out needs at least two corpora, got ${corpora.length} (${corpora.join('')}): load several, e.g. loadDataset(['ravdess/', 'nemo/']) or --data A --data B`);
  }
  const extractor = new FeatureExtractor(recipe, opts);
  const set = await featurizeAugmented(await featurize(data, extractor, opts), extractor, recipe.augment, seed, opts);
  const items = set.data.items;
  const X = normalizedFeatures(set, recipe);
  const augmented = normalizedAugmented(set, recipe);

  // Each turn's plan first: the result's label list is the union of what the models learn.
  const plans = corpora.map((corpus) => {
    const rows = (test: boolean): number[] => items.flatMap((it, i) => ((it.corpus === corpus) === test ? [i] : []));
    const [trainAll, testAll] = [rows(false), rows(true)];
    const has = (idx: number[]): Set<string> => new Set(idx.map((i) => items[i].label));
    const [trainHas, testHas] = [has(trainAll), has(testAll)];
    const scored = EMOTIONS.filter((l) => trainHas.has(l) && testHas.has(l));
    const modelLabels = policy === 'shared' ? scored : EMOTIONS.filter((l) => trainHas.has(l));
    const trainCorpora = corpora.filter((c) => c !== corpus);
    if (scored.length < 2 || modelLabels.length < 2) {
      throw new EmovoxError('E_BAD_DATASET', `held-out corpus ${corpus} shares ${scored.length ? `only the label ${scored.join('')}` : 'no label'} with ${trainCorpora.join(', ')}: leave-one-corpus-out needs at least two labels in common`);
    }
    const train = Int32Array.from(trainAll.filter((i) => (modelLabels as string[]).includes(items[i].label)));
    const test = Int32Array.from(testAll.filter((i) => (scored as string[]).includes(items[i].label)));
    const heldOut: HeldOutCorpus = { corpus, trainCorpora, labels: [...scored], modelLabels: [...modelLabels], leftOut: testAll.length - test.length };
    return { heldOut, train, test, testAll: Int32Array.from(testAll) };
  });
  const labels: string[] = EMOTIONS.filter((l) => plans.some((p) => p.heldOut.modelLabels.includes(l)));
  const k = labels.length;

  const folds: FoldResult[] = [];
  const yAll: number[] = [];
  const predAll: number[] = [];
  const probsAll: number[] = [];
  const speakersAll: string[] = [];
  let leaked = 0;
  for (const [f, { heldOut, train, test, testAll }] of plans.entries()) {
    const own = heldOut.modelLabels;
    // Augmented copies of the training rows only: the held-out corpus's copies are never used.
    const fit = withAugmentedRows(X, train, augmented);
    const fitted = await fitClassifier(fit.X, Int32Array.from(fit.sourceRows, (i) => own.indexOf(items[i].label)), Int32Array.from(fit.sourceRows, (i) => set.data.groups[i]), own.length, {
      config: recipe.head,
      seed: seed + f,
      onEpoch: (r) => opts.onEpoch?.(f + 1, r),
      workers: opts.workers,
      // For the adversarial head: each training row's corpus, and all the held-out corpus's recordings, unlabelled.
      ...(recipe.head.adversarial > 0 ? { domains: { count: corpora.length, ofRows: Int32Array.from(fit.sourceRows, (i) => corpora.indexOf(items[i].corpus)), unlabelled: { X: takeRows(X, testAll), domains: new Int32Array(testAll.length).fill(f) } } } : {}),
    });
    const p = fitted.head.predictProba(takeRows(X, test));
    // The model's probabilities, placed in the columns of the result's label list.
    const probs = new Float32Array(test.length * k);
    for (let j = 0; j < test.length; j++) own.forEach((l, c) => (probs[j * k + labels.indexOf(l)] = p[j * own.length + c]));
    const y = Int32Array.from(test, (i) => labels.indexOf(items[i].label));
    const pred = argmaxRows(probs, k);
    const speakers = Array.from(test, (i) => items[i].speaker);
    const metrics = computeMetrics(y, pred, labels, { speakers, probs });
    const trainPerformances = new Set(Array.from(train, (i) => items[i].performance));
    leaked += Array.from(test).filter((i) => trainPerformances.has(items[i].performance)).length;
    folds.push({ fold: f + 1, testSpeakers: [...new Set(speakers)].sort(), trainSize: train.length, testSize: test.length, metrics, history: fitted.history, heldOut });
    opts.onFold?.(f + 1, metrics);
    yAll.push(...y);
    predAll.push(...pred);
    probsAll.push(...probs);
    speakersAll.push(...speakers);
  }
  const pooled = computeMetrics(Int32Array.from(yAll), Int32Array.from(predAll), labels, { speakers: speakersAll, probs: Float32Array.from(probsAll) });
  const turns = folds.map((f) => `${f.heldOut?.corpus} (${f.testSize} clips, ${f.heldOut?.labels.length} labels)`).join(', ');
  return {
    ...provenance(opts.command),
    protocol: {
      kind: 'leave-one-corpus-out',
      folds: folds.length,
      seed,
      leaky: leaked > 0,
      description:
        `leave-one-corpus-out over ${corpora.length} corpora: each in turn (${turns}) is held out, and a model trained on all the others is tested on it, over the labels it has that they have too; ` +
        `the models learn ${policy === 'shared' ? "only the held-out corpus's labels" : 'every label of their training corpora, so an answer the held-out corpus lacks counts as an error'}. ` +
        `The spread is over held-out corpora.${corpora.length === 2 ? ' With two corpora, each held-out corpus is the only test of its direction: no setting chosen by these figures has an untouched test.' : ''}` +
        `${leaked > 0 ? ` LEAKY: ${leaked} held-out clips are copies of training recordings.` : ''}${normalizationText(recipe)}${augmentationText(recipe)}`,
    },
    dataset: set.data.summary,
    model: modelSummary(recipe, set),
    labels,
    folds,
    pooled,
    summary: summarizeFolds(folds),
    history: folds[0]?.history,
  };
}
