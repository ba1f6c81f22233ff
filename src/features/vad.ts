import { loadSession, ort, shippedModelPath } from './onnx.js';
import { SAMPLE_RATE } from '../types.js';

/**
 * Silero VAD v4 reads 512-, 1024- or 1536-sample chunks at 16 kHz, carrying an LSTM
 * state. 512 is what bundles without `vad.chunk` in their config were trained with.
 */
export const VAD_CHUNK = 512;

const session = () => loadSession('silero_vad', async () => shippedModelPath('silero_vad.onnx'));

/**
 * Speech probability per chunk (Silero VAD v4, shipped as ONNX in npm). v4 also takes
 * 1024 and 1536 samples at 16 kHz; bench/vad-chunks.ts measures what that saves.
 */
export async function speechProbabilities(samples: Float32Array, chunkSize = VAD_CHUNK): Promise<{ probs: Float32Array; hop: number }> {
  const s = await session();
  const n = Math.ceil(samples.length / chunkSize);
  const probs = new Float32Array(n);
  const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), []);
  let h = new ort.Tensor('float32', new Float32Array(2 * 64), [2, 1, 64]);
  let c = new ort.Tensor('float32', new Float32Array(2 * 64), [2, 1, 64]);
  for (let i = 0; i < n; i++) {
    const chunk = new Float32Array(chunkSize);
    chunk.set(samples.subarray(i * chunkSize, Math.min(samples.length, (i + 1) * chunkSize)));
    const out = await s.run({ input: new ort.Tensor('float32', chunk, [1, chunkSize]), sr, h, c });
    probs[i] = (out.output.data as Float32Array)[0];
    h = out.hn as typeof h;
    c = out.cn as typeof c;
  }
  return { probs, hop: chunkSize };
}

/**
 * The span from the first to the last chunk that Silero VAD calls speech, widened by
 * `padMs` on each side. RAVDESS clips carry about a second of silence around the
 * sentence; without trimming, utterance statistics average it in. When no chunk reaches
 * the threshold (a whisper, music, digital silence) the whole signal is kept: the
 * features then describe what is there, and prediction still answers rather than failing.
 */
export async function trimSilence(samples: Float32Array, opts: { threshold: number; padMs: number; chunk?: number }): Promise<{ start: number; end: number }> {
  const { probs, hop } = await speechProbabilities(samples, opts.chunk ?? VAD_CHUNK);
  let first = -1;
  let last = -1;
  probs.forEach((p, i) => {
    if (p >= opts.threshold) {
      if (first < 0) first = i;
      last = i;
    }
  });
  if (first < 0) return { start: 0, end: samples.length };
  const pad = Math.round((opts.padMs / 1000) * SAMPLE_RATE);
  return { start: Math.max(0, first * hop - pad), end: Math.min(samples.length, (last + 1) * hop + pad) };
}
