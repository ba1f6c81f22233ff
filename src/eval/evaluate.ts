import { corporaOf, restrictLabels, sharedLabels, type Dataset } from '../datasets/dataset.js';
import { FeatureExtractor, type FeatureExtractorOptions, type ProcessFilesOptions } from '../features/extractor.js';
import { fitClassifier } from '../model/fit.js';
import { makeRecipe, DEFAULT_SEED, type Recipe } from '../model/recipe.js';
import { featurize } from '../model/training-set.js';
import { featurizeAugmented, withAugmentedRows } from '../model/augmented-set.js';
import { argmaxRows } from '../util/matrix.js';
import { EmovoxError } from '../errors.js';
import { augmentationText, normalizedAugmented, normalizedFeatures, normalizationText } from './normalize.js';
import { modelSummary, provenance } from './provenance.js';
import { crossValidateFeatures } from './crossval.js';
import { computeMetrics, summarizeFolds } from './metrics.js';
import type { EpochRecord, EvaluationResult, FoldResult, Metrics } from './types.js';

export interface EvaluateOptions extends FeatureExtractorOptions {
  /** How to build and train the model (default: the shipped model's recipe, `makeRecipe()`). */
  recipe?: Recipe;
  /** Random seed for the folds, initialisation and shuffling (default 1). */
  seed?: number;
  /** Feature extraction progress, file by file, with the error of a file that failed (it is left out). */
  onProgress?: ProcessFilesOptions['onProgress'];
  onFold?: (fold: number, metrics: Metrics) => void;
  onEpoch?: (fold: number, r: EpochRecord) => void;
  /** Cancels feature extraction (E_ABORTED). */
  signal?: AbortSignal;
  /** Recorded in the result as what produced it (the CLI puts its command line here). */
  command?: string;
}

/** A result just computed: unlike one read back from an old file, it always has the pooled metrics and the spread over folds. */
export type CompleteEvaluation = EvaluationResult & Required<Pick<EvaluationResult, 'pooled' | 'summary'>>;

export interface CrossValidateOptions extends EvaluateOptions {
  /** Number of folds (default 5). */
  folds?: number;
  /**
   * 'grouped' (default): no speaker, and no copy of a performance, is on both sides of a
   * fold. 'random': the original Python project's leaky split, flagged as such.
   */
  protocol?: 'grouped' | 'random';
}

/**
 * k-fold cross-validation of a recipe on a dataset, grouped by speaker unless told
 * otherwise: the full result that `emovox evaluate --save` writes (accuracy, UAR,
 * macro-F1, confusion matrix, per-speaker accuracy, calibration, every fold).
 * @example
 * const result = await crossValidate(await loadDataset('ravdess/'), { folds: 5 });
 * console.log(result.summary?.uar.mean, result.pooled?.confusion);
 */
export async function crossValidate(data: Dataset, opts: CrossValidateOptions = {}): Promise<CompleteEvaluation> {
  const folds = opts.folds ?? 5;
  const seed = opts.seed ?? DEFAULT_SEED;
  const protocol = opts.protocol ?? 'grouped';
  if (!Number.isInteger(folds) || folds < 2) throw new EmovoxError('E_USAGE', `the number of folds must be a whole number ≥ 2, got ${folds}`);
  if (!Number.isInteger(seed)) throw new EmovoxError('E_USAGE', `the seed must be a whole number, got ${seed}`);
  if (protocol !== 'grouped' && protocol !== 'random') throw new EmovoxError('E_USAGE', `the protocol must be grouped or random, got ${String(protocol)}`);
  const recipe = opts.recipe ?? makeRecipe();
  // Label policy `shared` over several corpora: only the labels every corpus has.
  const shared = recipe.labels === 'shared' && corporaOf(data).length > 1 ? sharedLabels(data) : null;
  if (shared && shared.length < 2) throw new EmovoxError('E_BAD_DATASET', `the corpora share ${shared.length ? `only the label ${shared[0]}` : 'no label'}: labels "shared" needs at least two`);
  const extractor = new FeatureExtractor(recipe, opts);
  const set = await featurizeAugmented(await featurize(shared ? restrictLabels(data, shared) : data, extractor, opts), extractor, recipe.augment, seed, opts);
  const kind = protocol === 'random' ? 'random' : 'grouped-kfold';
  const cv = await crossValidateFeatures(
    { X: normalizedFeatures(set, recipe), y: set.y, labels: set.data.labels, speakers: set.data.speakers, groups: set.data.groups, augmented: normalizedAugmented(set, recipe) },
    { folds, seed, protocol: kind, head: recipe.head, onFold: opts.onFold, onEpoch: opts.onEpoch, workers: opts.workers },
  );
  return {
    ...provenance(opts.command),
    protocol: {
      kind,
      folds,
      seed,
      leaky: kind === 'random',
      description:
        kind === 'random'
          ? `${folds}-fold cross-validation over randomly shuffled files, ignoring speakers: the original project's protocol. LEAKY: the same speakers and copies of one performance fall on both sides.`
          : `${folds}-fold cross-validation grouped by speaker: no speaker, and no copy of a performance, is in both the training and the test side of a fold.${shared ? ` Only the labels every corpus has (${shared.join(', ')}).` : ''}${normalizationText(recipe)}${augmentationText(recipe)}`,
    },
    dataset: set.data.summary,
    model: modelSummary(recipe, set),
    labels: set.data.labels,
    folds: cv.folds,
    pooled: cv.pooled,
    summary: cv.summary,
    history: cv.history,
  };
}

/**
 * Train on one corpus and test on another, over the labels they share: how well the
 * recipe carries to other speakers, sentences, languages and studios. The model learns
 * the shared labels only, unless the recipe's label policy is `union` (then it learns all
 * of the training corpus's, and an answer the test corpus lacks counts as an error). If
 * the two share a recording (same bytes or same performance) or, within one corpus, a
 * speaker, the result is marked leaky.
 * @example
 * const result = await evaluateCrossCorpus(await loadDataset('ravdess/'), await loadDataset('nemo/'));
 */
export async function evaluateCrossCorpus(trainData: Dataset, testData: Dataset, opts: EvaluateOptions = {}): Promise<CompleteEvaluation> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const recipe = opts.recipe ?? makeRecipe();
  const labels = trainData.labels.filter((l) => testData.labels.includes(l));
  if (labels.length < 2) {
    throw new EmovoxError('E_BAD_DATASET', `the two corpora share ${labels.length ? `only the label ${labels[0]}` : 'no label'} (train: ${trainData.labels.join(', ')}; test: ${testData.labels.join(', ')}): a cross-corpus test needs at least two`);
  }
  const modelLabels = recipe.labels === 'union' ? trainData.labels : labels;
  const extractor = new FeatureExtractor(recipe, opts);
  const train = await featurizeAugmented(await featurize(restrictLabels(trainData, modelLabels), extractor, opts), extractor, recipe.augment, seed, opts);
  const test = await featurize(restrictLabels(testData, labels), extractor, opts);
  const shared = (key: (it: Dataset['items'][number]) => string): number => {
    const seen = new Set(train.data.items.map(key));
    return test.data.items.filter((it) => seen.has(key(it))).length;
  };
  const overlap = shared((it) => it.sha256) + shared((it) => it.performance) + shared((it) => (it.speakerKnown ? `${it.corpus}/${it.speaker}` : `unknown:${it.path}`));
  const fit = withAugmentedRows(normalizedFeatures(train, recipe), Int32Array.from(train.y.keys()), normalizedAugmented(train, recipe));
  const fitted = await fitClassifier(fit.X, Int32Array.from(fit.sourceRows, (i) => train.y[i]), Int32Array.from(fit.sourceRows, (i) => train.data.groups[i]), modelLabels.length, { config: recipe.head, seed, onEpoch: (r) => opts.onEpoch?.(1, r), workers: opts.workers });
  const probs = fitted.head.predictProba(normalizedFeatures(test, recipe));
  // Test labels the training side lacks are left out above; the test side's y indexes its
  // own labels, a subset of the model's (both in the order of the eight).
  const yTest = Int32Array.from(test.y, (j) => modelLabels.indexOf(test.data.labels[j]));
  const metrics = computeMetrics(yTest, argmaxRows(probs, modelLabels.length), modelLabels, { speakers: test.data.speakers, probs });
  opts.onFold?.(1, metrics);
  const folds: FoldResult[] = [{ fold: 1, testSpeakers: [...new Set(test.data.speakers)].sort(), trainSize: train.X.rows, testSize: test.X.rows, metrics, history: fitted.history }];
  const [trainName, testName] = [train.data.summary, test.data.summary].map((s) => `${s.root} (${s.corpus})`);
  return {
    ...provenance(opts.command),
    protocol: {
      kind: 'cross-corpus',
      folds: 1,
      seed,
      leaky: overlap > 0,
      description: `cross-corpus: trained on ${trainName}${modelLabels.length > labels.length ? ` over all of its ${modelLabels.length} labels` : ''}, tested on ${testName}, over the ${labels.length} labels both have.${overlap > 0 ? ' LEAKY: the two share recordings, performances or speakers.' : ''}${normalizationText(recipe)}${augmentationText(recipe)}`,
    },
    dataset: test.data.summary,
    trainDataset: train.data.summary,
    model: modelSummary(recipe, train),
    labels: modelLabels,
    folds,
    pooled: metrics,
    summary: summarizeFolds(folds),
    history: fitted.history,
  };
}

