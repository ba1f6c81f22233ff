import { isFlac } from './flac.js';
import { isWav, parseWavHeader } from './wav.js';

/**
 * Sample rate and length read from the header alone, without decoding: the STREAMINFO
 * block of FLAC, the fmt and data chunks of WAV. Null for other formats or damaged headers.
 */
export function probeLength(bytes: Uint8Array): { sampleRate: number; frames: number } | null {
  try {
    if (isWav(bytes)) {
      const info = parseWavHeader(bytes);
      return { sampleRate: info.sampleRate, frames: info.frames };
    }
    // fLaC, then a 4-byte block header; STREAMINFO must come first. Its bytes 10..17 hold
    // sample rate (20 bits), channels (3), bits per sample (5) and total samples (36).
    if (isFlac(bytes) && bytes.length >= 26 && (bytes[4] & 0x7f) === 0) {
      const b = bytes.subarray(8 + 10, 8 + 18);
      const sampleRate = (b[0] << 12) | (b[1] << 4) | (b[2] >> 4);
      const frames = (b[3] & 0x0f) * 2 ** 32 + ((b[4] << 24) >>> 0) + (b[5] << 16) + (b[6] << 8) + b[7];
      return frames > 0 && sampleRate > 0 ? { sampleRate, frames } : null;
    }
  } catch {
    /* a damaged header: the decoder reports it when the file is used */
  }
  return null;
}
