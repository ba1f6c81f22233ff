import { EmovoxError } from '../errors.js';

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

export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE';
}

/**
 * Parses a RIFF/WAVE header, skipping every chunk it does not need (the RAVDESS
 * originals carry FLLR, LIST, bext and _PMX chunks), honouring the pad byte of
 * odd-sized chunks. Only PCM and IEEE float, plain or WAVE_FORMAT_EXTENSIBLE.
 */
export function parseWavHeader(bytes: Uint8Array, file?: string): WavInfo {
  if (!isWav(bytes)) throw new EmovoxError('E_DECODE', `${file ?? 'input'} is not a RIFF/WAVE file: check that it really is audio`, { file });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: Omit<WavInfo, 'dataOffset' | 'dataBytes' | 'frames'> | null = null;
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const id = ascii(bytes, pos, 4);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new EmovoxError('E_DECODE', `${file ?? 'input'}: truncated fmt chunk: the file is damaged`, { file });
      let tag = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const bitsPerSample = view.getUint16(body + 14, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE) {
        // The sub-format GUID starts with the plain format tag (KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT).
        if (size < 40 || body + 26 > bytes.length) throw new EmovoxError('E_DECODE', `${file ?? 'input'}: truncated WAVE_FORMAT_EXTENSIBLE header`, { file });
        tag = view.getUint16(body + 24, true);
      }
      if (tag !== WAVE_FORMAT_PCM && tag !== WAVE_FORMAT_IEEE_FLOAT) {
        throw new EmovoxError('E_UNSUPPORTED', `${file ?? 'input'}: WAV codec 0x${tag.toString(16)} is not PCM or float`, { file });
      }
      if (channels < 1 || sampleRate < 1) throw new EmovoxError('E_DECODE', `${file ?? 'input'}: WAV header has ${channels} channels at ${sampleRate} Hz: the file is damaged`, { file });
      const ok = tag === WAVE_FORMAT_PCM ? [8, 16, 24, 32].includes(bitsPerSample) : [32, 64].includes(bitsPerSample);
      if (!ok) throw new EmovoxError('E_UNSUPPORTED', `${file ?? 'input'}: ${bitsPerSample}-bit ${tag === WAVE_FORMAT_PCM ? 'PCM' : 'float'} WAV is not supported: convert it to 16-bit PCM`, { file });
      fmt = { format: tag === WAVE_FORMAT_PCM ? 'pcm' : 'float', channels, sampleRate, bitsPerSample };
    } else if (id === 'data') {
      if (!fmt) throw new EmovoxError('E_DECODE', `${file ?? 'input'}: data chunk before fmt chunk: the file is damaged`, { file });
      const available = bytes.length - body;
      // Streaming writers leave 0 or 0xFFFFFFFF when they cannot seek back: read to the end.
      const streaming = size === 0 || size === 0xffffffff;
      if (!streaming && size > available) {
        throw new EmovoxError('E_DECODE', `${file ?? 'input'} is truncated: its header announces ${size} bytes of audio but only ${available} are there. Re-export or re-download the file`, { file });
      }
      const dataBytes = streaming ? available : size;
      const frameBytes = (fmt.bitsPerSample / 8) * fmt.channels;
      return { ...fmt, dataOffset: body, dataBytes, frames: Math.floor(dataBytes / frameBytes) };
    }
    pos = body + size + (size & 1);
  }
  throw new EmovoxError('E_DECODE', `${file ?? 'input'}: no ${fmt ? 'data' : 'fmt'} chunk found: the file is truncated or not audio`, { file });
}

/**
 * Decodes WAV sample data into one Float32Array per channel. Integers scale as
 * v / 2^(bits-1); 8-bit PCM is unsigned, centred on 128.
 */
export function decodeWavChannels(bytes: Uint8Array, info: WavInfo): Float32Array[] {
  const { channels, frames, bitsPerSample, format, dataOffset } = info;
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataOffset, frames * channels * (bitsPerSample / 8));
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  const step = bitsPerSample / 8;
  let p = 0;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++, p += step) {
      let v: number;
      if (format === 'float') v = bitsPerSample === 32 ? view.getFloat32(p, true) : view.getFloat64(p, true);
      else if (bitsPerSample === 16) v = view.getInt16(p, true) / 32768;
      else if (bitsPerSample === 24) v = (((view.getUint8(p + 2) << 24) | (view.getUint8(p + 1) << 16) | (view.getUint8(p) << 8)) >> 8) / 8388608;
      else if (bitsPerSample === 32) v = view.getInt32(p, true) / 2147483648;
      else v = (view.getUint8(p) - 128) / 128;
      out[c][i] = v;
    }
  }
  return out;
}

function ascii(bytes: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + n));
}
