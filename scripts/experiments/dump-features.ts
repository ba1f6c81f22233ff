/**
 * Writes the feature matrix of the RAVDESS actors 01–20, as `emovox evaluate` builds it,
 * for the head experiments in heads.py (numpy), to scratch/feat/TAG.f32 + TAG.json:
 *   node --import tsx scripts/experiments/dump-features.ts vad1536 --vad --vad-chunk 1536
 *   LAYERS=pool1,pool2,pool3,pool4,pool5,final node --import tsx scripts/experiments/dump-features.ts all6 --vad
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadDataset } from '../../src/datasets/dataset.js';
import { FeatureExtractor } from '../../src/features/extractor.js';
import { makeRecipe } from '../../src/model/recipe.js';
import { featurize } from '../../src/model/training-set.js';

const [tag, ...flags] = process.argv.slice(2);
const vad = flags.includes('--vad');
const chunk = flags.includes('--vad-chunk') ? Number(flags[flags.indexOf('--vad-chunk') + 1]) : 1536;
const recipe = makeRecipe({ features: { embeddingLayers: process.env.LAYERS?.split(','), vad: { enabled: vad, chunk } } });
const set = await featurize(await loadDataset('../shared/data/ravdess-speech-16k'), new FeatureExtractor(recipe));
const { X, y, names, data } = set;
mkdirSync('scratch/feat', { recursive: true });
writeFileSync(`scratch/feat/${tag}.f32`, new Uint8Array(X.data.buffer, X.data.byteOffset, X.data.byteLength));
writeFileSync(`scratch/feat/${tag}.json`, JSON.stringify({ rows: X.rows, cols: X.cols, y: Array.from(y), labels: data.labels, speakers: data.speakers, names, files: data.items.map((it) => it.path) }));
console.log(`scratch/feat/${tag}: ${X.rows} × ${X.cols}`);
