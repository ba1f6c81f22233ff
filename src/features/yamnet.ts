import { loadSession, ort } from './onnx.js';
import { YAMNET_MODEL_PATH } from './model-files.js';
import type { FeatureVector } from './types.js';

export { YAMNET_MODEL_PATH };

/**
 * Google's YAMNet (MobileNet v1 over 96 × 64 log-mel patches, trained on AudioSet's 521
 * sound classes; Apache-2.0), converted from its TFLite export by scripts/yamnet-to-onnx.ts
 * and shipped in models/yamnet/ (provenance and licence there). One run reads one patch of
 * 0.975 s (15600 samples at 16 kHz in [-1, 1]) and gives the 521 class scores, the log-mel
 * patch, and `embedding`, the 1024-dim global average pool before the classifier.
 */
export const YAMNET_PATCH = 15600;
/** Patches start every 0.48 s, YAMNet's own hop (params.py, patch_hop_seconds), so they overlap by half. */
export const YAMNET_HOP = 7680;
export const YAMNET_DIM = 1024;

/**
 * The weights stay INT8 in the file behind DequantizeLinear nodes. With onnxruntime's QDQ
 * handling off, they are folded into float32 constants at load: the float graph of the
 * conversion, at the speed of a float model (2.9 ms per patch, against 5.3 ms when
 * onnxruntime keeps the QDQ nodes; docs/BENCHMARKS.md).
 */
const session = () => loadSession('yamnet', async () => YAMNET_MODEL_PATH, { disable_quant_qdq: '1' });

/**
 * Start samples of the patches over `length` samples: every YAMNET_HOP, and a last one
 * aligned to the end so the tail is read without zero padding. A signal shorter than one
 * patch gives one start (0), and is zero-padded.
 */
export function patchStarts(length: number): number[] {
  if (length <= YAMNET_PATCH) return [0];
  const starts: number[] = [];
  for (let s = 0; s + YAMNET_PATCH <= length; s += YAMNET_HOP) starts.push(s);
  if (starts[starts.length - 1] + YAMNET_PATCH < length) starts.push(length - YAMNET_PATCH);
  return starts;
}

export interface YamnetPatch {
  /** AudioSet class scores (sigmoid), 521. */
  scores: Float32Array;
  /** The 1024-dim embedding. */
  embedding: Float32Array;
}

/**
 * YAMNet on every patch of a 16 kHz signal (patchStarts).
 *
 * @example
 *   const patches = await yamnetPatches(samples);
 *   patches[0].scores[0]; // the score of class 0, "Speech"
 */
export async function yamnetPatches(samples: Float32Array): Promise<YamnetPatch[]> {
  const s = await session();
  const out: YamnetPatch[] = [];
  for (const start of patchStarts(samples.length)) {
    const patch = new Float32Array(YAMNET_PATCH);
    patch.set(samples.subarray(start, start + YAMNET_PATCH));
    const r = await s.run({ waveform: new ort.Tensor('float32', patch, [1, YAMNET_PATCH]) }, ['scores', 'embedding']);
    out.push({ scores: new Float32Array(r.scores.data as Float32Array), embedding: new Float32Array(r.embedding.data as Float32Array) });
  }
  return out;
}

/**
 * The YAMNet front-end: the 1024-dim embedding of every patch of the speech span,
 * summarised over the patches by mean and standard deviation (as the speech_embedding
 * front-end pools its windows): 2048 numbers, `yamnet_mean_<d>` then `yamnet_std_<d>`.
 * A span of one patch has a standard deviation of 0.
 *
 * @example
 *   const v = await yamnetEmbedding(samples, { speech: { start: 0, end: samples.length } });
 *   v.values.length; // 2048
 */
export async function yamnetEmbedding(samples: Float32Array, opts: { speech: { start: number; end: number } }): Promise<FeatureVector> {
  const patches = await yamnetPatches(samples.subarray(opts.speech.start, opts.speech.end));
  const n = patches.length;
  const values = new Float32Array(2 * YAMNET_DIM);
  for (let d = 0; d < YAMNET_DIM; d++) {
    let sum = 0;
    for (const p of patches) sum += p.embedding[d];
    const mean = sum / n;
    let v = 0;
    for (const p of patches) v += (p.embedding[d] - mean) ** 2;
    values[d] = mean;
    values[YAMNET_DIM + d] = Math.sqrt(v / n);
  }
  const names = [...Array.from({ length: YAMNET_DIM }, (_, d) => `yamnet_mean_${d}`), ...Array.from({ length: YAMNET_DIM }, (_, d) => `yamnet_std_${d}`)];
  return { names, values };
}
