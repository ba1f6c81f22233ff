import { EmovoxError } from '../errors.js';
import { decodeWavChannels, isWav, parseWavHeader, type WavInfo } from './wav.js';
import { downmix } from './decode.js';

/** Bytes of header we wait for at most before deciding the data chunk is missing. */
const MAX_HEADER_BYTES = 1 << 20;

/**
 * A WAV file decoded as its bytes arrive: the header is read once the `data` chunk
 * starts (chunks before it, such as the RAVDESS originals' 4 KB FLLR, are skipped by
 * `parseWavHeader`), then each block of bytes becomes mono samples at the file's rate.
 * A data size of 0 or 0xFFFFFFFF (what ffmpeg and arecord write to a pipe) means "read
 * to the end"; a stated size that the stream does not reach is a truncated file.
 * @example
 * const wav = new WavStreamDecoder('talk.wav');
 * for await (const bytes of byteChunks('talk.wav')) for (const block of wav.push(bytes)) use(block, wav.sampleRate);
 * wav.end(); // throws E_DECODE if the file stopped short
 */
export class WavStreamDecoder {
  private header: Uint8Array | null = new Uint8Array(0);
  private info: WavInfo | null = null;
  private statedBytes: number | null = null;
  private received = 0;
  private carry = new Uint8Array(0);

  constructor(private readonly file?: string) {}

  /** The file's sample rate, known once the header has arrived. */
  get sampleRate(): number | undefined {
    return this.info?.sampleRate;
  }

  /** Mono samples (channels averaged) decoded from these bytes, possibly none yet. */
  push(bytes: Uint8Array): Float32Array[] {
    if (this.header) {
      const joined = concat(this.header, bytes);
      const start = this.findData(joined);
      if (start === null) {
        this.header = joined;
        return [];
      }
      this.header = null;
      return this.samples(joined.subarray(start));
    }
    return this.samples(bytes);
  }

  /** Checks that the stream held all the audio its header announced. */
  end(): void {
    const name = this.file ?? 'input';
    if (this.header) throw new EmovoxError('E_DECODE', `${name} ended before its WAV header was complete: the stream was cut off or is not WAV`, { file: this.file });
    if (this.statedBytes !== null && this.received < this.statedBytes) {
      throw new EmovoxError('E_DECODE', `${name} is truncated: its header announces ${this.statedBytes} bytes of audio but the stream stopped after ${this.received}. Re-export or re-send the file`, { file: this.file });
    }
  }

  private samples(bytes: Uint8Array): Float32Array[] {
    const info = this.info as WavInfo;
    let data = bytes;
    if (this.statedBytes !== null) data = data.subarray(0, Math.max(0, this.statedBytes - this.received));
    this.received += data.length;
    if (this.carry.length) data = concat(this.carry, data);
    const frameBytes = (info.bitsPerSample / 8) * info.channels;
    const frames = Math.floor(data.length / frameBytes);
    this.carry = data.slice(frames * frameBytes);
    if (frames === 0) return [];
    const channels = decodeWavChannels(data, { ...info, dataOffset: 0, dataBytes: frames * frameBytes, frames });
    return [channels.length > 1 ? downmix(channels) : channels[0]];
  }

  /** Offset of the first sample byte once the header is complete, else null. */
  private findData(bytes: Uint8Array): number | null {
    if (bytes.length < 12) return null;
    if (!isWav(bytes)) throw new EmovoxError('E_DECODE', `${this.file ?? 'input'} is not a RIFF/WAVE file: check that it really is audio`, { file: this.file });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = 12;
    while (pos + 8 <= bytes.length) {
      const size = view.getUint32(pos + 4, true);
      if (String.fromCharCode(...bytes.subarray(pos, pos + 4)) === 'data') {
        // parseWavHeader checks the fmt chunk; the data size is set to "read to the end"
        // in a copy, since the samples have not arrived yet.
        const head = bytes.slice(0, pos + 8);
        new DataView(head.buffer).setUint32(pos + 4, 0, true);
        this.info = parseWavHeader(head, this.file);
        this.statedBytes = size === 0 || size === 0xffffffff ? null : size;
        return pos + 8;
      }
      pos += 8 + size + (size & 1);
    }
    if (bytes.length > MAX_HEADER_BYTES) throw new EmovoxError('E_DECODE', `${this.file ?? 'input'}: no data chunk in the first ${MAX_HEADER_BYTES} bytes of the WAV: the file is damaged`, { file: this.file });
    return null;
  }
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
