import { trainHead } from './train-head.js';
import { fitTemperature, softmaxRows } from './temperature.js';
import { MlpHead, HEAD_DEFAULTS, type HeadConfig } from './mlp.js';
import type { EpochRecord } from './train-head.js';
import { groupHoldout, groupKFold } from '../datasets/splits.js';
import { takeRows } from '../util/matrix.js';
import type { Matrix } from '../types.js';

export interface FittedClassifier {
  head: MlpHead;
  /** Per-epoch history of the first member (the training curves of a report). */
  history: EpochRecord[];
  bestEpoch: number;
  /** Indices (into the X given) of rows whose probabilities were measured on held-out speakers. */
  validation: Int32Array;
  /** Calibrated probabilities on the validation rows, each from a member that did not train on them. */
  validationProbs: Float32Array;
}

/**
 * The training recipe used everywhere (train, each CV fold, the default model). Each
 * member network holds out some training speakers, early-stops on them, and its logits
 * for them are kept. With `ensemble` = E > 1 the training speakers are split E ways, so
 * every speaker is held out by exactly one member and the ensemble still learns from all.
 * A temperature (Guo et al. 2017) is then fitted on the held-out logits, so scores are
 * calibrated. The test speakers of an outer fold are never seen.
 */
export async function fitClassifier(
  X: Matrix,
  y: Int32Array,
  groups: Int32Array,
  numClasses: number,
  opts: { config?: Partial<HeadConfig>; seed: number; onEpoch?: (r: EpochRecord, member: number, members: number) => void },
): Promise<FittedClassifier> {
  const config: HeadConfig = { ...HEAD_DEFAULTS, ...opts.config, seed: opts.seed };
  const distinct = new Set(groups).size;
  const splits =
    config.ensemble > 1 && distinct >= config.ensemble
      ? groupKFold(groups, config.ensemble, { seed: opts.seed }).map((s) => ({ train: s.train, validation: s.test }))
      : [groupHoldout(groups, 0.2, opts.seed)];
  const members: MlpHead['members'] = [];
  const valRows: number[] = [];
  const valLogits: number[] = [];
  let history: EpochRecord[] = [];
  let bestEpochs = 0;
  for (const [m, split] of splits.entries()) {
    const Xval = takeRows(X, split.validation);
    const { head, history: h, bestEpoch } = await trainHead(takeRows(X, split.train), Int32Array.from(split.train, (i) => y[i]), numClasses, {
      config: { ...config, seed: opts.seed * 1000 + m },
      validation: { X: Xval, y: Int32Array.from(split.validation, (i) => y[i]) },
      onEpoch: (r) => opts.onEpoch?.(r, m + 1, splits.length),
    });
    if (m === 0) history = h;
    bestEpochs += bestEpoch;
    members.push(...head.members);
    valRows.push(...split.validation);
    valLogits.push(...head.predictLogits(Xval));
  }
  const head = new MlpHead(config, numClasses, members);
  const logits = Float32Array.from(valLogits);
  const yVal = Int32Array.from(valRows, (i) => y[i]);
  head.temperature = fitTemperature(logits, yVal, numClasses);
  return {
    head,
    history,
    bestEpoch: Math.round(bestEpochs / splits.length),
    validation: Int32Array.from(valRows),
    validationProbs: softmaxRows(logits, numClasses, head.temperature),
  };
}
