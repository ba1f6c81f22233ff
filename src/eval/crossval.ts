import { groupKFold, randomKFold } from '../datasets/splits.js';
import { computeMetrics, summarizeFolds } from './metrics.js';
import type { EpochRecord, FoldResult, Metrics, EvaluationResult } from './types.js';
import { fitClassifier } from '../model/fit.js';
import { withAugmentedRows } from '../model/augmented-set.js';
import { takeRows, argmaxRows } from '../util/matrix.js';
import type { HeadConfig } from '../model/mlp.js';
import type { Matrix } from '../types.js';

export interface CrossValidationInput {
  X: Matrix;
  y: Int32Array;
  labels: string[];
  speakers: string[];
  /** Split groups: speakers joined with copies of one performance (performanceGroups). */
  groups: Int32Array;
  /** Augmented copies of rows (training only): a fold trains on the copies of its training rows, and tests on none. */
  augmented?: { X: Matrix; source: Int32Array };
}

export interface CrossValidationOptions {
  folds: number;
  seed: number;
  protocol: 'grouped-kfold' | 'random';
  head?: Partial<HeadConfig>;
  onFold?: (fold: number, metrics: Metrics) => void;
  onEpoch?: (fold: number, r: EpochRecord) => void;
  /** Threads that train the ensemble's members (default: one per core). */
  workers?: number;
}

export type CrossValidationResult = Pick<EvaluationResult, 'folds' | 'history'> & Required<Pick<EvaluationResult, 'pooled' | 'summary'>> & {
  /** Out-of-fold class probabilities, n × labels. */
  probs: Float32Array;
};

/**
 * k-fold cross-validation. With 'grouped-kfold' no speaker (and no copy of a performance)
 * is on both sides of any fold; 'random' is the original project's leaky protocol, kept
 * only to show how much it overstates accuracy.
 */
export async function crossValidateFeatures(data: CrossValidationInput, opts: CrossValidationOptions): Promise<CrossValidationResult> {
  const n = data.X.rows;
  const k = data.labels.length;
  const splits = opts.protocol === 'random' ? randomKFold(n, opts.folds, opts.seed) : groupKFold(data.groups, opts.folds, { seed: opts.seed });
  const probs = new Float32Array(n * k);
  const folds: FoldResult[] = [];
  for (let f = 0; f < splits.length; f++) {
    const { train, test } = splits[f];
    const fit = withAugmentedRows(data.X, train, data.augmented);
    const fitted = await fitClassifier(
      fit.X,
      Int32Array.from(fit.sourceRows, (i) => data.y[i]),
      Int32Array.from(fit.sourceRows, (i) => data.groups[i]),
      k,
      { config: opts.head, seed: opts.seed + f, onEpoch: (r) => opts.onEpoch?.(f + 1, r), workers: opts.workers },
    );
    const p = fitted.head.predictProba(takeRows(data.X, test));
    test.forEach((row, j) => probs.set(p.subarray(j * k, (j + 1) * k), row * k));
    const metrics = computeMetrics(Int32Array.from(test, (i) => data.y[i]), argmaxRows(p, k), data.labels, {
      speakers: Array.from(test, (i) => data.speakers[i]),
      probs: p,
    });
    const testSpeakers = [...new Set(Array.from(test, (i) => data.speakers[i]))].sort();
    folds.push({ fold: f + 1, testSpeakers, trainSize: train.length, testSize: test.length, metrics, history: fitted.history });
    opts.onFold?.(f + 1, metrics);
  }
  const pooled = computeMetrics(data.y, argmaxRows(probs, k), data.labels, { speakers: data.speakers, probs });
  return { folds, pooled, summary: summarizeFolds(folds), history: folds[0]?.history, probs };
}

export { argmaxRows };
