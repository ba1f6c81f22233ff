import type { Command } from 'commander';
import { AUGMENTATIONS, type Augmentation } from '../audio/augment-spec.js';
import { CORPUS_NAMES, type CorpusName } from '../datasets/scan.js';
import type { DatasetSource } from '../datasets/dataset.js';
import { defaultCacheDir } from '../features/cache.js';
import { EMBEDDING_LAYERS } from '../features/embedding.js';
import { FRONT_END_NAMES } from '../features/frontends.js';
import type { FrontEnd } from '../features/types.js';
import { HEAD_DEFAULTS, type HeadConfig } from '../model/mlp.js';
import { DEFAULT_FEATURES, LABEL_POLICIES, makeRecipe, NORMALIZATIONS, recipeHead, VAD_CHUNKS, type LabelPolicy, type Normalization, type Recipe } from '../model/recipe.js';
import { EmovoxError } from '../errors.js';
import type { ProcessFilesOptions } from '../features/extractor.js';
import { createProgress } from './progress.js';
import { warn } from './output.js';

/** Options shared by `train` and `evaluate`: where the data is, and the recipe as an overlay of flags. */
export function addDataOptions(cmd: Command): Command {
  return cmd
    .option('--corpus <name>', `corpus naming scheme: auto or one of ${CORPUS_NAMES.join(', ')}`, 'auto')
    .option('--csv <file>', 'a CSV of path,label[,speaker] (with --corpus csv)')
    .option('--speaker-regex <re>', 'regular expression with one capture group giving the speaker from the relative path')
    .option('--features <list>', `front-ends, comma-separated: ${FRONT_END_NAMES.join(', ')} (default: the recipe of the shipped model)`)
    .option('--embedding-layers <list>', `speech_embedding layers for the embedding front-end: ${EMBEDDING_LAYERS.join(', ')}`)
    .option('--head <json>', `head settings as JSON over the recipe's (whose L2, weightDecay, is ${recipeHead(true).weightDecay} with --speaker-normalize, ${recipeHead(false).weightDecay ?? HEAD_DEFAULTS.weightDecay} without), e.g. '{"hidden":[128],"dropout":0.3,"ensemble":3}'`)
    .option('--vad', 'trim leading and trailing silence with Silero VAD first (off in the default recipe, see docs/ACCURACY.md)')
    .option('--no-vad', 'do not trim silence (the default)')
    .option('--vad-chunk <n>', `samples per Silero VAD call, with --vad: ${VAD_CHUNKS.join(', ')} (default ${DEFAULT_FEATURES.vad.chunk})`)
    .option('--level-normalize', 'scale every recording so that its loud speech is at one level before the front-ends, so that the model cannot lean on how loud the file is (see docs/ACCURACY.md)')
    .option('--speaker-normalize', 'standardise features per speaker (needs several clips of each speaker); the same as --normalize speaker')
    .option('--normalize <mode>', `what removes the recording conditions: ${NORMALIZATIONS.join(', ')} (per speaker, per corpus, per recording by cepstral mean and variance; corpus and utterance: evaluate only)`)
    .option('--labels <policy>', `with several corpora: ${LABEL_POLICIES.join(' (every label of the training data) or ')} (only the labels the test side has too)`)
    .option('--augment <list>', `augment the training data for the channel, comma-separated: ${AUGMENTATIONS.join(', ')} (one extra copy of each training file per augmentation; never tested)`)
    .option('--no-cache', 'do not read or write the feature cache')
    .option('--cache-dir <dir>', 'feature cache folder (default $EMOVOX_CACHE_DIR or ~/.cache/emovox)')
    .option('--workers <n>', 'worker threads for feature extraction and for training the ensemble\'s members (default: one per core)')
    .option('--seed <n>', 'random seed for splits, initialisation and shuffling', '1')
    .option('--json', 'print machine-readable JSON instead of tables and progress');
}

export interface DataOptions {
  corpus: string;
  csv?: string;
  speakerRegex?: string;
  features?: string;
  embeddingLayers?: string;
  head?: string;
  /** Unset unless --vad or --no-vad is given: the recipe decides. */
  vad?: boolean;
  vadChunk?: string;
  levelNormalize?: boolean;
  speakerNormalize?: boolean;
  normalize?: string;
  labels?: string;
  augment?: string;
  cache: boolean;
  cacheDir?: string;
  workers?: string;
  seed: string;
  epochs?: string;
  json?: boolean;
}

/** The recipe: the default with the flags on top, checked by the library's one check. */
export function recipeFrom(opts: DataOptions): Recipe {
  const head: Partial<HeadConfig> = opts.head ? parseJson(opts.head, '--head', '{"hidden":[128]}') : {};
  if (opts.epochs !== undefined) head.maxEpochs = integer(opts.epochs, '--epochs', 1);
  return makeRecipe({
    features: {
      frontEnds: opts.features?.split(',').map((f) => f.trim() as FrontEnd['name']),
      embeddingLayers: opts.embeddingLayers?.split(',').map((l) => l.trim()),
      vad: { ...(opts.vad === undefined ? {} : { enabled: opts.vad }), ...(opts.vadChunk === undefined ? {} : { chunk: Number(opts.vadChunk) }) },
      level: opts.levelNormalize,
    },
    head,
    // Unset unless given, so that --normalize alone decides; the two contradicting is E_USAGE.
    speakerNormalize: opts.speakerNormalize ? true : undefined,
    normalize: opts.normalize as Normalization | undefined,
    labels: opts.labels as LabelPolicy | undefined,
    augment: opts.augment?.split(',').map((a) => a.trim() as Augmentation).filter(Boolean),
  });
}

/** The corpus folders (or CSVs) of a repeated `--data`, each with the naming flags. */
export function sourcesFrom(paths: string[], opts: DataOptions): DatasetSource[] {
  if (opts.corpus !== 'auto' && !(CORPUS_NAMES as string[]).includes(opts.corpus)) {
    throw new EmovoxError('E_USAGE', `--corpus must be auto or one of ${CORPUS_NAMES.join(', ')}, got "${opts.corpus}"`);
  }
  if (paths.length > 1 && opts.csv) throw new EmovoxError('E_USAGE', '--csv names one manifest: give each CSV as its own --data instead');
  return paths.map((path) => ({ path, corpus: opts.corpus as CorpusName | 'auto', csv: opts.csv, speakerRegex: opts.speakerRegex }));
}

/** Commander's way to make an option repeatable: `--data A --data B`. */
export function repeatable(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Cache, workers and a progress bar on a terminal, for `train` and `evaluate`. */
export function extractionFrom(opts: DataOptions): { cacheDir: string | null; workers?: number; seed: number; onProgress: NonNullable<ProcessFilesOptions['onProgress']> } {
  let bar: ReturnType<typeof createProgress> | null = null;
  return {
    cacheDir: opts.cache ? (opts.cacheDir ?? defaultCacheDir()) : null,
    workers: opts.workers === undefined ? undefined : integer(opts.workers, '--workers', 1),
    seed: integer(opts.seed, '--seed'),
    onProgress: (done, total, path, error) => {
      // One bar per pass: the recordings, then (with --augment) their copies, or a cross-corpus test side.
      if (done === 1 || !bar) bar = createProgress(total, 'features', { quiet: opts.json });
      bar.tick(path.split('/').pop());
      if (error) warn(`skipped ${path}: ${error.code}: ${error.message}`);
      if (done === total) bar.stop();
    },
  };
}

export function integer(value: string, flag: string, min = -Infinity): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new EmovoxError('E_USAGE', `${flag} must be a whole number${min > -Infinity ? ` ≥ ${min}` : ''}, got "${value}"`);
  return n;
}

function parseJson<T>(text: string, flag: string, example: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new EmovoxError('E_USAGE', `${flag} is not valid JSON (${(e as Error).message}): e.g. '${example}'`);
  }
}
