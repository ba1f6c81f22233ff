import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { EmovoxError } from '../errors.js';

export function isFlac(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x66 && bytes[1] === 0x4c && bytes[2] === 0x61 && bytes[3] === 0x43; // "fLaC"
}

let decoder: FLACDecoder | null = null;
// One decoder holds one stream's state: calls made concurrently (a pool of files) must
// take turns, or a reset for one file lands in the middle of another's decode.
let queue: Promise<unknown> = Promise.resolve();

/** Decodes FLAC in-process (libFLAC compiled to wasm), one Float32Array per channel. */
export function decodeFlacChannels(bytes: Uint8Array, file?: string): Promise<{ channels: Float32Array[]; sampleRate: number }> {
  const turn = queue.then(() => decodeOne(bytes, file));
  queue = turn.catch(() => undefined);
  return turn;
}

async function decodeOne(bytes: Uint8Array, file?: string): Promise<{ channels: Float32Array[]; sampleRate: number }> {
  if (!decoder) {
    decoder = new FLACDecoder();
    await decoder.ready;
  } else {
    // The decoder keeps stream state between files; reset it for each new file.
    await decoder.reset();
  }
  const result = await decoder.decodeFile(bytes);
  if (result.errors.length > 0 && result.samplesDecoded === 0) {
    throw new EmovoxError('E_DECODE', `${file ?? 'input'}: FLAC data is corrupt (${result.errors[0].message}): re-export or re-download the file`, { file });
  }
  if (result.errors.length > 0) {
    throw new EmovoxError('E_DECODE', `${file ?? 'input'}: FLAC data is damaged after ${result.samplesDecoded} samples (${result.errors[0].message}): re-export or re-download the file`, { file });
  }
  return { channels: result.channelData.map((c) => rescale(c, result.bitDepth)), sampleRate: result.sampleRate };
}

/**
 * The decoder divides integer samples by 2^(bits-1) - 1; emovox (like libsndfile,
 * soundfile and librosa) uses v / 2^(bits-1). Recover v exactly and rescale.
 */
function rescale(channel: Float32Array, bitDepth: number): Float32Array {
  const decoderScale = 2 ** (bitDepth - 1) - 1;
  const ourScale = 2 ** (bitDepth - 1);
  for (let i = 0; i < channel.length; i++) channel[i] = Math.round(channel[i] * decoderScale) / ourScale;
  return channel;
}
