import { join } from 'node:path';
import { loadAudio } from './audio/index.js';
import { extractFeatures, type FeatureVector } from './features/frontends.js';
import { loadBundle, type BundleConfig } from './model/bundle.js';
import type { MlpHead } from './model/index.js';
import { PACKAGE_ROOT } from './paths.js';
import { EmovoxError } from './errors.js';
import type { AudioSignal, Prediction } from './types.js';

/** The model that ships in the package, trained on RAVDESS actors 01–20 (CC BY-NC-SA 4.0). */
export const DEFAULT_MODEL_DIR = join(PACKAGE_ROOT, 'models', 'default');

/** A path to any audio/video file, its encoded bytes, or decoded samples at any rate. */
export type AudioInput = string | Uint8Array | AudioSignal;

export interface ClassifyOptions {
  /** Return only the k best labels (default: all, sorted by score). */
  topK?: number;
  /** Refuse inputs longer than this (E_TOO_LONG). Default 600 s. */
  maxDurationSec?: number;
}

export const DEFAULT_MAX_DURATION_SEC = 600;

/**
 * The one pipeline: decode → resample to the bundle's rate → voice activity →
 * front-ends → head → sorted `[{ label, score }]`. Training and evaluation build the
 * same feature vectors through `extractFeatures`, so the two cannot differ.
 */
export class EmotionRecognizer {
  readonly config: BundleConfig;
  private readonly head: MlpHead;

  private constructor(config: BundleConfig, head: MlpHead) {
    this.config = config;
    this.head = head;
  }

  /** Loads a bundle (default: the shipped model) and rebuilds the pipeline it was trained with. */
  static async load(dir: string = DEFAULT_MODEL_DIR): Promise<EmotionRecognizer> {
    const { config, head } = await loadBundle(dir);
    return new EmotionRecognizer(config, head);
  }

  get labels(): string[] {
    return this.config.labels;
  }

  /** Decodes and resamples exactly as training did. */
  async prepare(input: AudioInput, opts: ClassifyOptions = {}): Promise<Float32Array> {
    return loadAudio(input, { sampleRate: this.config.sampleRate, maxDurationSec: opts.maxDurationSec ?? DEFAULT_MAX_DURATION_SEC });
  }

  /** The utterance feature vector the head sees, checked against the bundle's feature names. */
  async features(samples: Float32Array): Promise<FeatureVector> {
    const vector = await extractFeatures(samples, this.config.features);
    if (vector.values.length !== this.config.featureNames.length) {
      throw new EmovoxError('E_MODEL', `the pipeline produced ${vector.values.length} features but the model expects ${this.config.featureNames.length}: the bundle was made by another emovox version; retrain it`);
    }
    return vector;
  }

  /** Probabilities over `labels` (in label order) for each row of standardised-inside features. */
  probabilities(values: Float32Array, rows = 1): Float32Array {
    return this.head.predictProba({ data: values, rows, cols: this.config.featureNames.length });
  }

  /** The emotion of one recording: all labels (or the top k), sorted by score, summing to 1. */
  async classify(input: AudioInput, opts: ClassifyOptions = {}): Promise<Prediction[]> {
    const samples = await this.prepare(input, opts);
    const { values } = await this.features(samples);
    return toPredictions(this.probabilities(values), this.labels, opts.topK);
  }
}

export function toPredictions(probs: Float32Array, labels: string[], topK?: number): Prediction[] {
  const out = labels.map((label, i) => ({ label, score: probs[i] }));
  out.sort((a, b) => b.score - a.score);
  return topK && topK > 0 ? out.slice(0, topK) : out;
}
