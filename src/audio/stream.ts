import { EmovoxError } from '../errors.js';
import { SAMPLE_RATE } from '../types.js';
import { byteChunks, type ByteSource } from './stream-bytes.js';
import { concat, WavStreamDecoder } from './stream-wav.js';
import { FlacStreamDecoder } from './stream-flac.js';
import { ffmpegWavStream } from './stream-ffmpeg.js';
import { ResampleStream } from './resample.js';
import { isFlac } from './flac.js';

export type { ByteSource } from './stream-bytes.js';

/** Headerless PCM, as `arecord -t raw` or `ffmpeg -f s16le` write it. */
export interface RawPcmFormat {
  encoding: 's16le' | 'f32le';
  sampleRate: number;
  /** Interleaved channels, averaged to mono (default 1). */
  channels?: number;
}

export interface PcmStreamOptions {
  /** The rate of the blocks yielded (default 16 kHz). */
  sampleRate?: number;
  /** Read the bytes as raw PCM in this format instead of telling the container by its magic bytes. */
  raw?: RawPcmFormat;
  /** The name used in error messages (default: the path, or "input"). */
  file?: string;
}

/**
 * Mono blocks of samples at 16 kHz (or `sampleRate`), decoded, downmixed and resampled
 * as the bytes arrive. WAV and FLAC are decoded in-process, any other container through
 * ffmpeg; raw PCM when `raw` says its format. The container is told by its magic bytes,
 * so standard input needs no name. A stream that stops short throws E_DECODE after the
 * blocks decoded before the cut.
 * @example
 * for await (const block of decodePcmStream('podcast.mp3')) seconds += block.length / 16000;
 */
export async function* decodePcmStream(source: ByteSource, opts: PcmStreamOptions = {}): AsyncGenerator<Float32Array> {
  const target = opts.sampleRate ?? SAMPLE_RATE;
  const file = opts.file ?? (typeof source === 'string' ? source : undefined);
  let resampler: ResampleStream | null = null;
  // Blocks first, then the rate: a decoder learns its rate from the bytes that give the first blocks.
  const resampled = async function* (blocks: Float32Array[], rate: () => number | undefined): AsyncGenerator<Float32Array> {
    if (blocks.length === 0) return;
    const from = rate();
    if (from === undefined) throw new EmovoxError('E_DECODE', `${file ?? 'input'}: samples arrived before the sample rate was known`, { file });
    resampler ??= new ResampleStream(from, target);
    for (const b of blocks) {
      const out = resampler.push(b);
      if (out.length) yield out;
    }
  };
  const bytes = byteChunks(source, file);
  let empty = true;
  if (opts.raw) {
    const pcm = new RawPcmDecoder(opts.raw, file);
    for await (const chunk of bytes) yield* resampled(pcm.push(chunk), () => opts.raw?.sampleRate);
    empty = pcm.frames === 0;
  } else {
    const { head, rest } = await peek(bytes, 4);
    if (head.length === 0) throw new EmovoxError('E_EMPTY_AUDIO', `${file ?? 'input'} is empty (0 bytes): record or send it again`, { file });
    if (isFlac(head)) {
      const flac = new FlacStreamDecoder(file);
      try {
        for await (const chunk of rest) yield* resampled(await flac.push(chunk), () => flac.sampleRate);
        yield* resampled(await flac.end(), () => flac.sampleRate);
      } finally {
        flac.free();
      }
    } else {
      // "RIFF": the rest of the WAV header is checked by the WAV decoder.
      const riff = String.fromCharCode(...head) === 'RIFF';
      if (!riff && typeof source === 'string') await rest.return(undefined); // ffmpeg reads the file itself
      const wavBytes = riff ? rest : ffmpegWavStream(typeof source === 'string' ? source : rest, file);
      const wav = new WavStreamDecoder(file);
      for await (const chunk of wavBytes) yield* resampled(wav.push(chunk), () => wav.sampleRate);
      wav.end();
    }
    empty = resampler === null;
  }
  if (empty) throw new EmovoxError('E_EMPTY_AUDIO', `${file ?? 'input'} holds no audio samples: record or send it again`, { file });
  const tail = (resampler as ResampleStream | null)?.end();
  if (tail?.length) yield tail;
}

/** Interleaved s16le/f32le bytes to mono float blocks, carrying a split frame over. */
class RawPcmDecoder {
  frames = 0;
  private carry = new Uint8Array(0);
  private readonly frameBytes: number;

  constructor(private readonly format: RawPcmFormat, file?: string) {
    const channels = format.channels ?? 1;
    if (!(format.sampleRate > 0) || !Number.isInteger(channels) || channels < 1) {
      throw new EmovoxError('E_USAGE', `raw PCM needs a positive sample rate and channel count, got ${format.sampleRate} Hz, ${channels} channels`, { file });
    }
    this.frameBytes = (format.encoding === 's16le' ? 2 : 4) * channels;
  }

  push(bytes: Uint8Array): Float32Array[] {
    const data = concat(this.carry, bytes);
    const frames = Math.floor(data.length / this.frameBytes);
    this.carry = data.slice(frames * this.frameBytes);
    if (frames === 0) return [];
    const channels = this.format.channels ?? 1;
    const view = new DataView(data.buffer, data.byteOffset, frames * this.frameBytes);
    const out = new Float32Array(frames);
    const s16 = this.format.encoding === 's16le';
    for (let i = 0, p = 0; i < frames; i++) {
      let sum = 0;
      for (let c = 0; c < channels; c++, p += s16 ? 2 : 4) sum += s16 ? view.getInt16(p, true) / 32768 : view.getFloat32(p, true);
      out[i] = sum / channels;
    }
    this.frames += frames;
    return [out];
  }
}

/** The first `n` bytes of a byte stream, and the whole stream again (those bytes included). */
async function peek(bytes: AsyncGenerator<Uint8Array>, n: number): Promise<{ head: Uint8Array; rest: AsyncGenerator<Uint8Array> }> {
  const seen: Uint8Array[] = [];
  let have = 0;
  while (have < n) {
    const r = await bytes.next();
    if (r.done) break;
    seen.push(r.value);
    have += r.value.length;
  }
  const head = seen.reduce((a, b) => concat(a, b), new Uint8Array(0)).subarray(0, n);
  async function* rest(): AsyncGenerator<Uint8Array> {
    yield* seen;
    yield* bytes;
  }
  return { head, rest: rest() };
}
