import { EmovoxError } from '../errors.js';

/**
 * Where a decoder puts its samples, block by block: averaged to mono on the way (so a
 * 6-channel file costs one channel of memory), grown by doubling, and stopped as soon as
 * it would pass `maxFrames`, so memory follows what was checked, not what a header claims.
 * It also counts non-finite samples (NaN, ±Inf), which only float data can hold.
 */
export class SampleSink {
  readonly channelCount: number;
  private readonly mono: boolean;
  private readonly maxFrames: number;
  private readonly onTooLong: (frames: number) => EmovoxError;
  private buffers: Float32Array[];
  frames = 0;
  nonFinite = 0;

  constructor(opts: { channels: number; mono: boolean; expectedFrames?: number; maxFrames?: number; onTooLong: (frames: number) => EmovoxError }) {
    this.channelCount = opts.channels;
    this.mono = opts.mono;
    this.maxFrames = opts.maxFrames ?? Number.MAX_SAFE_INTEGER;
    this.onTooLong = opts.onTooLong;
    const start = Math.min(opts.expectedFrames ?? 1 << 16, this.maxFrames + 1);
    this.buffers = Array.from({ length: this.mono ? 1 : this.channelCount }, () => new Float32Array(Math.max(1, start)));
  }

  /** How many more frames fit under the limit (Infinity without one). */
  get framesLeft(): number {
    return this.maxFrames === Number.MAX_SAFE_INTEGER ? Infinity : this.maxFrames - this.frames;
  }

  /** Appends `n` frames given one array per channel. */
  append(channels: Float32Array[], n: number): void {
    if (channels.length !== this.channelCount) throw new EmovoxError('E_DECODE', `the stream changed from ${this.channelCount} to ${channels.length} channels mid-way: the file is damaged`);
    this.reserve(n);
    const at = this.frames;
    if (this.mono && this.channelCount > 1) {
      const out = this.buffers[0];
      const k = 1 / this.channelCount;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < this.channelCount; c++) s += channels[c][i];
        out[at + i] = s * k;
      }
    } else {
      for (let c = 0; c < this.buffers.length; c++) this.buffers[c].set(channels[c].subarray(0, n), at);
    }
    for (let c = 0; c < this.buffers.length; c++) this.countNonFinite(this.buffers[c], at, at + n);
    this.frames += n;
  }

  /** Appends `n` interleaved frames. */
  appendInterleaved(data: Float32Array, n: number): void {
    this.reserve(n);
    const at = this.frames;
    const ch = this.channelCount;
    if (this.mono) {
      const out = this.buffers[0];
      const k = 1 / ch;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < ch; c++) s += data[i * ch + c];
        out[at + i] = ch === 1 ? s : s * k;
      }
    } else {
      for (let c = 0; c < ch; c++) {
        const out = this.buffers[c];
        for (let i = 0; i < n; i++) out[at + i] = data[i * ch + c];
      }
    }
    for (let c = 0; c < this.buffers.length; c++) this.countNonFinite(this.buffers[c], at, at + n);
    this.frames += n;
  }

  /** The samples so far, one array per kept channel (views of exactly `frames` length). */
  result(): Float32Array[] {
    return this.buffers.map((b) => (b.length === this.frames ? b : b.slice(0, this.frames)));
  }

  /** Throws the sink's E_TOO_LONG if `n` more frames would pass the limit. */
  reserveOrThrow(n: number): void {
    if (this.frames + n > this.maxFrames) throw this.onTooLong(this.frames + n);
  }

  private reserve(n: number): void {
    const need = this.frames + n;
    if (need > this.maxFrames) throw this.onTooLong(need);
    if (need <= this.buffers[0].length) return;
    const size = Math.min(Math.max(need, this.buffers[0].length * 2), this.maxFrames);
    this.buffers = this.buffers.map((b) => {
      const grown = new Float32Array(size);
      grown.set(b.subarray(0, this.frames));
      return grown;
    });
  }

  private countNonFinite(b: Float32Array, from: number, to: number): void {
    for (let i = from; i < to; i++) if (!Number.isFinite(b[i])) this.nonFinite++;
  }
}
