import { loadAudio } from '../audio/index.js';
import { concatVectors, extractFeatures, type FeatureConfig, type FeatureVector } from '../features/frontends.js';
import { FeatureCache, featureConfigKey } from '../features/cache.js';
import { toEmovoxError, type EmovoxError } from '../errors.js';
import type { Matrix } from '../types.js';

export interface FeatureRow {
  path: string;
  sha256: string;
}

export interface DatasetFeatures {
  names: string[];
  /** One row per input that succeeded, in input order. */
  X: Matrix;
  /** Index into the input rows for each row of X. */
  kept: Int32Array;
  failures: { path: string; error: EmovoxError }[];
  cacheHits: number;
}

export interface ExtractOptions {
  sampleRate: number;
  /** null turns the cache off (`--no-cache`). */
  cacheDir: string | null;
  maxDurationSec?: number;
  onProgress?: (done: number, path: string) => void;
  /** Files in flight at once: decoding and ONNX inference overlap on two cores. */
  concurrency?: number;
}

/**
 * Feature vectors for a whole manifest, through the same `loadAudio` + `extractFeatures`
 * that prediction uses. A bad file is recorded in `failures` and the others go on.
 */
export async function extractDatasetFeatures(rows: FeatureRow[], config: FeatureConfig, opts: ExtractOptions): Promise<DatasetFeatures> {
  // One cache per front-end (with the VAD setting), so that trying handcrafted, then
  // handcrafted + embedding, extracts each front-end once.
  const caches = config.frontEnds.map((fe) =>
    opts.cacheDir ? new FeatureCache(opts.cacheDir, featureConfigKey({ vad: config.vad, frontEnds: [fe] }, { sampleRate: opts.sampleRate })) : null,
  );
  const vectors: (Float32Array | null)[] = new Array(rows.length).fill(null);
  const failures: { path: string; error: EmovoxError }[] = [];
  let names: string[] | null = null;
  let cacheHits = 0;
  let next = 0;
  let done = 0;

  const worker = async (): Promise<void> => {
    while (next < rows.length) {
      const i = next++;
      const row = rows[i];
      try {
        const parts: (FeatureVector | null)[] = await Promise.all(caches.map((c) => (c ? c.get(row.sha256) : null)));
        const missing = config.frontEnds.filter((_, f) => !parts[f]);
        if (missing.length === 0) cacheHits++;
        else {
          const samples = await loadAudio(row.path, { sampleRate: opts.sampleRate, maxDurationSec: opts.maxDurationSec });
          for (const fe of missing) {
            const f = config.frontEnds.indexOf(fe);
            parts[f] = await extractFeatures(samples, { vad: config.vad, frontEnds: [fe] });
            await caches[f]?.set(row.sha256, parts[f] as FeatureVector);
          }
        }
        const vec = concatVectors(parts as FeatureVector[]);
        names ??= vec.names;
        vectors[i] = vec.values;
      } catch (e) {
        failures.push({ path: row.path, error: toEmovoxError(e, 'E_DECODE', row.path) });
      }
      opts.onProgress?.(++done, row.path);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, worker));

  const keptList: number[] = [];
  vectors.forEach((v, i) => v && keptList.push(i));
  const cols = names ? (names as string[]).length : 0;
  const data = new Float32Array(keptList.length * cols);
  keptList.forEach((src, r) => data.set(vectors[src] as Float32Array, r * cols));
  return { names: names ?? [], X: { data, rows: keptList.length, cols }, kept: Int32Array.from(keptList), failures, cacheHits };
}

/** Rows of a matrix picked by index, as a new matrix. */
export function takeRows(X: Matrix, index: Int32Array): Matrix {
  const out = new Float32Array(index.length * X.cols);
  for (let r = 0; r < index.length; r++) out.set(X.data.subarray(index[r] * X.cols, (index[r] + 1) * X.cols), r * X.cols);
  return { data: out, rows: index.length, cols: X.cols };
}
