import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';

/** YAMNet as converted to ONNX by scripts/yamnet-to-onnx.ts, committed in models/yamnet/ (provenance there). */
export const YAMNET_MODEL_PATH = join(PACKAGE_ROOT, 'models', 'yamnet', 'yamnet.onnx');

const hashes = new Map<string, string>();

/**
 * SHA-256 of a model file (first 16 hex digits), read once per process: part of the
 * feature cache key of a front-end whose network is a file of the repository, so that a
 * reconverted model never reads back the features of the old one. A missing file gives
 * "missing"; loading the model then fails with its own error.
 * @example
 * modelFileHash(YAMNET_MODEL_PATH); // e.g. '3f1c…'
 */
export function modelFileHash(path: string): string {
  let hash = hashes.get(path);
  if (hash === undefined) {
    try {
      hash = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
    } catch {
      hash = 'missing';
    }
    hashes.set(path, hash);
  }
  return hash;
}
