import { EmovoxError } from '../errors.js';
import type { Matrix } from '../types.js';
import { standardize, type Standardizer } from './standardizer.js';
import { softmaxRows } from './temperature.js';

/** Every setting of the head, saved in the bundle; `emovox train` fills the defaults. */
export interface HeadConfig {
  /** Widths of the hidden ReLU layers. */
  hidden: number[];
  /** Dropout on the standardised input features, and after each hidden layer. */
  inputDropout: number;
  dropout: number;
  learningRate: number;
  /** L2 penalty on the weight matrices (not the biases). */
  weightDecay: number;
  /** Target mass spread evenly over all classes (Szegedy et al. 2016). */
  labelSmoothing: number;
  /** Beta(α, α) mixup of pairs of training rows (Zhang et al. 2018); 0 turns it off. */
  mixup: number;
  batchSize: number;
  maxEpochs: number;
  /** Stop when the validation loss has not improved for this many epochs; keep the best. */
  patience: number;
  /**
   * Networks trained on a speaker-grouped split of the training data, each early-stopped
   * on its own held-out speakers; their logits are averaged. 1 holds out a fifth of the speakers once.
   */
  ensemble: number;
  seed: number;
  /**
   * Weight λ of the domain-adversarial loss (DANN: Ganin & Lempitsky 2015; Ganin et al. 2016,
   * JMLR 17(59)). A domain classifier (one ReLU layer as wide as the last hidden layer, then a
   * softmax over the domains) reads the last hidden layer through a gradient-reversal layer:
   * it learns to tell the corpora apart, and the hidden layer gets −λ times its gradient, so
   * it learns features that do not. Needs rows of at least two domains (fitClassifier's
   * `domains`: the training corpora, and the unlabelled recordings of a held-out one).
   * 0 (the default) trains exactly the head trained without it.
   */
  adversarial: number;
}

export const HEAD_DEFAULTS: HeadConfig = {
  hidden: [256],
  inputDropout: 0.2,
  dropout: 0.5,
  learningRate: 1e-3,
  weightDecay: 1e-4,
  labelSmoothing: 0.1,
  mixup: 0,
  batchSize: 32,
  maxEpochs: 200,
  patience: 25,
  ensemble: 1,
  seed: 1,
  adversarial: 0,
};

export interface DenseLayer {
  inputs: number;
  outputs: number;
  /** Row-major inputs × outputs. */
  weights: Float32Array;
  bias: Float32Array;
}

/** One trained network with the standardiser fitted on its own training rows. */
export interface HeadMember {
  standardizer: Standardizer;
  layers: DenseLayer[];
}

interface MemberJson {
  standardizer: { mean: number[]; std: number[] };
  layers: { inputs: number; outputs: number; weights: string; bias: string }[];
}

interface HeadJson {
  kind: 'mlp';
  config: HeadConfig;
  numClasses: number;
  members: MemberJson[];
}

/**
 * Standardiser + multilayer perceptron, or an ensemble of them whose logits are averaged:
 * the trained part of the pipeline. Training runs in tfjs; inference is a few dense
 * layers in plain TypeScript over the saved weights, so predicting never loads tfjs
 * (its start-up is most of a cold `emovox predict`).
 */
export class MlpHead {
  temperature = 1;

  constructor(
    readonly config: HeadConfig,
    readonly numClasses: number,
    readonly members: HeadMember[],
  ) {}

  get inputs(): number {
    return this.members[0].standardizer.mean.length;
  }

  /** Raw class scores before the temperature and softmax (members averaged), rows × classes. */
  predictLogits(X: Matrix): Float32Array {
    if (X.cols !== this.inputs) {
      throw new EmovoxError('E_MODEL', `the model expects ${this.inputs} features but got ${X.cols}: the bundle and the feature extractor disagree; retrain the model`);
    }
    const sum = new Float32Array(X.rows * this.numClasses);
    for (const m of this.members) {
      let h = standardize(X, m.standardizer);
      m.layers.forEach((l, i) => {
        h = dense(h, l, i < m.layers.length - 1);
      });
      for (let i = 0; i < sum.length; i++) sum[i] += h.data[i] / this.members.length;
    }
    return sum;
  }

  /** Calibrated class probabilities, rows × classes; each row sums to 1. */
  predictProba(X: Matrix): Float32Array {
    return softmaxRows(this.predictLogits(X), this.numClasses, this.temperature);
  }

  toJSON(): HeadJson {
    const b64 = (a: Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
    return {
      kind: 'mlp',
      config: this.config,
      numClasses: this.numClasses,
      members: this.members.map((m) => ({
        standardizer: { mean: Array.from(m.standardizer.mean), std: Array.from(m.standardizer.std) },
        layers: m.layers.map((l) => ({ inputs: l.inputs, outputs: l.outputs, weights: b64(l.weights), bias: b64(l.bias) })),
      })),
    };
  }

  static fromJSON(json: HeadJson): MlpHead {
    if (json?.kind !== 'mlp' || !Array.isArray(json.members) || json.members.length === 0) {
      throw new EmovoxError('E_MODEL', 'the head file of the bundle is not an emovox MLP: retrain the model');
    }
    const f32 = (s: string, n: number, what: string): Float32Array => {
      if (typeof s !== 'string' || !(n > 0)) damaged(`${what} are missing`);
      const buf = Buffer.from(s, 'base64');
      if (buf.length !== n * 4) throw new EmovoxError('E_MODEL', `the head file is damaged (${what} has ${buf.length / 4} values, expected ${n}): retrain the model`);
      return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
    };
    const damaged = (what: string): never => {
      throw new EmovoxError('E_MODEL', `the head file is damaged (${what}): retrain the model`);
    };
    const members = json.members.map((m, k) => {
      if (!Array.isArray(m?.standardizer?.mean) || !Array.isArray(m.standardizer.std) || !Array.isArray(m.layers) || m.layers.length === 0) damaged(`member ${k} is incomplete`);
      const inputs = m.standardizer.mean.length;
      const layers = m.layers.map((l, i) => ({
        inputs: l.inputs,
        outputs: l.outputs,
        weights: f32(l.weights, l.inputs * l.outputs, `layer ${i} weights`),
        bias: f32(l.bias, l.outputs, `layer ${i} bias`),
      }));
      // Each layer must take what the one before gives, from the features to the classes.
      layers.forEach((l, i) => l.inputs !== (i === 0 ? inputs : layers[i - 1].outputs) && damaged(`member ${k} layer ${i} takes ${l.inputs} inputs`));
      if (layers[layers.length - 1].outputs !== json.numClasses || m.standardizer.std.length !== inputs) damaged(`member ${k} does not give ${json.numClasses} classes`);
      return { standardizer: { mean: Float32Array.from(m.standardizer.mean), std: Float32Array.from(m.standardizer.std) }, layers };
    });
    if (members.some((m) => m.standardizer.mean.length !== members[0].standardizer.mean.length)) damaged('its members take different numbers of features');
    return new MlpHead(json.config, json.numClasses, members);
  }
}

/** x·W + b for each row, then ReLU if `relu`. Sums in float64: the result differs from tfjs's float32 only in the last bits. */
function dense(X: Matrix, l: DenseLayer, relu: boolean): Matrix {
  const out = new Float32Array(X.rows * l.outputs);
  const acc = new Float64Array(l.outputs);
  for (let r = 0; r < X.rows; r++) {
    acc.set(l.bias);
    const row = r * X.cols;
    for (let i = 0; i < l.inputs; i++) {
      const x = X.data[row + i];
      if (x === 0) continue;
      const w = i * l.outputs;
      for (let o = 0; o < l.outputs; o++) acc[o] += x * l.weights[w + o];
    }
    for (let o = 0; o < l.outputs; o++) out[r * l.outputs + o] = relu && acc[o] < 0 ? 0 : acc[o];
  }
  return { data: out, rows: X.rows, cols: l.outputs };
}
