/**
 * Features of a whole corpus for the cross-corpus experiments: scanDataset + the on-disk
 * feature cache of the FeatureExtractor (one cache entry per front-end, so each front-end
 * is extracted once per file and reused by every experiment).
 *
 *   node --import tsx scripts/experiments/corpus-features.ts handcrafted,embedding,yamnet
 * extracts (or checks) every front-end of the list for both corpora and prints the counts.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanDataset, type Manifest, type ManifestRow } from '../../src/datasets/index.js';
import { FeatureExtractor } from '../../src/features/extractor.js';
import { defaultCacheDir } from '../../src/features/cache.js';
import { parseFrontEnds, type FeatureConfig } from '../../src/features/frontends.js';
import { DEFAULT_EMBEDDING_LAYERS } from '../../src/features/embedding.js';
import { DEFAULT_FEATURES } from '../../src/model/recipe.js';
import { DEFAULT_LEVEL } from '../../src/features/level.js';
import { performanceGroups } from '../../src/datasets/splits.js';
import { SHARED_DATA } from '../../src/paths.js';
import { SAMPLE_RATE, type Matrix } from '../../src/types.js';

export const CORPORA = {
  ravdess: join(SHARED_DATA, 'ravdess-speech-16k'),
  nemo: join(SHARED_DATA, 'nemo-16k'),
} as const;
export type CorpusKey = keyof typeof CORPORA;

export interface CorpusFeatures {
  corpus: CorpusKey;
  names: string[];
  X: Matrix;
  /** Emotion label of each row (one of the eight). */
  labels: string[];
  speakers: string[];
  /** Speaker-and-performance groups for grouped splits (performanceGroups). */
  groups: Int32Array;
  rows: ManifestRow[];
}

/** Levers of the signal before the front-ends: Silero VAD trimming (512-sample chunks) and level normalisation. */
export interface SignalOptions {
  vad?: boolean;
  level?: boolean;
}

export function featureConfig(spec: string, signal: SignalOptions = {}): FeatureConfig {
  return {
    vad: signal.vad ? { ...DEFAULT_FEATURES.vad, enabled: true, chunk: 512 } : DEFAULT_FEATURES.vad,
    frontEnds: parseFrontEnds(spec, DEFAULT_EMBEDDING_LAYERS),
    ...(signal.level ? { level: DEFAULT_LEVEL } : {}),
  };
}

/**
 * scanDataset's manifest, kept beside the feature cache under a key made of every file's
 * path, size and modification time: the scan hashes every file (and decodes nEMO's
 * same-length files), which costs more CPU than an experiment's screening head.
 */
async function cachedManifest(corpus: CorpusKey): Promise<Manifest> {
  const listing: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const st = statSync(p);
        listing.push(`${p}:${st.size}:${st.mtimeMs}`);
      }
    }
  };
  walk(CORPORA[corpus]);
  const key = createHash('sha256').update(listing.sort().join('\n')).digest('hex').slice(0, 16);
  const dir = join(defaultCacheDir(), 'manifests');
  const file = join(dir, `${corpus}-${key}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    const manifest = await scanDataset(CORPORA[corpus], { corpus });
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(manifest));
    return manifest;
  }
}

export async function loadCorpusFeatures(corpus: CorpusKey, spec: string, log: (s: string) => void = (s) => void process.stderr.write(s + '\n'), signal: SignalOptions = {}): Promise<CorpusFeatures> {
  const manifest = await cachedManifest(corpus);
  const started = process.cpuUsage();
  let last = 0;
  const extractor = new FeatureExtractor({ features: featureConfig(spec, signal), sampleRate: SAMPLE_RATE }, { cacheDir: defaultCacheDir() });
  const extracted = await extractor.processFiles(manifest.rows, {
    onProgress: (done) => {
      if (done - last >= 200 || done === manifest.rows.length) {
        last = done;
        log(`${corpus} ${spec}: ${done}/${manifest.rows.length}`);
      }
    },
  });
  const cpu = process.cpuUsage(started);
  if (extracted.failures.length) throw new Error(`${extracted.failures.length} files failed: ${extracted.failures[0].path}: ${extracted.failures[0].error.message}`);
  log(`${corpus} ${spec}: ${extracted.X.rows} files, ${extracted.cacheHits} from cache, ${extracted.names.length} features, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU`);
  const rows = Array.from(extracted.kept, (i) => manifest.rows[i]);
  return {
    corpus,
    names: extracted.names,
    X: extracted.X,
    labels: rows.map((r) => r.label),
    speakers: rows.map((r) => `${corpus}:${r.speaker}`),
    groups: performanceGroups(rows),
    rows,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const spec = process.argv[2] ?? 'handcrafted,embedding';
  for (const corpus of (process.argv[3]?.split(',') ?? Object.keys(CORPORA)) as CorpusKey[]) await loadCorpusFeatures(corpus, spec);
}
