import { EmovoxError } from '../errors.js';
import type { RawPcmFormat } from '../audio/stream.js';
import type { AudioSignal } from '../types.js';

/**
 * Headerless little-endian PCM as decoded samples, channels averaged to mono.
 * @example
 * pcmToSignal(bytes, { encoding: 's16le', sampleRate: 16000 }); // { samples: Float32Array, sampleRate: 16000 }
 */
export function pcmToSignal(bytes: Uint8Array, format: RawPcmFormat): AudioSignal {
  const width = format.encoding === 's16le' ? 2 : 4;
  const channels = format.channels ?? 1;
  const frame = width * channels;
  if (bytes.length % frame !== 0) throw new EmovoxError('E_DECODE', `${bytes.length} bytes is not a whole number of ${format.encoding} frames of ${channels} channel(s): the upload was cut short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames = bytes.length / frame;
  const samples = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    let s = 0;
    for (let c = 0; c < channels; c++) {
      const at = f * frame + c * width;
      s += width === 2 ? view.getInt16(at, true) / 32768 : view.getFloat32(at, true);
    }
    samples[f] = s / channels;
  }
  return { samples, sampleRate: format.sampleRate };
}

/** The raw PCM format from query parameters `encoding`, `rate`, `channels`, or undefined when `encoding` is absent. */
export function rawFormatOf(query: { encoding?: string; rate?: number; channels?: number }): RawPcmFormat | undefined {
  if (query.encoding === undefined) return undefined;
  if (query.encoding !== 's16le' && query.encoding !== 'f32le') throw new EmovoxError('E_USAGE', `encoding must be s16le or f32le, got "${query.encoding}"`);
  if (!(Number.isInteger(query.rate) && (query.rate as number) >= 1000)) throw new EmovoxError('E_USAGE', 'raw PCM needs rate: its sample rate in Hz, e.g. ?encoding=s16le&rate=16000');
  const channels = query.channels ?? 1;
  if (!(Number.isInteger(channels) && channels >= 1 && channels <= 32)) throw new EmovoxError('E_USAGE', `channels must be a whole number from 1 to 32, got ${channels}`);
  return { encoding: query.encoding, sampleRate: query.rate as number, channels };
}
