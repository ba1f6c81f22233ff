import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { EmovoxError } from '../errors.js';
import { downmix } from './decode.js';

/**
 * A FLAC stream decoded as its bytes arrive, by its own libFLAC (wasm) decoder, so that
 * several streams can run at once. `decode()` of @wasm-audio-decoders/flac takes bytes cut
 * anywhere (its codec-parser finds the frames) and `flush()` returns the last frame.
 * STREAMINFO's total sample count, when the encoder wrote one, tells a truncated stream.
 * @example
 * const flac = new FlacStreamDecoder('talk.flac');
 * for await (const bytes of byteChunks('talk.flac')) for (const block of await flac.push(bytes)) use(block, flac.sampleRate);
 * for (const block of await flac.end()) use(block, flac.sampleRate);
 */
export class FlacStreamDecoder {
  private decoder: FLACDecoder | null = null;
  private totalSamples: number | null = null;
  private decoded = 0;
  private rate: number | undefined;
  private head = new Uint8Array(0);

  constructor(private readonly file?: string) {}

  get sampleRate(): number | undefined {
    return this.rate;
  }

  async push(bytes: Uint8Array): Promise<Float32Array[]> {
    if (!this.decoder) {
      this.decoder = new FLACDecoder();
      await this.decoder.ready;
    }
    if (this.head.length < 26) this.readStreamInfo(bytes);
    return this.take(await this.decoder.decode(bytes));
  }

  /** The last frame; throws E_DECODE when fewer samples came than STREAMINFO announced. */
  async end(): Promise<Float32Array[]> {
    if (!this.decoder) throw new EmovoxError('E_DECODE', `${this.file ?? 'input'} is empty: no FLAC data arrived`, { file: this.file });
    try {
      const out = this.take(await this.decoder.flush());
      if (this.totalSamples && this.decoded < this.totalSamples) {
        throw new EmovoxError('E_DECODE', `${this.file ?? 'input'} is truncated: its header announces ${this.totalSamples} samples but the stream stopped after ${this.decoded}. Re-export or re-send the file`, { file: this.file });
      }
      return out;
    } finally {
      this.free();
    }
  }

  free(): void {
    this.decoder?.free();
    this.decoder = null;
  }

  private take(r: { channelData: Float32Array[]; samplesDecoded: number; sampleRate: number; bitDepth: number; errors: { message: string }[] }): Float32Array[] {
    if (r.errors.length > 0) {
      throw new EmovoxError('E_DECODE', `${this.file ?? 'input'}: FLAC data is damaged after ${this.decoded + r.samplesDecoded} samples (${r.errors[0].message}): re-export or re-download the file`, { file: this.file });
    }
    if (r.samplesDecoded === 0) return [];
    this.rate = r.sampleRate;
    this.decoded += r.samplesDecoded;
    const channels = r.channelData.map((c) => rescale(c.subarray(0, r.samplesDecoded), r.bitDepth));
    return [channels.length > 1 ? downmix(channels) : channels[0]];
  }

  /** STREAMINFO (the first metadata block): bits 36–71 of its body are the total samples, 0 when unknown. */
  private readStreamInfo(bytes: Uint8Array): void {
    const joined = new Uint8Array(this.head.length + bytes.length);
    joined.set(this.head);
    joined.set(bytes, this.head.length);
    this.head = joined.slice(0, 26);
    if (this.head.length < 26) return;
    if (String.fromCharCode(...this.head.subarray(0, 4)) !== 'fLaC') throw new EmovoxError('E_DECODE', `${this.file ?? 'input'} is not a FLAC stream`, { file: this.file });
    const b = this.head;
    const total = (b[21] & 0x0f) * 2 ** 32 + ((b[22] << 24) >>> 0) + (b[23] << 16) + (b[24] << 8) + b[25];
    this.totalSamples = total > 0 ? total : null;
  }
}

/** As in flac.ts: the decoder divides by 2^(bits-1) - 1, emovox (like libsndfile) by 2^(bits-1). */
function rescale(channel: Float32Array, bitDepth: number): Float32Array {
  const decoderScale = 2 ** (bitDepth - 1) - 1;
  const ourScale = 2 ** (bitDepth - 1);
  const out = new Float32Array(channel.length);
  for (let i = 0; i < channel.length; i++) out[i] = Math.round(channel[i] * decoderScale) / ourScale;
  return out;
}
