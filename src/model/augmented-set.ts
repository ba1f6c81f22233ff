import { augmentationSpec, type Augmentation } from '../audio/augment-spec.js';
import type { FeatureExtractor, ProcessFilesOptions } from '../features/extractor.js';
import type { Matrix } from '../types.js';
import { concatRows, takeRows } from '../util/matrix.js';
import type { TrainingSet } from './training-set.js';

/**
 * A training set with channel-augmented copies of its rows: for each augmentation, one copy
 * of every file whose features were extracted, drawn from `seed` and the file's content
 * (augmentationSpec), extracted by the same extractor and cached under the file and the
 * spec. A copy that fails is left out (its original stays). The copies are kept apart from
 * the rows (`set.augmented`): evaluation trains on the copies of its training rows only
 * (withAugmentedRows) and never tests on a copy.
 * @example
 * const set = await featurizeAugmented(await featurize(data, extractor), extractor, ['telephone', 'noise'], 1);
 */
export async function featurizeAugmented(set: TrainingSet, extractor: FeatureExtractor, augment: readonly Augmentation[] | undefined, seed: number, opts: ProcessFilesOptions = {}): Promise<TrainingSet> {
  if (!augment?.length) return set;
  const items = set.data.items;
  const copies = augment.flatMap((kind) => items.map((it, i) => ({ kind, source: i, ref: { path: it.path, sha256: it.sha256, augment: augmentationSpec(kind, it.sha256, seed) } })));
  const extracted = await extractor.processFiles(copies.map((c) => c.ref), opts);
  const kept = Array.from(extracted.kept, (k) => copies[k]);
  return {
    ...set,
    augmented: { X: extracted.X.rows ? extracted.X : { data: new Float32Array(0), rows: 0, cols: set.X.cols }, source: Int32Array.from(kept, (c) => c.source), channels: kept.map((c) => c.kind), cacheHits: extracted.cacheHits },
  };
}

/**
 * The feature rows `rows` of X followed by the augmented copies (rows of `augmented.X`) of
 * exactly those rows, and for each the row of the set it stands for (its label, speaker and
 * split group are its original's). A copy of a row that is not in `rows`, e.g. of a test
 * file, is never included: a copy goes only where its original goes, and only into training.
 * @example
 * const t = withAugmentedRows(X, trainRows, { X: Xaug, source: set.augmented.source });
 * fitClassifier(t.X, Int32Array.from(t.sourceRows, (i) => y[i]), …);
 */
export function withAugmentedRows(X: Matrix, rows: Int32Array, augmented?: { X: Matrix; source: Int32Array }): { X: Matrix; sourceRows: Int32Array } {
  if (!augmented || augmented.X.rows === 0) return { X: takeRows(X, rows), sourceRows: rows };
  const inRows = new Set(rows);
  const copies = Int32Array.from(augmented.source.keys()).filter((j) => inRows.has(augmented.source[j]));
  const a = takeRows(X, rows);
  const b = takeRows(augmented.X, copies);
  return { X: { data: concatRows(a.data, b.data), rows: a.rows + b.rows, cols: X.cols }, sourceRows: Int32Array.from([...rows, ...Array.from(copies, (j) => augmented.source[j])]) };
}
