import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EmovoxError } from '../errors.js';
import type { FeatureConfig } from '../features/frontends.js';
import { MlpHead, type HeadConfig } from './index.js';
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

export async function loadBundle(dir: string): Promise<Bundle> {
  const configPath = join(dir, 'config.json');
  if (!existsSync(configPath)) {
    throw new EmovoxError('E_MODEL', `no model bundle at ${dir} (config.json is missing): train one with \`emovox train --data DIR --out ${dir}\`, or omit --model to use the shipped model`);
  }
  let config: BundleConfig;
  try {
    config = JSON.parse(await readFile(configPath, 'utf8')) as BundleConfig;
  } catch (e) {
    throw new EmovoxError('E_MODEL', `${configPath} is not valid JSON: retrain the model or restore the file`, { cause: e });
  }
  if (config.format !== BUNDLE_FORMAT || config.formatVersion > BUNDLE_FORMAT_VERSION) {
    throw new EmovoxError('E_MODEL', `${configPath} is not an emovox bundle of a version this emovox reads (format ${String(config.format)} v${String(config.formatVersion)}): upgrade emovox or retrain`);
  }
  const head = await MlpHead.fromJSON(JSON.parse(await readFile(join(dir, config.head.file), 'utf8')));
  head.temperature = config.head.temperature;
  if (config.featureNames.length === 0 || config.labels.length < 2) {
    throw new EmovoxError('E_MODEL', `${configPath} lists no features or fewer than two labels: retrain the model`);
  }
  return { config, head };
}
