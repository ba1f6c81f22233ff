import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { readFile, stat } from 'node:fs/promises';
import Tinypool from 'tinypool';
import type { AugmentSpec } from '../audio/augment-spec.js';
import { loadAudio } from '../audio/decode.js';
import { EmovoxError, toEmovoxError } from '../errors.js';
import { SAMPLE_RATE, type AudioSignal, type Matrix } from '../types.js';
import { stackRows } from '../util/matrix.js';
import { mapConcurrent } from '../util/concurrency.js';
import { FeatureCache, augmentedContentKey, defaultCacheDir, featureConfigKey } from './cache.js';
import { concatVectors, extractFeatures } from './frontends.js';
import extractInWorker from './extract-worker.js';
import type { ExtractReply, ExtractTask } from './extract-task.js';
import { withFrontEnds, type FeatureConfig, type FeatureVector } from './types.js';

export interface FeatureExtractorOptions {
  /** Feature cache folder; `null` turns the cache off. Default: `$EMOVOX_CACHE_DIR`, else `~/.cache/emovox`. */
  cacheDir?: string | null;
  /** Worker threads for `processFiles` (default: one per core). 1 or 0 works in this thread. */
  workers?: number;
  /** Refuse inputs longer than this many seconds (E_TOO_LONG). */
  maxDurationSec?: number;
}

export interface ProcessFilesOptions {
  /** Called after each file, with its error when it failed (the others go on). */
  onProgress?: (done: number, total: number, path: string, error?: EmovoxError) => void;
  /** Stops the work: no new file is started, the ones running finish, and the promise rejects with E_ABORTED. */
  signal?: AbortSignal;
}

/**
 * A file to process; `sha256` (of its bytes) saves hashing it again for the cache. With
 * `augment`, the features are those of that augmented copy of the file (training only),
 * cached under the file's hash and the spec together.
 */
export type FileRef = string | { path: string; sha256?: string; augment?: AugmentSpec };

/** Anything the extractor takes: a file, encoded bytes, or decoded samples at any rate. */
export type ExtractInput = FileRef | Uint8Array | AudioSignal;

/** One input's outcome from `stream`: its vector, or the typed error that stopped it. */
export type ExtractResult = { index: number; path: string; vector: FeatureVector; cached: boolean } | { index: number; path: string; error: EmovoxError };

export interface FilesFeatures {
  names: string[];
  /** One row per file that succeeded, in the order given. */
  X: Matrix;
  /** Index into the files given, for each row of X. */
  kept: Int32Array;
  /** The files that failed, each with its typed error; the others went on. */
  failures: { path: string; error: EmovoxError }[];
  cacheHits: number;
}

// Below this many inputs, starting workers (each loads onnxruntime and the models) costs more than it saves.
const MIN_FILES_FOR_WORKERS = 8;

/**
 * Utterance features from a recipe's front-ends, with opensmile's three verbs: one
 * signal, one file, many files. Many files are spread over worker threads (tinypool),
 * read and written through the on-disk cache, and a bad file is reported while the
 * others go on. Training, evaluation and prediction all get their vectors from here.
 * @example
 * const extractor = new FeatureExtractor(makeRecipe());
 * const { X, failures } = await extractor.processFiles(['a.wav', 'b.flac'], { onProgress: (d, n) => console.log(d, '/', n) });
 */
export class FeatureExtractor {
  readonly config: FeatureConfig;
  readonly sampleRate: number;
  private readonly cacheDir: string | null;
  private readonly workers: number;
  private readonly maxDurationSec?: number;

  constructor(recipe: { features: FeatureConfig; sampleRate?: number }, opts: FeatureExtractorOptions = {}) {
    this.config = recipe.features;
    this.sampleRate = recipe.sampleRate ?? SAMPLE_RATE;
    this.cacheDir = opts.cacheDir === undefined ? defaultCacheDir() : opts.cacheDir;
    this.workers = Math.max(1, Math.floor(opts.workers ?? availableParallelism()));
    this.maxDurationSec = opts.maxDurationSec;
  }

  /** The features of decoded samples at any rate (resampled by the one resampler first). */
  async processSignal(samples: Float32Array, sampleRate: number): Promise<FeatureVector> {
    return extractFeatures(await loadAudio({ samples, sampleRate }, this.audioOptions()), this.config);
  }

  /** The features of one file (a path or its bytes), in this thread. */
  async processFile(source: string | Uint8Array): Promise<FeatureVector> {
    return extractFeatures(await loadAudio(source, this.audioOptions()), this.config);
  }

  /** The features of many files, on all cores, through the cache; the rows keep the order given. */
  async processFiles(files: FileRef[], opts: ProcessFilesOptions = {}): Promise<FilesFeatures> {
    const vectors: (Float32Array | null)[] = new Array(files.length).fill(null);
    const failures: FilesFeatures['failures'] = [];
    let names: string[] | null = null;
    let cacheHits = 0;
    for await (const r of this.stream(files, opts)) {
      if ('error' in r) failures.push({ path: r.path, error: r.error });
      else {
        names ??= r.vector.names;
        vectors[r.index] = r.vector.values;
        if (r.cached) cacheHits++;
      }
    }
    const kept = vectors.flatMap((v, i) => (v ? [i] : []));
    return { names: names ?? [], X: stackRows(kept.map((i) => vectors[i] as Float32Array), names ? (names as string[]).length : 0), kept: Int32Array.from(kept), failures, cacheHits };
  }

  /**
   * Each input's features, or its typed error, as soon as it is done (completion order,
   * with its index). Paths and bytes go to the worker threads when there are enough of
   * them; only paths are cached. Stopping the iteration early ends the workers.
   */
  async *stream(inputs: ExtractInput[], opts: ProcessFilesOptions = {}): AsyncGenerator<ExtractResult> {
    const refs = inputs.map((f) => (typeof f === 'string' ? { path: f } : f instanceof Uint8Array || 'samples' in f ? { source: f } : f));
    // One cache per front-end, so that trying handcrafted, then handcrafted + embedding,
    // extracts each front-end once.
    const caches = this.config.frontEnds.map((fe) => (this.cacheDir ? new FeatureCache(this.cacheDir, featureConfigKey(withFrontEnds(this.config, [fe]), { sampleRate: this.sampleRate })) : null));
    const pool = this.workers > 1 && refs.length >= MIN_FILES_FOR_WORKERS ? new Tinypool({ filename: workerUrl(), maxThreads: this.workers, minThreads: this.workers }) : null;

    // A worker thread must not be ended while onnxruntime runs in it: that aborts the whole
    // process. So a task, once sent, is always let finish (about 0.1 s), cancelled or not.
    const inflight = new Set<Promise<ExtractReply>>();
    const track = (p: Promise<ExtractReply>): Promise<ExtractReply> => {
      inflight.add(p);
      void p.finally(() => inflight.delete(p)).catch(() => {});
      return p;
    };

    const one = async (ref: (typeof refs)[number], index: number): Promise<ExtractResult> => {
      const path = 'path' in ref ? ref.path : `input ${index + 1}`;
      try {
        opts.signal?.throwIfAborted();
        const augment = 'path' in ref ? ref.augment : undefined;
        const fileHash = 'path' in ref && caches.some(Boolean) ? (ref.sha256 ?? (await contentHash(ref.path))) : null;
        const sha256 = fileHash && augment ? augmentedContentKey(fileHash, augment) : fileHash;
        const parts: (FeatureVector | null)[] = await Promise.all(caches.map((c) => (c && sha256 ? c.get(sha256) : null)));
        const missing = this.config.frontEnds.filter((_, f) => !parts[f]);
        if (missing.length > 0) {
          const task: ExtractTask = { source: 'path' in ref ? ref.path : ref.source, config: withFrontEnds(this.config, missing), sampleRate: this.sampleRate, maxDurationSec: this.maxDurationSec, ...(augment ? { augment } : {}) };
          const reply: ExtractReply = pool ? await track(pool.run(task)) : await extractInWorker(task);
          if ('error' in reply) throw new EmovoxError(reply.error.code, reply.error.message, { file: 'path' in ref ? ref.path : undefined });
          for (const [j, fe] of missing.entries()) {
            const f = this.config.frontEnds.indexOf(fe);
            parts[f] = reply.parts[j];
            if (sha256) await caches[f]?.set(sha256, reply.parts[j]);
          }
        }
        return { index, path, vector: concatVectors(parts as FeatureVector[]), cached: missing.length === 0 };
      } catch (e) {
        if (opts.signal?.aborted) throw new EmovoxError('E_ABORTED', 'feature extraction was cancelled', { cause: e });
        return { index, path, error: toEmovoxError(e, 'E_DECODE', 'path' in ref ? ref.path : undefined) };
      }
    };

    let done = 0;
    try {
      // Without workers two inputs overlap: one decodes while the other waits on onnxruntime.
      for await (const { value } of mapConcurrent(refs, pool ? this.workers * 2 : 2, one)) {
        opts.onProgress?.(++done, refs.length, value.path, 'error' in value ? value.error : undefined);
        yield value;
      }
    } finally {
      await Promise.allSettled([...inflight]);
      await pool?.destroy();
    }
  }

  private audioOptions(): { sampleRate: number; maxDurationSec?: number } {
    return { sampleRate: this.sampleRate, maxDurationSec: this.maxDurationSec };
  }
}

/** The worker module next to this one: built, extract-worker.js; from source, a shim that loads extract-worker.ts through tsx. */
function workerUrl(): string {
  return new URL(import.meta.url.endsWith('.ts') ? './extract-worker-from-source.mjs' : './extract-worker.js', import.meta.url).href;
}

/** SHA-256 of a regular file's bytes, the cache key; anything else is left to the decoder to refuse. */
async function contentHash(path: string): Promise<string | null> {
  const s = await stat(path).catch(() => null);
  if (!s?.isFile()) return null;
  return createHash('sha256').update(await readFile(path)).digest('hex');
}
