import { join } from 'node:path';
import { loadAudio } from './audio/decode.js';
import { extractFeatures } from './features/frontends.js';
import { FeatureExtractor } from './features/extractor.js';
import type { FeatureVector } from './features/types.js';
import { speakerNormalize } from './features/speaker-norm.js';
import { loadBundle, recipeOf, saveBundle, type Bundle, type BundleConfig } from './model/bundle.js';
import type { MlpHead } from './model/mlp.js';
import { modelCard } from './model/model-card.js';
import type { Recipe } from './model/recipe.js';
import { MIN_SPEAKER_CLIPS } from './model/training-set.js';
import type { EpochRecord } from './model/train-head.js';
import type { DatasetSummary } from './datasets/dataset.js';
import type { EvaluationResult, Metrics } from './eval/types.js';
import { PACKAGE_ROOT } from './paths.js';
import { EmovoxError, toEmovoxError } from './errors.js';
import { stackRows } from './util/matrix.js';
import type { AudioSignal, Prediction } from './types.js';

export { MIN_SPEAKER_CLIPS };

/** The model that ships in the package, trained on RAVDESS actors 01–20 (CC BY-NC-SA 4.0). */
export const DEFAULT_MODEL_DIR = join(PACKAGE_ROOT, 'models', 'default');
/** The same recipe trained on features standardised per speaker (see `classifySpeaker`). */
export const SPEAKER_NORMALIZED_MODEL_DIR = join(PACKAGE_ROOT, 'models', 'speaker-normalized');

/** A path to any audio/video file, its encoded bytes, or decoded samples at any rate. */
export type AudioInput = string | Uint8Array | AudioSignal;

export interface ClassifyOptions {
  /** Return only the k best labels (default: all, sorted by score). */
  topK?: number;
  /** Refuse inputs longer than this (E_TOO_LONG). Default 600 s. */
  maxDurationSec?: number;
}

export interface BatchOptions extends ClassifyOptions {
  /** Worker threads for decoding and features (default: one per core; 1 works in this thread). */
  workers?: number;
  /** Yield in the order of the inputs instead of as each completes (the work still overlaps). */
  ordered?: boolean;
  /** Stops the batch: the iteration throws E_ABORTED. */
  signal?: AbortSignal;
}

/** One input's outcome in a batch: its predictions, or the typed error that stopped it. */
export type BatchResult = { index: number; input: AudioInput; predictions: Prediction[] } | { index: number; input: AudioInput; error: EmovoxError };

/** What `train` knows about a model it has just made, beyond config.json. */
export interface TrainingInfo {
  history: EpochRecord[];
  /** Scores on the held-out speakers that chose the stopping epoch and the temperature (optimistic). */
  validation: Metrics;
  dataset: DatasetSummary;
  /** Files whose features were extracted, and how many of those came from the cache. */
  extraction: { files: number; cacheHits: number };
  crossValidation?: EvaluationResult;
}

export const DEFAULT_MAX_DURATION_SEC = 600;

/**
 * The one pipeline: decode → resample to the bundle's rate → (voice activity) →
 * front-ends → head → sorted `[{ label, score }]`. Training and evaluation build the
 * same feature vectors through the same `FeatureExtractor`, so the two cannot differ.
 * @example
 * const rec = await EmotionRecognizer.load();
 * console.log(await rec.classify('clip.wav', { topK: 3 })); // [{ label: 'angry', score: 0.81 }, …]
 */
export class EmotionRecognizer {
  readonly config: BundleConfig;
  /** Set on a recogniser that `train` has just made; a loaded one has none. */
  readonly training?: TrainingInfo;
  private readonly head: MlpHead;

  private constructor(bundle: Bundle, training?: TrainingInfo) {
    this.config = bundle.config;
    this.head = bundle.head;
    this.training = training;
  }

  /** Loads a bundle (default: the shipped model), checks it whole, and rebuilds the pipeline it was trained with. */
  static async load(dir: string = DEFAULT_MODEL_DIR): Promise<EmotionRecognizer> {
    return new EmotionRecognizer(await loadBundle(dir));
  }

  /** A recogniser over a bundle held in memory (what `train` returns). */
  static fromBundle(bundle: Bundle, training?: TrainingInfo): EmotionRecognizer {
    return new EmotionRecognizer(bundle, training);
  }

  /**
   * Writes the bundle: config.json, head.json, MODEL_CARD.md, and history.json when the
   * model was trained in this process.
   */
  async save(dir: string): Promise<void> {
    await saveBundle(dir, { config: this.config, head: this.head }, { history: this.training?.history, modelCard: modelCard(this.config) });
  }

  get labels(): string[] {
    return this.config.labels;
  }

  /** The recipe this model was made with, as `train` takes it. */
  get recipe(): Recipe {
    return recipeOf(this.config);
  }

  /** True when the bundle was trained on features standardised per speaker. */
  get speakerNormalized(): boolean {
    return this.config.speakerNormalize === true;
  }

  /** Decodes and resamples exactly as training did. */
  async prepare(input: AudioInput, opts: ClassifyOptions = {}): Promise<Float32Array> {
    checkInput(input);
    return loadAudio(input, { sampleRate: this.config.sampleRate, maxDurationSec: opts.maxDurationSec ?? DEFAULT_MAX_DURATION_SEC });
  }

  /** The utterance feature vector the head sees, checked against the bundle's feature names. */
  async features(samples: Float32Array): Promise<FeatureVector> {
    return this.checkFeatures(await extractFeatures(samples, this.config.features));
  }

  /** Probabilities over `labels` (in label order) for each row of features. */
  probabilities(values: Float32Array, rows = 1): Float32Array {
    return this.head.predictProba({ data: values, rows, cols: this.config.featureNames.length });
  }

  /** The emotion of one recording: all labels (or the top k), sorted by score, summing to 1. */
  async classify(input: AudioInput, opts: ClassifyOptions = {}): Promise<Prediction[]> {
    this.requireMode(false);
    const { values } = await this.features(await this.prepare(input, opts));
    return toPredictions(this.probabilities(values), this.labels, opts.topK);
  }

  /**
   * The emotions of many recordings, decoded and featurised on all cores. Yields each
   * input's predictions, or its typed error, as it completes (in input order with
   * `ordered`); one bad file does not stop the others.
   * @example
   * for await (const r of rec.classifyBatch(['a.wav', 'b.mp3'])) console.log(r.index, 'error' in r ? r.error.code : r.predictions[0]);
   */
  async *classifyBatch(inputs: AudioInput[], opts: BatchOptions = {}): AsyncGenerator<BatchResult> {
    this.requireMode(false);
    for await (const r of this.extracted(inputs, opts)) {
      if ('error' in r) yield r;
      else yield { index: r.index, input: r.input, predictions: toPredictions(this.probabilities(r.values), this.labels, opts.topK) };
    }
  }

  /**
   * The emotions of several recordings of one speaker, with the features standardised
   * over those recordings first (no labels needed). Needs a bundle trained with speaker
   * normalisation, and the more clips the better: they should cover more than one
   * emotion, or the speaker's own mean will hide it.
   */
  async classifySpeaker(inputs: AudioInput[], opts: ClassifyOptions = {}): Promise<Prediction[][]> {
    const vectors: Float32Array[] = [];
    for (const input of inputs) vectors.push((await this.features(await this.prepare(input, opts))).values);
    return this.classifySpeakerFeatures(vectors, opts.topK);
  }

  /**
   * `classifySpeaker` over a batch of many speakers: each input with its speaker, decoded
   * on all cores, normalised per speaker, results in input order. A file that fails, or a
   * speaker with too few clips, gets a typed error; the others are scored.
   */
  async classifySpeakers(items: { input: AudioInput; speaker: string }[], opts: BatchOptions = {}): Promise<BatchResult[]> {
    this.requireMode(true);
    const results: BatchResult[] = new Array(items.length);
    const bySpeaker = new Map<string, { index: number; values: Float32Array }[]>();
    for await (const r of this.extracted(items.map((it) => it.input), opts)) {
      if ('error' in r) results[r.index] = r;
      else {
        const speaker = items[r.index].speaker;
        bySpeaker.set(speaker, [...(bySpeaker.get(speaker) ?? []), { index: r.index, values: r.values }]);
      }
    }
    for (const [speaker, clips] of bySpeaker) {
      clips.sort((a, b) => a.index - b.index); // the same answers whatever order the workers finished in
      try {
        const predictions = this.classifySpeakerFeatures(clips.map((c) => c.values), opts.topK);
        clips.forEach((c, i) => (results[c.index] = { index: c.index, input: items[c.index].input, predictions: predictions[i] }));
      } catch (e) {
        const error = toEmovoxError(e, 'E_USAGE');
        for (const c of clips) results[c.index] = { index: c.index, input: items[c.index].input, error: new EmovoxError(error.code, `speaker ${speaker}: ${error.message}`) };
      }
    }
    return results;
  }

  /** `classifySpeaker` on feature vectors already made by `features()`. */
  classifySpeakerFeatures(vectors: Float32Array[], topK?: number): Prediction[][] {
    this.requireMode(true);
    if (vectors.length < MIN_SPEAKER_CLIPS) {
      throw new EmovoxError('E_USAGE', `speaker normalisation needs at least ${MIN_SPEAKER_CLIPS} clips of each speaker, got ${vectors.length}: give more clips of this speaker, or classify without it`);
    }
    const normalized = speakerNormalize(stackRows(vectors, this.config.featureNames.length), vectors.map(() => 'speaker'));
    const probs = this.probabilities(normalized.data, vectors.length);
    const k = this.labels.length;
    return vectors.map((_, i) => toPredictions(probs.subarray(i * k, (i + 1) * k), this.labels, topK));
  }

  /** Feature vectors of many inputs from the worker pool, checked, as each completes (or in order). */
  private async *extracted(inputs: AudioInput[], opts: BatchOptions): AsyncGenerator<{ index: number; input: AudioInput; values: Float32Array } | { index: number; input: AudioInput; error: EmovoxError }> {
    const bad = new Map<number, EmovoxError>();
    inputs.forEach((input, i) => {
      try {
        checkInput(input);
      } catch (e) {
        bad.set(i, toEmovoxError(e, 'E_USAGE'));
      }
    });
    const good = inputs.flatMap((input, i) => (bad.has(i) ? [] : [{ input, i }]));
    // Prediction does not write the feature cache: it would fill a user's disk with one-off files.
    const extractor = new FeatureExtractor(this.config, { cacheDir: null, workers: opts.workers, maxDurationSec: opts.maxDurationSec ?? DEFAULT_MAX_DURATION_SEC });
    const pending = new Map<number, { index: number; input: AudioInput; values: Float32Array } | { index: number; input: AudioInput; error: EmovoxError }>();
    for (const [index, error] of bad) pending.set(index, { index, input: inputs[index], error });
    let nextInOrder = 0;
    const flush = function* (): Generator<{ index: number; input: AudioInput; values: Float32Array } | { index: number; input: AudioInput; error: EmovoxError }> {
      while (pending.has(nextInOrder)) {
        const r = pending.get(nextInOrder)!;
        pending.delete(nextInOrder++);
        yield r;
      }
    };
    if (!opts.ordered) {
      yield* pending.values();
      pending.clear();
    } else yield* flush();
    for await (const r of extractor.stream(good.map((g) => g.input), { signal: opts.signal })) {
      const { i: index, input } = good[r.index];
      let out: { index: number; input: AudioInput; values: Float32Array } | { index: number; input: AudioInput; error: EmovoxError };
      try {
        out = 'error' in r ? { index, input, error: r.error } : { index, input, values: this.checkFeatures(r.vector).values };
      } catch (e) {
        out = { index, input, error: toEmovoxError(e, 'E_MODEL') };
      }
      if (!opts.ordered) yield out;
      else {
        pending.set(index, out);
        yield* flush();
      }
    }
  }

  private checkFeatures(vector: FeatureVector): FeatureVector {
    if (vector.values.length !== this.config.featureNames.length) {
      throw new EmovoxError('E_MODEL', `the pipeline produced ${vector.values.length} features but the model expects ${this.config.featureNames.length}: the bundle was made by another emovox version; retrain it`);
    }
    return vector;
  }

  private requireMode(speakerNormalized: boolean): void {
    if (this.speakerNormalized === speakerNormalized) return;
    throw new EmovoxError(
      'E_USAGE',
      speakerNormalized
        ? 'this model was trained without speaker normalisation: use classify() or classifyBatch(), or a model trained with speaker normalisation (the shipped one is in SPEAKER_NORMALIZED_MODEL_DIR)'
        : 'this model was trained on features standardised per speaker: give it several clips of each speaker with classifySpeaker() or classifySpeakers(), or use a model trained without speaker normalisation',
    );
  }
}

/** Refuses what is not an audio input before any work, with a message that says what is. */
function checkInput(input: unknown): asserts input is AudioInput {
  if (typeof input === 'string' || input instanceof Uint8Array) return;
  const signal = input as Partial<AudioSignal> | null;
  if (signal === null || typeof signal !== 'object' || !('samples' in signal)) {
    throw new EmovoxError('E_USAGE', 'an audio input is a file path, its bytes (Buffer or Uint8Array), or { samples: Float32Array, sampleRate }');
  }
  if (!(signal.samples instanceof Float32Array)) {
    throw new EmovoxError('E_USAGE', `samples must be a Float32Array, got ${Array.isArray(signal.samples) ? 'an array' : typeof signal.samples}: wrap them with Float32Array.from(samples)`);
  }
  if (typeof signal.sampleRate !== 'number' || !Number.isFinite(signal.sampleRate) || signal.sampleRate <= 0) {
    throw new EmovoxError('E_USAGE', `sampleRate must be a positive number of samples per second, got ${String(signal.sampleRate)}`);
  }
  if (signal.samples.length === 0) throw new EmovoxError('E_EMPTY_AUDIO', 'the audio has no samples');
  let bad = 0;
  for (let i = 0; i < signal.samples.length; i++) if (!Number.isFinite(signal.samples[i])) bad++;
  if (bad > 0) throw new EmovoxError('E_DECODE', `${bad} of the ${signal.samples.length} samples are NaN or infinite: the audio is damaged; fix the signal before classifying it`);
}

/**
 * Transformers.js' output shape: every label with its score, best first (or the top k).
 * @example
 * toPredictions(Float32Array.of(0.2, 0.8), ['calm', 'angry']); // [{ label: 'angry', score: 0.8 }, { label: 'calm', score: 0.2 }]
 */
export function toPredictions(probs: Float32Array, labels: string[], topK?: number): Prediction[] {
  const out = labels.map((label, i) => ({ label, score: probs[i] }));
  out.sort((a, b) => b.score - a.score);
  return topK && topK > 0 ? out.slice(0, topK) : out;
}
