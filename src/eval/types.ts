import type { DatasetSummary } from '../datasets/dataset.js';
import type { EpochRecord } from '../model/train-head.js';

export type { EpochRecord, DatasetSummary };

/** The shape of `emovox evaluate --json` / `--save`, read back by `emovox report`. */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  confidence: number;
  accuracy: number;
}

export interface Metrics {
  n: number;
  accuracy: number;
  /** Unweighted average recall: the mean of per-class recalls (balanced accuracy). */
  uar: number;
  macroF1: number;
  perClass: ClassMetrics[];
  /** Rows are the true label, columns the predicted one, in `labels` order. */
  confusion: number[][];
  perSpeaker: { speaker: string; n: number; accuracy: number; uar: number }[];
  /** Expected calibration error over 15 equal-width confidence bins (Guo et al. 2017). */
  ece?: number;
  logLoss?: number;
  reliability?: ReliabilityBin[];
}

export interface FoldResult {
  fold: number;
  testSpeakers: string[];
  trainSize: number;
  testSize: number;
  metrics: Metrics;
  history?: EpochRecord[];
  /** Leave-one-corpus-out only: which corpus this fold held out, and over which labels. */
  heldOut?: HeldOutCorpus;
}

/**
 * One turn of leave-one-corpus-out: a model trained on `trainCorpora` and tested on
 * `corpus`. The fold's metrics are over the result's `labels`; only `labels` here have
 * test clips, and the model could answer `modelLabels`.
 */
export interface HeldOutCorpus {
  corpus: string;
  trainCorpora: string[];
  /** The labels scored: those the held-out corpus has and the training data has too. */
  labels: string[];
  /** The labels the model learnt (label policy `union`: all of the training data's). */
  modelLabels: string[];
  /** Held-out clips left out because the training data has none of their label. */
  leftOut: number;
}

export interface Protocol {
  kind: 'grouped-kfold' | 'random' | 'cross-corpus' | 'leave-one-corpus-out' | 'train';
  folds: number;
  seed: number;
  description: string;
  /** True when speakers or copies of a performance can fall on both sides. */
  leaky: boolean;
}

export interface Spread {
  mean: number;
  std: number;
  min: number;
  max: number;
}

export interface EvaluationResult {
  emovoxVersion: string;
  runtimes: Record<string, string>;
  command: string;
  createdAt: string;
  protocol: Protocol;
  /** The test data (of a cross-corpus run), or the data cross-validated. */
  dataset: DatasetSummary;
  /** Cross-corpus only: the data trained on. */
  trainDataset?: DatasetSummary;
  model: Record<string, unknown>;
  labels: string[];
  folds: FoldResult[];
  pooled?: Metrics;
  summary?: { accuracy: Spread; uar: Spread; macroF1: Spread; ece?: Spread };
  history?: EpochRecord[];
}
