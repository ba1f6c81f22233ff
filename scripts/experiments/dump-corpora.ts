/**
 * Both corpora's features as flat files for the numpy screens (scripts/experiments/dann.py):
 * for each corpus, loadCorpusFeatures(corpus, spec) (the feature cache) written as
 * scratch/feat/<corpus>-<spec with + for ,>.f32 (float32, rows × cols, row-major) and a .json
 * beside it with rows, cols, labels, speakers, names (the feature names) and files.
 *
 *   node --import tsx scripts/experiments/dump-corpora.ts handcrafted,embedding,yamnet
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadCorpusFeatures, type CorpusKey } from './corpus-features.js';

const spec = process.argv[2] ?? 'handcrafted,embedding,yamnet';
mkdirSync('scratch/feat', { recursive: true });
for (const c of ['ravdess', 'nemo'] as CorpusKey[]) {
  const f = await loadCorpusFeatures(c, spec);
  const tag = `${c}-${spec.replace(/,/g, '+')}`;
  writeFileSync(`scratch/feat/${tag}.f32`, new Uint8Array(f.X.data.buffer, f.X.data.byteOffset, f.X.data.byteLength));
  writeFileSync(`scratch/feat/${tag}.json`, JSON.stringify({ rows: f.X.rows, cols: f.X.cols, labels: f.labels, speakers: f.speakers, names: f.names, files: f.rows.map((r) => r.path) }));
  console.log(tag, f.X.rows, f.X.cols);
}
