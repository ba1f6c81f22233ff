import { AUGMENTATIONS, type Augmentation } from '../audio/augment-spec.js';
import { DEFAULT_EMBEDDING_LAYERS, EMBEDDING_LAYERS } from '../features/embedding.js';
import { FRONT_END_NAMES } from '../features/frontends.js';
import { VAD_CHUNK } from '../features/vad.js';
import { DEFAULT_LEVEL } from '../features/level.js';
import type { FeatureConfig, FrontEnd, LevelConfig } from '../features/types.js';
import { EmovoxError, type ErrorCode } from '../errors.js';
import { SAMPLE_RATE } from '../types.js';
import { HEAD_DEFAULTS, type HeadConfig } from './mlp.js';

/**
 * Everything a model's `config.json` records about how it was made, in one object:
 * the sample rate, the front-ends and their settings, the head, and speaker
 * normalisation. `train` takes one, `loadBundle` rebuilds one, and the CLI's flags are an
 * overlay on it (SpeechBrain's hyperparams.yaml in spirit). `checkRecipe` is the one place
 * where a recipe is judged possible.
 */
export interface Recipe {
  /** Every input is decoded, mixed to mono and resampled to this rate. */
  sampleRate: number;
  features: FeatureConfig;
  /** Every head setting, the defaults filled in. */
  head: HeadConfig;
  /** Standardise the features of each speaker over that speaker's clips before the head. */
  speakerNormalize: boolean;
  /**
   * What removes the recording conditions before the head (absent: `'speaker'` when
   * speakerNormalize is on, else `'none'`). `'corpus'` and `'utterance'` are for
   * evaluation only so far: a bundle cannot apply them at prediction (NORMALIZATIONS).
   */
  normalize?: Normalization;
  /** Which labels a model trained on several corpora learns (LABEL_POLICIES); absent: each protocol's default. */
  labels?: LabelPolicy;
  /**
   * Channel augmentation of the training data (AUGMENTATIONS): each training file gets one
   * extra copy per augmentation, drawn from the seed and the file. Copies are training rows
   * only, never tested. Absent: none.
   */
  augment?: Augmentation[];
}

/**
 * - `none`: the features as they are.
 * - `speaker`: each speaker standardised over their own clips (needs several per speaker).
 * - `corpus`: each corpus standardised over all of its clips (needs a batch of the test
 *   side's recordings, unlabelled, like speaker normalisation).
 * - `utterance`: cepstral mean and variance normalisation of each recording (per-utterance
 *   CMVN), on the handcrafted front-end's MFCC and log-mel functionals, and the RMS level's
 *   mean removed (the gain); network front-ends are left as they are.
 */
export const NORMALIZATIONS = ['none', 'speaker', 'corpus', 'utterance'] as const;
export type Normalization = (typeof NORMALIZATIONS)[number];

/**
 * - `union`: learn every label of the training data; a corpus that lacks a class simply
 *   has none of it (leave-one-corpus-out then counts an answer the test corpus lacks as an error).
 * - `shared`: learn only the labels the test side has too (leave-one-corpus-out: the
 *   held-out corpus; cross-validation and training over several corpora: the labels every
 *   corpus has). The default of the pairwise cross-corpus evaluation.
 */
export const LABEL_POLICIES = ['union', 'shared'] as const;
export type LabelPolicy = (typeof LABEL_POLICIES)[number];

/** A partial recipe: what is given replaces the default recipe's setting. */
export interface RecipeOptions {
  sampleRate?: number;
  features?: {
    /** Front-ends by name (with their defaults) or in full. */
    frontEnds?: (FrontEnd | FrontEnd['name'])[];
    /** speech_embedding layers for an `embedding` front-end given by name. */
    embeddingLayers?: string[];
    vad?: Partial<FeatureConfig['vad']>;
    /** Level normalisation before the front-ends: true for DEFAULT_LEVEL, or in full; absent or false: off. */
    level?: boolean | LevelConfig;
  };
  head?: Partial<HeadConfig>;
  speakerNormalize?: boolean;
  /** Replaces speakerNormalize when given (`'speaker'` is the same as speakerNormalize: true). */
  normalize?: Normalization;
  labels?: LabelPolicy;
  /** Channel augmentations of the training data (none by default). */
  augment?: Augmentation[];
}

/**
 * The default recipe's features: what `emovox train` and `evaluate` use unless told
 * otherwise, and what the shipped model was trained with. Chosen by speaker-grouped
 * 5-fold cross-validation on RAVDESS actors 01–20 (docs/ACCURACY.md), never by one split.
 */
export const DEFAULT_FEATURES: FeatureConfig = {
  // No silence trimming: by grouped CV it did not help on the RAVDESS (68.5% without, 67.6%
  // with 512-sample chunks, 64.8% with 1536; docs/ACCURACY.md), and it costs CPU. Turned
  // on, it uses 1536-sample chunks: a third as many onnxruntime calls as 512.
  vad: { enabled: false, threshold: 0.5, padMs: 100, chunk: 1536 },
  frontEnds: [{ name: 'handcrafted' }, { name: 'embedding', layers: DEFAULT_EMBEDDING_LAYERS }],
};

/**
 * Four MLPs with 64 hidden units, each early-stopped on a different quarter of the
 * training speakers, logits averaged: +6.2 points of accuracy over one 64-unit MLP, and
 * +5.5 over one 256-unit MLP, that hold out a fifth of the speakers (docs/ACCURACY.md).
 */
export const DEFAULT_HEAD: Partial<HeadConfig> = { hidden: [64], ensemble: 4 };

/**
 * With speaker normalisation, the same ensemble with ten times the L2 penalty: 78.7%
 * against 77.6% with the default's 1e-4 (3e-3 gave 78.3%), while on features that are not
 * normalised per speaker 1e-3 lowers accuracy (68.5% → 67.7%), so each mode keeps its own
 * (docs/ACCURACY.md).
 */
export const SPEAKER_NORMALIZED_HEAD: Partial<HeadConfig> = { ...DEFAULT_HEAD, weightDecay: 1e-3 };

/** The recipe's head for features as they are, or standardised per speaker. */
export function recipeHead(speakerNormalized: boolean): Partial<HeadConfig> {
  return speakerNormalized ? SPEAKER_NORMALIZED_HEAD : DEFAULT_HEAD;
}

/**
 * The recipe of the shipped speaker-normalised model (models/speaker-normalized/): speaker
 * normalisation with level normalisation and Silero VAD trimming (512-sample chunks), which
 * remove two recording conditions that did not transfer between corpora. Across corpora they
 * took RAVDESS → nEMO from 31.6% to 41.1% UAR and nEMO → RAVDESS from 40.3% to 44.7%; at home
 * they cost 5 points (grouped CV on the RAVDESS 72.7% against 77.9%, over the 67.5%;
 * docs/ACCURACY.md, "Level and silence"). `--speaker-normalize` alone keeps its earlier
 * meaning, so the commands of earlier results still reproduce them.
 */
export const SHIPPED_SPEAKER_NORMALIZED: RecipeOptions = { speakerNormalize: true, features: { level: true, vad: { enabled: true, chunk: 512 } } };

export const DEFAULT_SEED = 1;

/** Silero VAD v4 takes these chunk sizes at 16 kHz. */
export const VAD_CHUNKS = [512, 1024, 1536] as const;

/**
 * The default recipe with `options` on top, checked. The head starts from the one that
 * goes with the mode (speaker-normalised or not), then `options.head` replaces settings.
 * @example
 * const recipe = makeRecipe({ features: { frontEnds: ['handcrafted'] }, head: { ensemble: 2 } });
 */
export function makeRecipe(options: RecipeOptions = {}): Recipe {
  if (options.normalize !== undefined && options.speakerNormalize !== undefined && options.speakerNormalize !== (options.normalize === 'speaker')) {
    throw new EmovoxError('E_USAGE', `the recipe: speakerNormalize ${String(options.speakerNormalize)} contradicts normalize "${String(options.normalize)}": give one of them`);
  }
  const normalize = options.normalize ?? (options.speakerNormalize ? 'speaker' : undefined);
  const speakerNormalize = normalize === 'speaker';
  const layers = options.features?.embeddingLayers ?? DEFAULT_EMBEDDING_LAYERS;
  const frontEnds = options.features?.frontEnds
    ? options.features.frontEnds.map((f) => (typeof f === 'string' ? frontEndByName(f, layers) : f))
    : DEFAULT_FEATURES.frontEnds.map((f) => (f.name === 'embedding' ? { ...f, layers } : f));
  return checkRecipe({
    sampleRate: options.sampleRate ?? SAMPLE_RATE,
    features: { vad: { ...DEFAULT_FEATURES.vad, ...options.features?.vad }, frontEnds, ...levelOption(options.features?.level) },
    head: { ...HEAD_DEFAULTS, ...recipeHead(speakerNormalize), ...options.head },
    speakerNormalize,
    // Recorded only when speakerNormalize cannot say it, so that older recipes and bundles stay as they were.
    ...(normalize === undefined || normalize === 'none' || normalize === 'speaker' ? {} : { normalize }),
    ...(options.labels === undefined ? {} : { labels: options.labels }),
    // Recorded only when there is one, so that recipes without augmentation stay as they were.
    ...(options.augment?.length ? { augment: options.augment } : {}),
  });
}

// Written only when on, so that recipes and bundles without it stay as they were.
function levelOption(level: boolean | LevelConfig | undefined): { level?: LevelConfig } {
  if (level === undefined || level === false) return {};
  return { level: level === true ? { ...DEFAULT_LEVEL } : level };
}

/** The recipe's normalisation mode, from `normalize` or the older `speakerNormalize`. */
export function normalizationOf(recipe: Recipe): Normalization {
  return recipe.normalize ?? (recipe.speakerNormalize ? 'speaker' : 'none');
}

/**
 * Throws E_USAGE if a model trained with this recipe could not apply it at prediction:
 * a bundle rebuilds speaker normalisation, but not per-corpus or per-utterance
 * normalisation yet, which are evaluation levers only.
 * @example
 * checkTrainable(makeRecipe({ normalize: 'speaker' })); // fine
 */
export function checkTrainable(recipe: Recipe): void {
  const mode = normalizationOf(recipe);
  if (mode === 'corpus' || mode === 'utterance') {
    throw new EmovoxError('E_USAGE', `normalisation "${mode}" can be evaluated (emovox evaluate) but not trained into a model yet: a bundle applies only "none" or "speaker" at prediction`);
  }
}

function frontEndByName(name: string, layers: string[]): FrontEnd {
  if (name === 'embedding') return { name, layers };
  return { name } as FrontEnd; // checkRecipe refuses names it does not know
}

/**
 * Throws `code` (E_USAGE for a recipe being made, E_MODEL for a bundle being loaded) with
 * a message naming the setting, unless every setting is one the pipeline can run.
 * Returns the recipe with a bundle's missing VAD chunk filled in (bundles made before the
 * setting existed were trained with 512).
 */
export function checkRecipe(recipe: Recipe, code: ErrorCode = 'E_USAGE', where = 'the recipe'): Recipe {
  const fail = (message: string): never => {
    throw new EmovoxError(code, `${where}: ${message}`);
  };
  if (recipe.sampleRate !== SAMPLE_RATE) {
    fail(`sample rate ${String(recipe.sampleRate)} Hz is not supported: the front-ends (Silero VAD, speech_embedding) work at ${SAMPLE_RATE} Hz only`);
  }
  const { features, head } = recipe;
  if (!features || !Array.isArray(features.frontEnds) || features.frontEnds.length === 0) fail('it names no front-end');
  for (const fe of features.frontEnds) {
    if (!(FRONT_END_NAMES as readonly string[]).includes(fe?.name)) fail(`unknown front-end "${String(fe?.name)}": choose from ${FRONT_END_NAMES.join(', ')}`);
    if (fe.name === 'embedding') {
      if (!Array.isArray(fe.layers) || fe.layers.length === 0) fail('the embedding front-end names no layer');
      for (const l of fe.layers) if (!(EMBEDDING_LAYERS as readonly string[]).includes(l)) fail(`unknown speech_embedding layer "${String(l)}": choose from ${EMBEDDING_LAYERS.join(', ')}`);
    }
  }
  const vad = features.vad;
  if (!vad || typeof vad.enabled !== 'boolean') fail('vad.enabled must be true or false');
  const chunk = vad.chunk ?? VAD_CHUNK;
  if (!(VAD_CHUNKS as readonly number[]).includes(chunk)) fail(`VAD chunk must be ${VAD_CHUNKS.join(', ')} samples (what Silero VAD takes at 16 kHz), got ${String(chunk)}`);
  if (!(vad.threshold > 0 && vad.threshold < 1)) fail(`VAD threshold must be between 0 and 1, got ${String(vad.threshold)}`);
  if (!(vad.padMs >= 0)) fail(`VAD padding must be 0 ms or more, got ${String(vad.padMs)}`);
  if (features.level !== undefined) {
    const { percentile, targetDbfs } = features.level ?? {};
    if (!(percentile > 0 && percentile <= 100)) fail(`level.percentile must be above 0 and at most 100, got ${String(percentile)}`);
    if (!(targetDbfs >= -60 && targetDbfs <= 0)) fail(`level.targetDbfs must be between -60 and 0 dBFS, got ${String(targetDbfs)}`);
  }
  checkHead(head, fail);
  if (typeof recipe.speakerNormalize !== 'boolean') fail('speakerNormalize must be true or false');
  if (recipe.normalize !== undefined) {
    if (!(NORMALIZATIONS as readonly string[]).includes(recipe.normalize)) fail(`normalize must be one of ${NORMALIZATIONS.join(', ')}, got "${String(recipe.normalize)}"`);
    if (recipe.speakerNormalize !== (recipe.normalize === 'speaker')) fail(`speakerNormalize ${String(recipe.speakerNormalize)} contradicts normalize "${recipe.normalize}"`);
    if (recipe.normalize === 'utterance' && !features.frontEnds.some((fe) => fe.name === 'handcrafted')) {
      fail('per-utterance CMVN (normalize "utterance") works on the handcrafted front-end\'s MFCC and log-mel functionals: add handcrafted to the front-ends');
    }
  }
  if (recipe.augment !== undefined) {
    if (!Array.isArray(recipe.augment)) fail(`augment must be a list of augmentations (${AUGMENTATIONS.join(', ')}), got ${JSON.stringify(recipe.augment)}`);
    for (const a of recipe.augment) if (!(AUGMENTATIONS as readonly string[]).includes(a)) fail(`unknown augmentation "${String(a)}": choose from ${AUGMENTATIONS.join(', ')}`);
    const twice = recipe.augment.filter((a, i) => recipe.augment!.indexOf(a) !== i);
    if (twice.length) fail(`augmentation "${twice[0]}" is named twice: each gives one copy of every training file`);
    // Levelling scales each copy back to its original's level, so the copy would be the original again.
    if (features.level && recipe.augment.includes('gain')) fail('augmentation "gain" does nothing with level normalisation (each copy is levelled back to its original): leave out one of the two');
  }
  if (recipe.labels !== undefined && !(LABEL_POLICIES as readonly string[]).includes(recipe.labels)) fail(`labels must be one of ${LABEL_POLICIES.join(', ')}, got "${String(recipe.labels)}"`);
  return { ...recipe, features: { ...features, vad: { ...vad, chunk } } };
}

function checkHead(head: HeadConfig, fail: (message: string) => never): void {
  if (!head || typeof head !== 'object') fail('it has no head settings');
  const unknown = Object.keys(head).filter((k) => !(k in HEAD_DEFAULTS));
  if (unknown.length) fail(`unknown head setting(s) ${unknown.join(', ')}; known: ${Object.keys(HEAD_DEFAULTS).join(', ')}`);
  const count = (n: unknown): boolean => Number.isInteger(n) && (n as number) >= 1;
  if (!Array.isArray(head.hidden) || !head.hidden.every(count)) fail(`head.hidden must be a list of layer widths (whole numbers ≥ 1), got ${JSON.stringify(head.hidden)}`);
  for (const k of ['batchSize', 'maxEpochs', 'patience', 'ensemble'] as const) if (!count(head[k])) fail(`head.${k} must be a whole number ≥ 1, got ${String(head[k])}`);
  for (const k of ['inputDropout', 'dropout', 'labelSmoothing'] as const) if (!(head[k] >= 0 && head[k] < 1)) fail(`head.${k} must be in [0, 1), got ${String(head[k])}`);
  if (!(head.learningRate > 0)) fail(`head.learningRate must be above 0, got ${String(head.learningRate)}`);
  for (const k of ['weightDecay', 'mixup'] as const) if (!(head[k] >= 0)) fail(`head.${k} must be 0 or more, got ${String(head[k])}`);
}
