import { loadSession, ort, shippedModelPath } from './onnx.js';
import { SAMPLE_RATE } from '../types.js';
import { EmovoxError } from '../errors.js';

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

/**
 * Silero VAD over a stream: samples go in as they arrive, in blocks of any length, and a
 * speech probability comes out for each complete chunk, with the LSTM state carried
 * across blocks. The probabilities equal `speechProbabilities` on the whole signal.
 * @example
 * const vad = new StreamingVad(1536);
 * for await (const block of blocks) for (const p of await vad.push(block)) onProbability(p);
 * const last = await vad.flush(); // the final partial chunk, zero-padded
 */
export class StreamingVad {
  private h: ort.Tensor = new ort.Tensor('float32', new Float32Array(2 * 64), [2, 1, 64]);
  private c: ort.Tensor = new ort.Tensor('float32', new Float32Array(2 * 64), [2, 1, 64]);
  private readonly sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), []);
  private pending: Float32Array;
  private filled = 0;

  constructor(readonly chunk = VAD_CHUNK) {
    if (![512, 1024, 1536].includes(chunk)) throw new EmovoxError('E_USAGE', `the VAD chunk must be 512, 1024 or 1536 samples at 16 kHz, got ${chunk}`);
    this.pending = new Float32Array(chunk);
  }

  /** Probabilities of the chunks these samples complete (possibly none). */
  async push(samples: Float32Array): Promise<Float32Array> {
    const out = new Float32Array(Math.floor((this.filled + samples.length) / this.chunk));
    let n = 0;
    let i = 0;
    while (i < samples.length) {
      const take = Math.min(this.chunk - this.filled, samples.length - i);
      this.pending.set(samples.subarray(i, i + take), this.filled);
      this.filled += take;
      i += take;
      if (this.filled === this.chunk) {
        out[n++] = await this.run(this.pending);
        this.filled = 0;
      }
    }
    return out;
  }

  /** The probability of the last, partial chunk (zero-padded, as `speechProbabilities` pads), if any. */
  async flush(): Promise<Float32Array> {
    if (this.filled === 0) return new Float32Array(0);
    this.pending.fill(0, this.filled);
    this.filled = 0;
    return Float32Array.of(await this.run(this.pending));
  }

  private async run(chunk: Float32Array): Promise<number> {
    const s = await session();
    // The tensor must own its data: `pending` is reused for the next chunk.
    const out = await s.run({ input: new ort.Tensor('float32', chunk.slice(), [1, this.chunk]), sr: this.sr, h: this.h, c: this.c });
    this.h = out.hn as ort.Tensor;
    this.c = out.cn as ort.Tensor;
    return (out.output.data as Float32Array)[0];
  }
}
