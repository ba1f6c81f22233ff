import { EmovoxError } from '../errors.js';
import type { Matrix } from '../types.js';
import { standardize, type Standardizer } from './standardizer.js';
import { softmaxRows } from './temperature.js';
import { loadTf } from './tf.js';

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
 * the trained part of the pipeline. Inference runs in tfjs like training, on the weights
 * as saved in the bundle.
 */
export class MlpHead {
  temperature = 1;

  constructor(
    readonly config: HeadConfig,
    readonly numClasses: number,
    readonly members: HeadMember[],
    private readonly tf: Awaited<ReturnType<typeof loadTf>>,
  ) {}

  static async create(config: HeadConfig, numClasses: number, members: HeadMember[]): Promise<MlpHead> {
    return new MlpHead(config, numClasses, members, await loadTf());
  }

  get inputs(): number {
    return this.members[0].standardizer.mean.length;
  }

  /** Raw class scores before the temperature and softmax (members averaged), rows × classes. */
  predictLogits(X: Matrix): Float32Array {
    if (X.cols !== this.inputs) {
      throw new EmovoxError('E_MODEL', `the model expects ${this.inputs} features but got ${X.cols}: the bundle and the feature extractor disagree; retrain the model`);
    }
    const { tf } = this;
    const sum = new Float32Array(X.rows * this.numClasses);
    for (const m of this.members) {
      const Z = standardize(X, m.standardizer);
      const logits = tf.tidy(() => {
        let h = tf.tensor2d(Z.data, [Z.rows, Z.cols]);
        m.layers.forEach((l, i) => {
          h = tf.matMul(h, tf.tensor2d(l.weights, [l.inputs, l.outputs])).add(tf.tensor1d(l.bias));
          if (i < m.layers.length - 1) h = tf.relu(h);
        });
        return h.dataSync() as Float32Array;
      });
      for (let i = 0; i < sum.length; i++) sum[i] += logits[i] / this.members.length;
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

  static async fromJSON(json: HeadJson): Promise<MlpHead> {
    if (json?.kind !== 'mlp' || !Array.isArray(json.members) || json.members.length === 0) {
      throw new EmovoxError('E_MODEL', 'the head file of the bundle is not an emovox MLP: retrain the model');
    }
    const f32 = (s: string, n: number, what: string): Float32Array => {
      const buf = Buffer.from(s, 'base64');
      if (buf.length !== n * 4) throw new EmovoxError('E_MODEL', `the head file is damaged (${what} has ${buf.length / 4} values, expected ${n}): retrain the model`);
      return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
    };
    const members = json.members.map((m) => ({
      standardizer: { mean: Float32Array.from(m.standardizer.mean), std: Float32Array.from(m.standardizer.std) },
      layers: m.layers.map((l, i) => ({
        inputs: l.inputs,
        outputs: l.outputs,
        weights: f32(l.weights, l.inputs * l.outputs, `layer ${i} weights`),
        bias: f32(l.bias, l.outputs, `layer ${i} bias`),
      })),
    }));
    return MlpHead.create(json.config, json.numClasses, members);
  }
}
