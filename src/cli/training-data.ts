import type { Command } from 'commander';
import { scanDataset, type Manifest, type ManifestRow, type CorpusName } from '../datasets/index.js';
import { extractDatasetFeatures, takeRows } from '../model/dataset-features.js';
import { defaultCacheDir } from '../features/cache.js';
import { parseFrontEnds, type FeatureConfig } from '../features/frontends.js';
import { DEFAULT_FEATURES, recipeHead } from '../model/recipe.js';
import { DEFAULT_EMBEDDING_LAYERS, EMBEDDING_LAYERS } from '../features/embedding.js';
import { HEAD_DEFAULTS, type HeadConfig } from '../model/mlp.js';
import { performanceGroups } from '../eval/splits.js';
import { createProgress } from './progress.js';
import { speakerNormalize } from '../features/speaker-norm.js';
import { MIN_SPEAKER_CLIPS } from '../pipeline.js';
import { warn } from './output.js';
import { EMOTIONS, SAMPLE_RATE, type Matrix } from '../types.js';
import { EmovoxError } from '../errors.js';
import type { DatasetSummary } from '../eval/types.js';

/** Options shared by `train` and `evaluate`. */
export function addDataOptions(cmd: Command): Command {
  return cmd
    .option('--corpus <name>', 'corpus naming scheme: auto|ravdess|tess|crema-d|emodb|savee|folders|csv', 'auto')
    .option('--csv <file>', 'a CSV of path,label[,speaker] (with --corpus csv)')
    .option('--speaker-regex <re>', 'regular expression with one capture group giving the speaker from the relative path')
    .option('--features <list>', 'front-ends, comma-separated: handcrafted, embedding, mfcc-mean (default: the recipe of the shipped model)')
    .option('--embedding-layers <list>', `speech_embedding layers for the embedding front-end: ${EMBEDDING_LAYERS.join(', ')}`, DEFAULT_EMBEDDING_LAYERS.join(','))
    .option('--head <json>', `head settings as JSON over the recipe's (whose L2, weightDecay, is ${recipeHead(true).weightDecay} with --speaker-normalize, ${recipeHead(false).weightDecay ?? HEAD_DEFAULTS.weightDecay} without), e.g. '{"hidden":[128],"dropout":0.3,"ensemble":3}'`)
    .option('--vad', 'trim leading and trailing silence with Silero VAD first (off in the default recipe, see docs/ACCURACY.md)')
    .option('--no-vad', 'do not trim silence (the default)')
    .option('--vad-chunk <n>', 'samples per Silero VAD call, with --vad: 512, 1024 or 1536', String(DEFAULT_FEATURES.vad.chunk))
    .option('--no-cache', 'do not read or write the feature cache')
    .option('--cache-dir <dir>', 'feature cache folder (default $EMOVOX_CACHE_DIR or ~/.cache/emovox)')
    .option('--seed <n>', 'random seed for splits, initialisation and shuffling', '1')
    .option('--json', 'print machine-readable JSON instead of tables and progress');
}

export interface DataOptions {
  corpus: string;
  csv?: string;
  speakerRegex?: string;
  features?: string;
  embeddingLayers: string;
  head?: string;
  /** Unset unless --vad or --no-vad is given: the recipe decides. */
  vad?: boolean;
  vadChunk: string;
  cache: boolean;
  cacheDir?: string;
  seed: string;
  json?: boolean;
}

export interface TrainingData {
  manifest: Manifest;
  features: FeatureConfig;
  names: string[];
  X: Matrix;
  y: Int32Array;
  labels: string[];
  speakers: string[];
  groups: Int32Array;
  files: string[];
  /** The manifest rows whose features were extracted, in row order. */
  rows: ManifestRow[];
  summary: DatasetSummary;
}

export function featureConfigFrom(opts: DataOptions): FeatureConfig {
  const layers = opts.embeddingLayers.split(',').map((l) => l.trim());
  for (const l of layers) {
    if (!(EMBEDDING_LAYERS as readonly string[]).includes(l)) throw new EmovoxError('E_USAGE', `--embedding-layers: unknown layer "${l}"; choose from ${EMBEDDING_LAYERS.join(', ')}`);
  }
  const frontEnds = opts.features ? parseFrontEnds(opts.features, layers) : DEFAULT_FEATURES.frontEnds.map((f) => (f.name === 'embedding' ? { ...f, layers } : f));
  const chunk = Number(opts.vadChunk);
  if (![512, 1024, 1536].includes(chunk)) throw new EmovoxError('E_USAGE', `--vad-chunk must be 512, 1024 or 1536 (what Silero VAD takes at 16 kHz), got "${opts.vadChunk}"`);
  return { vad: { ...DEFAULT_FEATURES.vad, enabled: opts.vad ?? DEFAULT_FEATURES.vad.enabled, chunk }, frontEnds };
}

/** The recipe's head settings (its speaker-normalised variant with `--speaker-normalize`) with `--head` JSON on top. */
export function headConfigFrom(opts: DataOptions & { speakerNormalize?: boolean }, extra: Partial<HeadConfig> = {}): Partial<HeadConfig> {
  let custom: Partial<HeadConfig> = {};
  if (opts.head) {
    try {
      custom = JSON.parse(opts.head) as Partial<HeadConfig>;
    } catch (e) {
      throw new EmovoxError('E_USAGE', `--head is not valid JSON (${(e as Error).message}): e.g. '{"hidden":[128]}'`);
    }
    const unknown = Object.keys(custom).filter((k) => !(k in HEAD_DEFAULTS));
    if (unknown.length) throw new EmovoxError('E_USAGE', `--head: unknown setting(s) ${unknown.join(', ')}; known: ${Object.keys(HEAD_DEFAULTS).join(', ')}`);
  }
  return { ...recipeHead(Boolean(opts.speakerNormalize)), ...custom, ...extra };
}

/** Scans the data folder and extracts (or reads cached) features, reporting bad files and going on. */
export async function loadTrainingData(dir: string, opts: DataOptions): Promise<TrainingData> {
  const features = featureConfigFrom(opts); // bad options fail before the scan
  const manifest = await scanDataset(dir, {
    corpus: opts.corpus as CorpusName | 'auto',
    csv: opts.csv,
    speakerRegex: opts.speakerRegex,
  });
  if (manifest.rows.length === 0) {
    throw new EmovoxError('E_BAD_DATASET', `no labelled audio found in ${dir}: check --corpus (run \`emovox dataset scan ${dir}\` to see what was found)`);
  }
  const progress = createProgress(manifest.rows.length, 'features', { quiet: opts.json });
  const started = Date.now();
  const extracted = await extractDatasetFeatures(manifest.rows, features, {
    sampleRate: SAMPLE_RATE,
    cacheDir: opts.cache ? (opts.cacheDir ?? defaultCacheDir()) : null,
    onProgress: (_, path) => progress.tick(path.split('/').pop()),
  });
  progress.stop();
  for (const f of extracted.failures) warn(`skipped ${f.path}: ${f.error.code}: ${f.error.message}`);
  if (!opts.json) {
    warn(`features: ${extracted.X.rows} files (${extracted.cacheHits} from cache) in ${((Date.now() - started) / 1000).toFixed(1)} s, ${extracted.names.length} numbers each`);
  }
  const rows = Array.from(extracted.kept, (i) => manifest.rows[i]);
  const present = new Set(rows.map((r) => r.label));
  const labels = EMOTIONS.filter((e) => present.has(e));
  const y = Int32Array.from(rows, (r) => labels.indexOf(r.label));
  const speakers = rows.map((r) => r.speaker ?? `unknown:${r.performance}`);
  const groups = performanceGroups(rows);
  const count = (keys: string[]): Record<string, number> => keys.reduce<Record<string, number>>((acc, k) => ((acc[k] = (acc[k] ?? 0) + 1), acc), {});
  const summary: DatasetSummary = {
    corpus: manifest.corpus,
    root: manifest.root,
    files: rows.length,
    labels: count(rows.map((r) => r.label)),
    speakers: count(rows.map((r) => r.speaker ?? 'unknown')),
    problems: [
      ...manifest.problems,
      ...extracted.failures.map((f) => ({ code: f.error.code, files: [f.path], message: f.error.message })),
    ],
  };
  return { manifest, features, names: extracted.names, X: extracted.X, y, labels, speakers, groups, files: rows.map((r) => r.path), rows, summary };
}

/**
 * The features standardised per speaker (`--speaker-normalize`). Every file needs a known
 * speaker with several clips; a file of unknown speaker would be normalised on its own
 * and lose everything, so that is refused rather than silently scored.
 */
export function speakerNormalizedFeatures(data: TrainingData): Matrix {
  const unknown = data.speakers.filter((s) => s.startsWith('unknown:'));
  if (unknown.length > 0) {
    throw new EmovoxError('E_BAD_DATASET', `--speaker-normalize needs the speaker of every file, and ${unknown.length} file(s) have none: give --speaker-regex (or a speaker column in the CSV)`);
  }
  const counts = new Map<string, number>();
  for (const s of data.speakers) counts.set(s, (counts.get(s) ?? 0) + 1);
  const alone = [...counts].filter(([, n]) => n < MIN_SPEAKER_CLIPS).map(([s]) => s);
  if (alone.length > 0) throw new EmovoxError('E_BAD_DATASET', `--speaker-normalize needs several clips per speaker; speaker(s) ${alone.join(', ')} have fewer than ${MIN_SPEAKER_CLIPS}`);
  return speakerNormalize(data.X, data.speakers);
}

/** Only the rows whose label is in `labels`, with y renumbered to that list (cross-corpus evaluation). */
export function restrictLabels(data: TrainingData, labels: string[]): TrainingData {
  const keep = Int32Array.from(data.rows.flatMap((r, i) => (labels.includes(r.label) ? [i] : [])));
  const pick = <T>(xs: T[]): T[] => Array.from(keep, (i) => xs[i]);
  const rows = pick(data.rows);
  return {
    ...data,
    X: takeRows(data.X, keep),
    y: Int32Array.from(rows, (r) => labels.indexOf(r.label)),
    labels,
    speakers: pick(data.speakers),
    groups: Int32Array.from(keep, (i) => data.groups[i]),
    files: pick(data.files),
    rows,
    summary: { ...data.summary, files: rows.length, labels: Object.fromEntries(labels.map((l) => [l, rows.filter((r) => r.label === l).length])) },
  };
}

export { takeRows };
