import type * as Tf from '@tensorflow/tfjs';
import { EmovoxError } from '../errors.js';
import type { Matrix } from '../types.js';
import { shuffleInPlace } from '../util/random.js';
import { standardize, type Standardizer } from './standardizer.js';
import { glorotUniform } from './tf.js';

/** What the adversarial head (HeadConfig.adversarial) learns not to tell apart. */
export interface DomainRows {
  /** Number of domains; a domain is an index 0 … count − 1 (e.g. a corpus). */
  count: number;
  /** The domain of each labelled training row. */
  ofRows: Int32Array;
  /** Rows without labels, each with its domain: the recordings of a held-out corpus. */
  unlabelled?: { X: Matrix; domains: Int32Array };
}

type Tf2 = Tf.Tensor2D;
type TfVar = Tf.Variable;

/**
 * The domain classifier of the adversarial head: a ReLU layer of `width` units and a softmax
 * over the domains, Glorot-uniform weights drawn from `rand`, zero biases; [W1, b1, W2, b2].
 * Checks that the domains can be told apart at all: two of them at least, one per row.
 * @example
 * const [W1, b1, W2, b2] = domainClassifier(tf, 64, { count: 2, ofRows }, rand);
 */
export function domainClassifier(tf: typeof Tf, width: number, domains: DomainRows | undefined, rand: () => number): TfVar[] {
  if (!domains || !(domains.count >= 2)) {
    throw new EmovoxError('E_USAGE', 'the adversarial head (head.adversarial > 0) needs rows of at least two domains: train on several corpora, or use it in leave-one-corpus-out evaluation, or set head.adversarial to 0');
  }
  const W1 = glorotUniform(tf, width, width, rand);
  const W2 = glorotUniform(tf, width, domains.count, rand);
  return [W1, tf.variable(tf.zeros([width])), W2, tf.variable(tf.zeros([domains.count]))];
}

/**
 * The domain classifier's cross-entropy on the hidden rows, read through a gradient-reversal
 * layer (Ganin & Lempitsky 2015, §3.2): the identity going forward, −λ times the gradient going
 * back. Minimising it trains the domain classifier to tell the domains apart while the layers
 * below it learn to make that impossible.
 * @example
 * loss = loss.add(adversarialLoss(tf, hidden, domainsOfRows, domainVars, 2, 0.1));
 */
export function adversarialLoss(tf: typeof Tf, hidden: Tf2, domains: Int32Array, vars: TfVar[], count: number, lambda: number): Tf.Scalar {
  const reverse = tf.customGrad((x) => ({ value: tf.clone(x as Tf2), gradFunc: (dy: Tf.Tensor) => dy.mul(-lambda) }));
  const [W1, b1, W2, b2] = vars;
  const u = tf.relu(tf.matMul(reverse(hidden) as Tf2, W1).add(b1));
  const logits = tf.matMul(u, W2).add(b2);
  return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(domains, 'int32'), count), logits) as Tf.Scalar;
}

/**
 * The unlabelled rows, standardised like the training rows, dealt out in a shuffled order a
 * batch at a time; the order is drawn again when fewer rows than a batch are left.
 * @example
 * const batches = unlabelledBatches(domains.unlabelled, standardizer, rand);
 * const { X, domains } = batches?.next(32) ?? {};
 */
export function unlabelledBatches(unlabelled: DomainRows['unlabelled'], standardizer: Standardizer, rand: () => number): { next: (rows: number) => { X: Float32Array; domains: Int32Array } } | undefined {
  if (!unlabelled || unlabelled.X.rows === 0) return undefined;
  const Z = standardize(unlabelled.X, standardizer);
  const order = Int32Array.from({ length: Z.rows }, (_, i) => i);
  let pos = Z.rows;
  return {
    next(rows: number) {
      const take = Math.min(rows, Z.rows);
      if (pos + take > Z.rows) {
        shuffleInPlace(order, rand);
        pos = 0;
      }
      const X = new Float32Array(take * Z.cols);
      const domains = new Int32Array(take);
      for (let j = 0; j < take; j++) {
        const r = order[pos + j];
        X.set(Z.data.subarray(r * Z.cols, (r + 1) * Z.cols), j * Z.cols);
        domains[j] = unlabelled.domains[r];
      }
      pos += take;
      return { X, domains };
    },
  };
}
