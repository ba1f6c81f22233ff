import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { modelFileHash, YAMNET_MODEL_PATH } from './model-files.js';
import type { FeatureConfig, FeatureVector } from './types.js';

/**
 * Bump when a front-end's output changes for the same config, so stale cache
 * entries are never read back.
 */
// 3: the FLAC decoder keeps a short last frame it used to drop (5 of the 1263 shared RAVDESS files).
const FEATURE_CODE_VERSION = 3;

/** `$EMOVOX_CACHE_DIR`, else `$XDG_CACHE_HOME/emovox`, else `~/.cache/emovox`. */
export function defaultCacheDir(): string {
  if (process.env.EMOVOX_CACHE_DIR) return process.env.EMOVOX_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'emovox');
}

/** A stable key for a feature configuration: any change of parameters that matter gives new entries. */
export function featureConfigKey(config: FeatureConfig, extra: unknown = null): string {
  // With the VAD off its parameters do not change the features, so they stay out of the key.
  const keyed = config.vad.enabled ? config : { ...config, vad: { enabled: false } };
  // YAMNet is a file of the repository that a script regenerates: its hash is in the key.
  // (speech_embedding comes from an npm package pinned to one version in the lockfile.)
  const models = config.frontEnds.some((fe) => fe.name === 'yamnet') ? { yamnet: modelFileHash(YAMNET_MODEL_PATH) } : null;
  const text = JSON.stringify({ v: FEATURE_CODE_VERSION, config: keyed, extra, ...(models ? { models } : {}) });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Bump when an augmentation's output changes for the same spec (src/audio/augment*.ts), so
 * that stale copies are never read back.
 */
const AUGMENT_CODE_VERSION = 1;

/**
 * The cache key of an augmented copy of a file: its content hash and the augmentation's
 * spec together, so that each copy has its own entry beside the original's.
 * @example
 * augmentedContentKey(item.sha256, { kind: 'gain', db: -3.2 });
 */
export function augmentedContentKey(contentHash: string, spec: unknown): string {
  return createHash('sha256').update(JSON.stringify({ v: AUGMENT_CODE_VERSION, file: contentHash, augment: spec })).digest('hex');
}

/**
 * Utterance feature vectors on disk, keyed by the file's content hash and the feature
 * configuration, so a second `train` or `evaluate` skips extraction. One small binary
 * file per entry; the feature names are stored once per configuration.
 */
export class FeatureCache {
  private readonly dir: string;
  private names: string[] | null = null;

  constructor(root: string, configKey: string) {
    this.dir = join(root, 'features', configKey);
  }

  async get(contentHash: string): Promise<FeatureVector | null> {
    try {
      const names = this.names ?? (JSON.parse(await readFile(join(this.dir, 'names.json'), 'utf8')) as string[]);
      this.names = names;
      const buf = await readFile(join(this.dir, contentHash.slice(0, 2), `${contentHash}.f32`));
      if (buf.byteLength !== names.length * 4) return null;
      const values = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      return { names, values };
    } catch {
      return null;
    }
  }

  async set(contentHash: string, vector: FeatureVector): Promise<void> {
    const sub = join(this.dir, contentHash.slice(0, 2));
    await mkdir(sub, { recursive: true });
    if (!this.names) {
      this.names = vector.names;
      await atomicWrite(join(this.dir, 'names.json'), JSON.stringify(vector.names));
    }
    const v = vector.values;
    await atomicWrite(join(sub, `${contentHash}.f32`), new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
}

// Write then rename, so a crash or a concurrent run never leaves half an entry.
async function atomicWrite(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
