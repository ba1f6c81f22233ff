import { EmovoxError } from '../errors.js';
import { bufferSource, type ByteSource } from './source.js';
import type { SampleSink } from './sink.js';

/** What a WAV header says, before the samples are read. */
export interface WavInfo {
  format: 'pcm' | 'float';
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Byte offset and length of the sample data. */
  dataOffset: number;
  dataBytes: number;
  frames: number;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Real files have a handful of chunks before `data`; thousands mean a damaged or hostile file. */
const MAX_CHUNKS = 4096;

export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE';
}

/**
 * Parses a RIFF/WAVE header, skipping every chunk it does not need (the RAVDESS
 * originals carry FLLR, LIST, bext and _PMX chunks), honouring the pad byte of
 * odd-sized chunks. Only PCM and IEEE float, plain or WAVE_FORMAT_EXTENSIBLE.
 * Reads only the chunk headers (a file is not loaded), and checks the data size the
 * header announces against the real size, so the length it returns can be trusted.
 *
 * @example
 * const { sampleRate, frames } = parseWavHeader(bytes); // duration = frames / sampleRate
 */
export function parseWavHeader(input: Uint8Array | ByteSource, file?: string): WavInfo {
  const src = input instanceof Uint8Array ? bufferSource(input) : input;
  const name = file ?? src.file ?? 'input';
  file ??= src.file;
  if (!isWav(src.readSync(0, 12))) throw new EmovoxError('E_DECODE', `${name} is not a RIFF/WAVE file: check that it really is audio`, { file });
  let fmt: Omit<WavInfo, 'dataOffset' | 'dataBytes' | 'frames'> | null = null;
  let pos = 12;
  for (let chunks = 0; pos + 8 <= src.size; chunks++) {
    if (chunks >= MAX_CHUNKS) throw new EmovoxError('E_DECODE', `${name}: more than ${MAX_CHUNKS} chunks before the audio data: the file is damaged`, { file });
    const head = src.readSync(pos, 8);
    const id = ascii(head, 0, 4);
    const size = new DataView(head.buffer, head.byteOffset, 8).getUint32(4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      const b = src.readSync(body, Math.min(size, 40));
      if (size < 16 || b.length < 16) throw new EmovoxError('E_DECODE', `${name}: truncated fmt chunk: the file is damaged`, { file });
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      let tag = view.getUint16(0, true);
      const channels = view.getUint16(2, true);
      const sampleRate = view.getUint32(4, true);
      const bitsPerSample = view.getUint16(14, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE) {
        // The sub-format GUID starts with the plain format tag (KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT).
        if (size < 40 || b.length < 26) throw new EmovoxError('E_DECODE', `${name}: truncated WAVE_FORMAT_EXTENSIBLE header`, { file });
        tag = view.getUint16(24, true);
      }
      if (tag !== WAVE_FORMAT_PCM && tag !== WAVE_FORMAT_IEEE_FLOAT) {
        throw new EmovoxError('E_UNSUPPORTED', `${name}: WAV codec 0x${tag.toString(16)} is not PCM or float: convert it to 16-bit PCM WAV`, { file });
      }
      if (channels < 1 || sampleRate < 1) throw new EmovoxError('E_DECODE', `${name}: WAV header has ${channels} channels at ${sampleRate} Hz: the file is damaged`, { file });
      const ok = tag === WAVE_FORMAT_PCM ? [8, 16, 24, 32].includes(bitsPerSample) : [32, 64].includes(bitsPerSample);
      if (!ok) throw new EmovoxError('E_UNSUPPORTED', `${name}: ${bitsPerSample}-bit ${tag === WAVE_FORMAT_PCM ? 'PCM' : 'float'} WAV is not supported: convert it to 16-bit PCM`, { file });
      fmt = { format: tag === WAVE_FORMAT_PCM ? 'pcm' : 'float', channels, sampleRate, bitsPerSample };
    } else if (id === 'data') {
      if (!fmt) throw new EmovoxError('E_DECODE', `${name}: data chunk before fmt chunk: the file is damaged`, { file });
      const available = src.size - body;
      // Streaming writers leave 0 or 0xFFFFFFFF when they cannot seek back: read to the end.
      const streaming = size === 0 || size === 0xffffffff;
      if (!streaming && size > available) {
        throw new EmovoxError('E_DECODE', `${name} is truncated: its header announces ${size} bytes of audio but only ${available} are there. Re-export or re-download the file`, { file });
      }
      const dataBytes = streaming ? available : size;
      const frameBytes = (fmt.bitsPerSample / 8) * fmt.channels;
      return { ...fmt, dataOffset: body, dataBytes, frames: Math.floor(dataBytes / frameBytes) };
    }
    pos = body + size + (size & 1);
  }
  throw new EmovoxError('E_DECODE', `${name}: no ${fmt ? 'data' : 'fmt'} chunk found: the file is truncated or not audio`, { file });
}

/** Bytes of sample data read per step: bounded, so a long file is never held twice. */
const BLOCK_BYTES = 1 << 20;

/**
 * Streams the sample data of a parsed WAV into `sink`, one block at a time. The sink
 * enforces the duration limit and counts non-finite float samples.
 */
export async function decodeWavData(src: ByteSource, info: WavInfo, sink: SampleSink): Promise<void> {
  const frameBytes = (info.bitsPerSample / 8) * info.channels;
  const framesPerBlock = Math.max(1, Math.floor(BLOCK_BYTES / frameBytes));
  for (let frame = 0; frame < info.frames; frame += framesPerBlock) {
    const n = Math.min(framesPerBlock, info.frames - frame);
    const bytes = await src.read(info.dataOffset + frame * frameBytes, n * frameBytes);
    if (bytes.length < n * frameBytes) throw new EmovoxError('E_DECODE', `${src.file ?? 'input'} ended while its audio was being read: the file changed or is damaged`, { file: src.file });
    sink.appendInterleaved(interleavedFloats(bytes, info, n), n);
  }
}

/**
 * Decodes WAV sample data (all of it in memory) into one Float32Array per channel.
 * Integers scale as v / 2^(bits-1); 8-bit PCM is unsigned, centred on 128.
 */
export function decodeWavChannels(bytes: Uint8Array, info: WavInfo): Float32Array[] {
  const { channels, frames, bitsPerSample, dataOffset } = info;
  const data = interleavedFloats(bytes.subarray(dataOffset, dataOffset + frames * channels * (bitsPerSample / 8)), info, frames);
  return Array.from({ length: channels }, (_, c) => {
    const out = new Float32Array(frames);
    for (let i = 0; i < frames; i++) out[i] = data[i * channels + c];
    return out;
  });
}

/** `n` interleaved frames of sample bytes as floats. */
function interleavedFloats(bytes: Uint8Array, info: WavInfo, n: number): Float32Array {
  const { channels, bitsPerSample, format } = info;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = n * channels;
  const out = new Float32Array(count);
  const step = bitsPerSample / 8;
  if (format === 'float') {
    if (bitsPerSample === 32) for (let i = 0, p = 0; i < count; i++, p += 4) out[i] = view.getFloat32(p, true);
    else for (let i = 0, p = 0; i < count; i++, p += 8) out[i] = view.getFloat64(p, true);
  } else if (bitsPerSample === 16) {
    for (let i = 0, p = 0; i < count; i++, p += 2) out[i] = view.getInt16(p, true) / 32768;
  } else if (bitsPerSample === 24) {
    for (let i = 0, p = 0; i < count; i++, p += 3) out[i] = (((bytes[p + 2] << 24) | (bytes[p + 1] << 16) | (bytes[p] << 8)) >> 8) / 8388608;
  } else if (bitsPerSample === 32) {
    for (let i = 0, p = 0; i < count; i++, p += 4) out[i] = view.getInt32(p, true) / 2147483648;
  } else {
    for (let i = 0; i < count; i++) out[i] = (bytes[i * step] - 128) / 128;
  }
  return out;
}

function ascii(bytes: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + n));
}
