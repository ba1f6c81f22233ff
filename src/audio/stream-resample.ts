import { createRequire } from 'node:module';
import type { SRC } from '@alexanderolsen/libsamplerate-js/dist/src.js';

const require = createRequire(import.meta.url);
const libsamplerate = require('@alexanderolsen/libsamplerate-js') as typeof import('@alexanderolsen/libsamplerate-js');

/**
 * The one resampler of emovox (libsamplerate, SRC_SINC_BEST_QUALITY, as `resample()`),
 * fed block by block through libsamplerate's `full` API, which keeps the filter state
 * between calls. libsamplerate holds back the last half-filter until more input comes;
 * `end()` pushes silence through to release it and trims the output to
 * round(n × to / from) samples, so the result equals `resample()` on the whole signal
 * (tested sample for sample).
 * @example
 * const rs = await StreamResampler.create(48000, 16000);
 * for await (const block of blocks48k) consume(rs.push(block));
 * consume(rs.end());
 */
export class StreamResampler {
  private inFrames = 0;
  private outFrames = 0;

  private constructor(
    private readonly src: SRC | null,
    readonly fromRate: number,
    readonly toRate: number,
  ) {}

  static async create(fromRate: number, toRate: number): Promise<StreamResampler> {
    if (fromRate === toRate) return new StreamResampler(null, fromRate, toRate);
    const src = await libsamplerate.create(1, fromRate, toRate, { converterType: libsamplerate.ConverterType.SRC_SINC_BEST_QUALITY });
    return new StreamResampler(src, fromRate, toRate);
  }

  push(block: Float32Array): Float32Array {
    this.inFrames += block.length;
    if (!this.src) return block;
    const out = this.src.full(block).slice();
    return this.take(out);
  }

  /** The held-back tail; the resampler is freed afterwards. */
  end(): Float32Array {
    if (!this.src) return new Float32Array(0);
    const tail: Float32Array[] = [];
    const silence = new Float32Array(Math.max(1024, Math.ceil(this.fromRate / 10)));
    // SINC_BEST's filter spans well under 0.1 s, so a few blocks of silence flush it.
    for (let i = 0; i < 20 && this.outFrames < this.expected(); i++) tail.push(this.take(this.src.full(silence).slice()));
    this.src.destroy();
    const n = tail.reduce((s, t) => s + t.length, 0);
    const out = new Float32Array(n);
    let o = 0;
    for (const t of tail) {
      out.set(t, o);
      o += t.length;
    }
    return out;
  }

  private expected(): number {
    return Math.round((this.inFrames * this.toRate) / this.fromRate);
  }

  private take(out: Float32Array): Float32Array {
    const room = this.expected() - this.outFrames;
    const kept = out.length > room ? out.subarray(0, Math.max(0, room)) : out;
    this.outFrames += kept.length;
    return kept;
  }
}
