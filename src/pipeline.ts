import { join } from 'node:path';
import { loadAudio } from './audio/index.js';
import { extractFeatures, type FeatureVector } from './features/frontends.js';
import { loadBundle, type BundleConfig } from './model/bundle.js';
import type { MlpHead } from './model/index.js';
import { PACKAGE_ROOT } from './paths.js';
import { EmovoxError } from './errors.js';
import { speakerNormalize } from './features/speaker-norm.js';
import type { AudioSignal, Prediction } from './types.js';

/** The model that ships in the package, trained on RAVDESS actors 01–20 (CC BY-NC-SA 4.0). */
export const DEFAULT_MODEL_DIR = join(PACKAGE_ROOT, 'models', 'default');
/** The same recipe trained on features standardised per speaker (see `classifySpeaker`). */
export const SPEAKER_NORMALIZED_MODEL_DIR = join(PACKAGE_ROOT, 'models', 'speaker-normalized');

/** Fewest clips of one speaker that speaker normalisation accepts (with one, every feature would be 0). */
export const MIN_SPEAKER_CLIPS = 2;

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

  /** True when the bundle was trained on features standardised per speaker. */
  get speakerNormalized(): boolean {
    return this.config.speakerNormalize === true;
  }

  /** The emotion of one recording: all labels (or the top k), sorted by score, summing to 1. */
  async classify(input: AudioInput, opts: ClassifyOptions = {}): Promise<Prediction[]> {
    if (this.speakerNormalized) {
      throw new EmovoxError('E_USAGE', 'this model was trained on features standardised per speaker: give it several clips of one speaker with classifySpeaker(), or use a model trained without --speaker-normalize');
    }
    const samples = await this.prepare(input, opts);
    const { values } = await this.features(samples);
    return toPredictions(this.probabilities(values), this.labels, opts.topK);
  }

  /**
   * The emotions of several recordings of one speaker, with the features standardised
   * over those recordings first (no labels needed). Needs a bundle trained with
   * `--speaker-normalize`, and the more clips the better: they should cover more than
   * one emotion, or the speaker's own mean will hide it.
   */
  async classifySpeaker(inputs: AudioInput[], opts: ClassifyOptions = {}): Promise<Prediction[][]> {
    const vectors: Float32Array[] = [];
    for (const input of inputs) vectors.push((await this.features(await this.prepare(input, opts))).values);
    return this.classifySpeakerFeatures(vectors, opts.topK);
  }

  /** `classifySpeaker` on feature vectors already made by `features()`. */
  classifySpeakerFeatures(vectors: Float32Array[], topK?: number): Prediction[][] {
    if (!this.speakerNormalized) {
      throw new EmovoxError('E_USAGE', 'this model was trained without speaker normalisation: use classify(), or a model trained with --speaker-normalize (the shipped one is models/speaker-normalized)');
    }
    if (vectors.length < MIN_SPEAKER_CLIPS) {
      throw new EmovoxError('E_USAGE', `speaker normalisation needs at least ${MIN_SPEAKER_CLIPS} clips of each speaker, got ${vectors.length}: give more clips of this speaker, or predict without it`);
    }
    const cols = this.config.featureNames.length;
    const data = new Float32Array(vectors.length * cols);
    vectors.forEach((v, i) => data.set(v, i * cols));
    const normalized = speakerNormalize({ data, rows: vectors.length, cols }, vectors.map(() => 'speaker'));
    const probs = this.probabilities(normalized.data, vectors.length);
    const k = this.labels.length;
    return vectors.map((_, i) => toPredictions(probs.subarray(i * k, (i + 1) * k), this.labels, topK));
  }
}

export function toPredictions(probs: Float32Array, labels: string[], topK?: number): Prediction[] {
  const out = labels.map((label, i) => ({ label, score: probs[i] }));
  out.sort((a, b) => b.score - a.score);
  return topK && topK > 0 ? out.slice(0, topK) : out;
}
