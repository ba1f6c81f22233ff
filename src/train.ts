import { corporaOf, restrictLabels, sharedLabels, type Dataset } from './datasets/dataset.js';
import { FeatureExtractor, type FeatureExtractorOptions, type ProcessFilesOptions } from './features/extractor.js';
import { fitClassifier } from './model/fit.js';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, type BundleConfig } from './model/bundle.js';
import { checkTrainable, makeRecipe, DEFAULT_SEED, type Recipe } from './model/recipe.js';
import { featurize } from './model/training-set.js';
import { featurizeAugmented, withAugmentedRows } from './model/augmented-set.js';
import type { EpochRecord } from './model/train-head.js';
import { computeMetrics } from './eval/metrics.js';
import { normalizedAugmented, normalizedFeatures } from './eval/normalize.js';
import type { EvaluationResult } from './eval/types.js';
import { argmaxRows } from './util/matrix.js';
import { EmovoxError } from './errors.js';
import { VERSION } from './version.js';
import { EmotionRecognizer } from './pipeline.js';

export interface TrainOptions extends FeatureExtractorOptions {
  /** How to build the model (default: the shipped model's recipe, `makeRecipe()`). */
  recipe?: Recipe;
  /** Worker threads for feature extraction and for the ensemble's members (default: one per core); the model is the same whatever the number. */
  workers?: number;
  /** A fixed seed gives the same model (default 1). */
  seed?: number;
  /** Feature extraction progress, file by file, with the error of a file that failed (it is left out). */
  onProgress?: ProcessFilesOptions['onProgress'];
  /** After each epoch of each ensemble member. */
  onEpoch?: (r: EpochRecord, member: number, members: number) => void;
  /** Cancels feature extraction (E_ABORTED). */
  signal?: AbortSignal;
  /** A cross-validation of this recipe (`crossValidate`), quoted in config.json and the model card. */
  crossValidation?: EvaluationResult;
  /** Recorded in config.json as what made the model (the CLI puts its command line here). */
  command?: string;
}

/**
 * Trains a recogniser on a dataset: features (all cores, the cache), then a standardiser
 * + MLP head early-stopped on held-out speakers, its scores calibrated on them. The
 * result classifies at once, and `save(dir)` writes it as a bundle (config.json,
 * head.json, history.json, MODEL_CARD.md) that `EmotionRecognizer.load(dir)` reads back.
 * @example
 * const data = await loadDataset('my-corpus/');
 * const rec = await train(data, { recipe: makeRecipe({ head: { ensemble: 2 } }) });
 * await rec.save('my-model/');
 */
export async function train(data: Dataset, opts: TrainOptions = {}): Promise<EmotionRecognizer> {
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new EmovoxError('E_USAGE', `the seed must be a whole number, got ${seed}`);
  const recipe = opts.recipe ?? makeRecipe();
  checkTrainable(recipe);
  if (recipe.labels === 'shared') data = restrictLabels(data, sharedLabels(data));
  if (data.labels.length < 2) throw new EmovoxError('E_BAD_DATASET', `only one label (${data.labels.join('')}) in the data: a classifier needs at least two`);
  const extractor = new FeatureExtractor(recipe, opts);
  const set = await featurizeAugmented(await featurize(data, extractor, opts), extractor, recipe.augment, seed, opts);
  const { labels, speakers } = set.data;
  // The recordings' rows, then their augmented copies (each standing for its recording).
  const fit = withAugmentedRows(normalizedFeatures(set, recipe), Int32Array.from(set.y.keys()), normalizedAugmented(set, recipe));
  const source = fit.sourceRows;
  const corpora = corporaOf(set.data);
  // The adversarial head (head.adversarial > 0) learns features that do not tell the corpora
  // apart; each augmented copy carries its recording's corpus.
  const domains = { count: corpora.length, ofRows: Int32Array.from(source, (i) => corpora.indexOf(set.data.items[i].corpus)) };
  const fitted = await fitClassifier(fit.X, Int32Array.from(source, (i) => set.y[i]), Int32Array.from(source, (i) => set.data.groups[i]), labels.length, { config: recipe.head, seed, onEpoch: opts.onEpoch, workers: opts.workers, domains });
  // Validation figures over the held-out recordings themselves, not their augmented copies.
  const k = labels.length;
  const valAt = Array.from(fitted.validation.keys()).filter((j) => fitted.validation[j] < set.X.rows);
  const valRows = Int32Array.from(valAt, (j) => fitted.validation[j]);
  const valProbs = new Float32Array(valAt.length * k);
  valAt.forEach((j, r) => valProbs.set(fitted.validationProbs.subarray(j * k, (j + 1) * k), r * k));
  const valSpeakers = Array.from(valRows, (i) => speakers[i]);
  const validation = computeMetrics(Int32Array.from(valRows, (i) => set.y[i]), argmaxRows(valProbs, k), labels, { speakers: valSpeakers, probs: valProbs });
  const summary = set.data.summary;
  const config: BundleConfig = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    emovoxVersion: VERSION,
    createdAt: new Date().toISOString(),
    sampleRate: recipe.sampleRate,
    features: recipe.features,
    ...(recipe.speakerNormalize ? { speakerNormalize: true } : {}),
    ...(recipe.augment?.length ? { augment: recipe.augment } : {}),
    featureNames: set.names,
    labels,
    head: { file: 'head.json', config: fitted.head.config, temperature: fitted.head.temperature, bestEpoch: fitted.bestEpoch },
    training: {
      corpus: summary.corpus,
      files: summary.files,
      labels: summary.labels,
      speakers: summary.speakers,
      seed,
      command: opts.command ?? 'the emovox library: train()',
      validationSpeakers: [...new Set(valSpeakers)].sort(),
      validation: { accuracy: validation.accuracy, uar: validation.uar, ece: validation.ece },
    },
    ...(opts.crossValidation ? { crossValidation: crossValidationSummary(opts.crossValidation) } : {}),
  };
  return EmotionRecognizer.fromBundle({ config, head: fitted.head }, { history: fitted.history, validation, dataset: summary, extraction: { files: set.X.rows + (set.augmented?.X.rows ?? 0), cacheHits: set.cacheHits + (set.augmented?.cacheHits ?? 0) }, crossValidation: opts.crossValidation });
}

/** What config.json and the model card quote of a cross-validation. */
function crossValidationSummary(r: EvaluationResult): Record<string, unknown> {
  return { command: r.command, protocol: r.protocol.description, ...r.summary, pooled: r.pooled ? { accuracy: r.pooled.accuracy, uar: r.pooled.uar, macroF1: r.pooled.macroF1, confusion: r.pooled.confusion } : undefined };
}
