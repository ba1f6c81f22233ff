import { EmovoxError } from '../errors.js';
import { selectItems, type Dataset } from '../datasets/dataset.js';
import type { FeatureExtractor, ProcessFilesOptions } from '../features/extractor.js';
import { speakerNormalize } from '../features/speaker-norm.js';
import type { FeatureConfig } from '../features/types.js';
import type { Matrix } from '../types.js';

/** Fewest clips of one speaker that speaker normalisation accepts (with one, every feature would be 0). */
export const MIN_SPEAKER_CLIPS = 2;

/** A dataset with a feature row per item: what a head is fitted on and cross-validated over. */
export interface TrainingSet {
  /** The items whose features were extracted; files that failed are in its problems. */
  data: Dataset;
  X: Matrix;
  /** Index of each item's label in `data.labels`. */
  y: Int32Array;
  names: string[];
  features: FeatureConfig;
  cacheHits: number;
  /** Channel-augmented copies of the rows (featurizeAugmented): training rows only, never tested. */
  augmented?: AugmentedRows;
}

/** Augmented copies of a training set's rows: row j is a copy of row `source[j]` under augmentation `channels[j]`. */
export interface AugmentedRows {
  X: Matrix;
  source: Int32Array;
  channels: string[];
  cacheHits: number;
}

/**
 * The feature rows of a dataset, through the extractor (all cores, the cache). A file that
 * cannot be decoded is left out and listed among the problems with its error.
 */
export async function featurize(data: Dataset, extractor: FeatureExtractor, opts: ProcessFilesOptions = {}): Promise<TrainingSet> {
  const extracted = await extractor.processFiles(data.items.map((it) => ({ path: it.path, sha256: it.sha256 })), opts);
  const kept = selectItems(data, extracted.kept, extracted.failures.map((f) => ({ code: f.error.code, files: [f.path], message: f.error.message })));
  if (kept.items.length === 0) throw new EmovoxError('E_BAD_DATASET', `none of the ${data.items.length} files could be decoded (first: ${extracted.failures[0]?.error.message})`);
  return { data: kept, X: extracted.X, y: labelIndex(kept), names: extracted.names, features: extractor.config, cacheHits: extracted.cacheHits };
}

/**
 * The features standardised per speaker. Every item needs a known speaker with several
 * clips: a file of unknown speaker would be normalised on its own and lose everything,
 * so that is refused rather than silently scored.
 */
export function speakerNormalizedFeatures(set: TrainingSet): Matrix {
  const unknown = set.data.items.filter((it) => !it.speakerKnown);
  if (unknown.length > 0) {
    throw new EmovoxError('E_BAD_DATASET', `speaker normalisation needs the speaker of every file, and ${unknown.length} file(s) have none (e.g. ${unknown[0].relPath}): give a speaker pattern or a speaker column in the CSV`);
  }
  const counts = new Map<string, number>();
  for (const s of set.data.speakers) counts.set(s, (counts.get(s) ?? 0) + 1);
  const alone = [...counts].filter(([, n]) => n < MIN_SPEAKER_CLIPS).map(([s]) => s);
  if (alone.length > 0) throw new EmovoxError('E_BAD_DATASET', `speaker normalisation needs several clips per speaker; speaker(s) ${alone.join(', ')} have fewer than ${MIN_SPEAKER_CLIPS}`);
  return speakerNormalize(set.X, set.data.speakers);
}

function labelIndex(data: Dataset): Int32Array {
  return Int32Array.from(data.items, (it) => data.labels.indexOf(it.label));
}
