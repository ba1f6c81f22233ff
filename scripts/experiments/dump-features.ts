/**
 * Writes the feature matrix of the RAVDESS actors 01–20, as `emovox evaluate` builds it,
 * for the head experiments in heads.py (numpy), to scratch/feat/TAG.f32 + TAG.json:
 *   node --import tsx scripts/experiments/dump-features.ts vad1536 --vad --vad-chunk 1536
 *   LAYERS=pool1,pool2,pool3,pool4,pool5,final node --import tsx scripts/experiments/dump-features.ts all6 --vad
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadTrainingData } from '../../src/cli/training-data.js';
import { DEFAULT_EMBEDDING_LAYERS } from '../../src/features/embedding.js';

const [tag, ...flags] = process.argv.slice(2);
const vad = flags.includes('--vad');
const chunk = flags.includes('--vad-chunk') ? flags[flags.indexOf('--vad-chunk') + 1] : '1536';
const data = await loadTrainingData('../shared/data/ravdess-speech-16k', {
  corpus: 'auto',
  embeddingLayers: process.env.LAYERS ?? DEFAULT_EMBEDDING_LAYERS.join(','),
  vad,
  vadChunk: chunk,
  cache: true,
  seed: '1',
});
mkdirSync('scratch/feat', { recursive: true });
writeFileSync(`scratch/feat/${tag}.f32`, new Uint8Array(data.X.data.buffer, data.X.data.byteOffset, data.X.data.byteLength));
writeFileSync(`scratch/feat/${tag}.json`, JSON.stringify({ rows: data.X.rows, cols: data.X.cols, y: Array.from(data.y), labels: data.labels, speakers: data.speakers, names: data.names, files: data.files }));
console.log(`scratch/feat/${tag}: ${data.X.rows} × ${data.X.cols}`);
