import { DEFAULT_EMBEDDING_LAYERS } from '../features/embedding.js';
import type { FeatureConfig } from '../features/frontends.js';
import type { HeadConfig } from './index.js';

/**
 * The default training recipe: what `emovox train` and `evaluate` use unless told
 * otherwise, and what the shipped model was trained with. Chosen by speaker-grouped
 * 5-fold cross-validation on RAVDESS actors 01–20 (docs/ACCURACY.md), never by one split.
 */
export const DEFAULT_FEATURES: FeatureConfig = {
  // 1536-sample VAD chunks: each chunk is one onnxruntime call, and a third as many calls
  // halve the VAD's CPU time per clip (bench/vad-chunks.ts).
  vad: { enabled: true, threshold: 0.5, padMs: 100, chunk: 1536 },
  frontEnds: [{ name: 'handcrafted' }, { name: 'embedding', layers: DEFAULT_EMBEDDING_LAYERS }],
};

/**
 * Four MLPs with 64 hidden units, each early-stopped on a different quarter of the
 * training speakers, logits averaged: +6.3 points of accuracy over one 64-unit MLP, and
 * +7.6 over one 256-unit MLP, that hold out a fifth of the speakers (docs/ACCURACY.md).
 */
export const DEFAULT_HEAD: Partial<HeadConfig> = { hidden: [64], ensemble: 4 };

export const DEFAULT_SEED = 1;
