import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Augmentation } from '../audio/augment-spec.js';
import { EmovoxError } from '../errors.js';
import type { FeatureConfig } from '../features/types.js';
import { MlpHead, type HeadConfig } from './mlp.js';
import { checkRecipe, type Recipe } from './recipe.js';
import type { EpochRecord } from './train-head.js';

export const BUNDLE_FORMAT = 'emovox-bundle';
export const BUNDLE_FORMAT_VERSION = 1;

/**
 * config.json: the one readable place where a trained model's settings live
 * (SpeechBrain's hyperparams.yaml in spirit). Loading it rebuilds the exact pipeline.
 */
export interface BundleConfig {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  emovoxVersion: string;
  createdAt: string;
  /** Every input is decoded, downmixed and resampled to this rate by the one resampler. */
  sampleRate: number;
  features: FeatureConfig;
  /** Features were standardised per speaker before the head: prediction needs several clips of a speaker. */
  speakerNormalize?: boolean;
  /** Channel augmentations of the training data (one extra copy of each training file per augmentation); prediction is unchanged. */
  augment?: Augmentation[];
  featureNames: string[];
  labels: string[];
  head: { file: string; config: HeadConfig; temperature: number; bestEpoch: number };
  training: TrainingSummary;
  /** Speaker-grouped cross-validation figures for this configuration, when measured. */
  crossValidation?: Record<string, unknown>;
}

export interface TrainingSummary {
  corpus: string;
  files: number;
  labels: Record<string, number>;
  speakers: Record<string, number>;
  seed: number;
  command: string;
  validationSpeakers: string[];
  /** Accuracy/UAR on the inner speaker-grouped validation split used for early stopping. */
  validation: { accuracy: number; uar: number; ece?: number };
}

export interface Bundle {
  config: BundleConfig;
  head: MlpHead;
}

export async function saveBundle(dir: string, bundle: Bundle, extras: { history?: EpochRecord[]; modelCard?: string } = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), JSON.stringify(bundle.config, null, 2) + '\n');
  await writeFile(join(dir, bundle.config.head.file), JSON.stringify(bundle.head.toJSON()));
  if (extras.history) await writeFile(join(dir, 'history.json'), JSON.stringify(extras.history, null, 1) + '\n');
  if (extras.modelCard) await writeFile(join(dir, 'MODEL_CARD.md'), extras.modelCard);
}

/** The recipe a bundle was made with, as `train` would take it. */
export function recipeOf(config: BundleConfig): Recipe {
  return { sampleRate: config.sampleRate, features: config.features, head: config.head?.config, speakerNormalize: config.speakerNormalize === true, ...(config.augment === undefined ? {} : { augment: config.augment }) };
}

/**
 * Reads a bundle and checks it whole before anything runs: its recipe (by `checkRecipe`,
 * the same check `train` makes), and that the head's weights fit its feature names and
 * labels. Anything missing, unreadable or inconsistent is an E_MODEL that says what.
 */
export async function loadBundle(dir: string): Promise<Bundle> {
  const configPath = join(dir, 'config.json');
  if (!existsSync(configPath)) {
    throw new EmovoxError('E_MODEL', `no model bundle at ${dir} (config.json is missing): train one (\`emovox train\`, or \`train()\` and \`save()\` in the library), or use the shipped model`);
  }
  const config = await readJson<BundleConfig>(configPath);
  if (config?.format !== BUNDLE_FORMAT || !(config.formatVersion <= BUNDLE_FORMAT_VERSION)) {
    throw new EmovoxError('E_MODEL', `${configPath} is not an emovox bundle of a version this emovox reads (format ${String(config?.format)} v${String(config?.formatVersion)}): upgrade emovox or retrain`);
  }
  if (!Array.isArray(config.featureNames) || config.featureNames.length === 0 || !Array.isArray(config.labels) || config.labels.length < 2) {
    throw new EmovoxError('E_MODEL', `${configPath} lists no features or fewer than two labels: retrain the model`);
  }
  const recipe = checkRecipe(recipeOf(config), 'E_MODEL', configPath);
  const headPath = join(dir, typeof config.head?.file === 'string' ? config.head.file : 'head.json');
  if (!existsSync(headPath)) throw new EmovoxError('E_MODEL', `the bundle at ${dir} has no head weights (${headPath} is missing): restore the file or retrain`);
  const head = MlpHead.fromJSON(await readJson(headPath));
  if (head.inputs !== config.featureNames.length || head.numClasses !== config.labels.length) {
    throw new EmovoxError('E_MODEL', `the head in ${headPath} takes ${head.inputs} features and gives ${head.numClasses} classes, but ${configPath} lists ${config.featureNames.length} features and ${config.labels.length} labels: the files come from different models; retrain`);
  }
  head.temperature = config.head.temperature > 0 ? config.head.temperature : 1;
  return { config: { ...config, features: recipe.features }, head };
}

async function readJson<T>(path: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (e) {
    throw new EmovoxError('E_MODEL', `${path} cannot be read as JSON (${(e as Error).message}): restore the file or retrain the model`, { cause: e });
  }
}
