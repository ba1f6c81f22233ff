import { isFlac, parseFlacHeader } from './flac.js';
import { bufferSource } from './source.js';
import { isWav, parseWavHeader } from './wav.js';

/**
 * Sample rate and length read from the header alone, without decoding: the STREAMINFO
 * block of FLAC, the fmt and data chunks of WAV. Null for other formats or damaged headers.
 *
 * @example
 * probeLength(bytes) // { sampleRate: 16000, frames: 52853 }
 */
export function probeLength(bytes: Uint8Array): { sampleRate: number; frames: number } | null {
  try {
    if (isWav(bytes)) {
      const info = parseWavHeader(bytes);
      return { sampleRate: info.sampleRate, frames: info.frames };
    }
    if (isFlac(bytes)) {
      const { sampleRate, totalFrames: frames } = parseFlacHeader(bufferSource(bytes));
      return frames > 0 ? { sampleRate, frames } : null;
    }
  } catch {
    /* a damaged header: the decoder reports it when the file is used */
  }
  return null;
}
