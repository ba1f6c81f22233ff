/**
 * Writes the features of both corpora (RAVDESS actors 01–20 and the nEMO half), through the
 * feature cache, for the numpy screen of the signal levers (level-screen.py):
 *   node --import tsx scripts/experiments/dump-corpora.ts [FRONT-ENDS, default handcrafted,embedding,yamnet] [--vad] [--level]
 * → scratch/feat/[vad-][level-]{ravdess,nemo}-handcrafted+embedding.{f32,json}
 * (float32 rows × cols, row-major; the json has rows, cols, labels, speakers, names, files).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadCorpusFeatures, type CorpusKey } from './corpus-features.js';

const args = process.argv.slice(2);
const spec = args.find((a) => !a.startsWith('--')) ?? 'handcrafted,embedding,yamnet';
const signal = { vad: args.includes('--vad'), level: args.includes('--level') };
const prefix = `${signal.vad ? 'vad-' : ''}${signal.level ? 'level-' : ''}`;
mkdirSync('scratch/feat', { recursive: true });
for (const corpus of ['ravdess', 'nemo'] as CorpusKey[]) {
  const f = await loadCorpusFeatures(corpus, spec, undefined, signal);
  const tag = `scratch/feat/${prefix}${corpus}-${spec.replace(/,/g, '+')}`;
  writeFileSync(`${tag}.f32`, new Uint8Array(f.X.data.buffer, f.X.data.byteOffset, f.X.data.byteLength));
  writeFileSync(`${tag}.json`, JSON.stringify({ rows: f.X.rows, cols: f.X.cols, labels: f.labels, speakers: f.speakers, names: f.names, files: f.rows.map((r) => r.path) }));
  console.log(`${tag}: ${f.X.rows} × ${f.X.cols}`);
}
