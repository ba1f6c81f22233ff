import { FLACDecoder } from '@wasm-audio-decoders/flac';
import CodecParser, { type CodecFrame } from 'codec-parser';
import { EmovoxError } from '../errors.js';
import type { ByteSource } from './source.js';
import type { SampleSink } from './sink.js';

export function isFlac(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x66 && bytes[1] === 0x4c && bytes[2] === 0x61 && bytes[3] === 0x43; // "fLaC"
}

/** What a FLAC file's STREAMINFO block says, and where its audio frames start. */
export interface FlacInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Samples per channel; 0 when the encoder did not know (a stream). */
  totalFrames: number;
  /** Byte offset of the first audio frame, after the metadata blocks. */
  audioOffset: number;
}

/**
 * Reads the metadata blocks (without decoding anything): "fLaC", then blocks of a 1-byte
 * type (the top bit marks the last) and a 24-bit length; STREAMINFO must come first. Its
 * bytes 10..17 hold sample rate (20 bits), channels − 1 (3), bits per sample − 1 (5) and
 * total samples (36). (https://xiph.org/flac/format.html#metadata_block_streaminfo)
 *
 * @example
 * const { sampleRate, totalFrames } = parseFlacHeader(bufferSource(bytes));
 */
export function parseFlacHeader(src: ByteSource): FlacInfo {
  const name = src.file ?? 'input';
  const file = src.file;
  const head = src.readSync(0, 42);
  if (!isFlac(head)) throw new EmovoxError('E_DECODE', `${name} is not a FLAC file`, { file });
  if (head.length < 42 || (head[4] & 0x7f) !== 0) throw new EmovoxError('E_DECODE', `${name}: FLAC header is truncated or has no STREAMINFO block first: the file is damaged`, { file });
  const b = head.subarray(18, 26);
  const sampleRate = (b[0] << 12) | (b[1] << 4) | (b[2] >> 4);
  const channels = ((b[2] >> 1) & 0x07) + 1;
  const bitsPerSample = (((b[2] & 0x01) << 4) | (b[3] >> 4)) + 1;
  const totalFrames = (b[3] & 0x0f) * 2 ** 32 + ((b[4] << 24) >>> 0) + (b[5] << 16) + (b[6] << 8) + b[7];
  if (sampleRate === 0) throw new EmovoxError('E_DECODE', `${name}: FLAC header gives a sample rate of 0 Hz: the file is damaged`, { file });
  let pos = 4;
  for (let blocks = 0; ; blocks++) {
    const h = src.readSync(pos, 4);
    if (h.length < 4 || blocks > 1024) throw new EmovoxError('E_DECODE', `${name}: FLAC metadata is truncated or damaged`, { file });
    pos += 4 + ((h[1] << 16) | (h[2] << 8) | h[3]);
    if (h[0] & 0x80) break;
  }
  return { sampleRate, channels, bitsPerSample, totalFrames, audioOffset: pos };
}

let decoder: FLACDecoder | null = null;
// One decoder holds one stream's state: calls made concurrently (a pool of files) must
// take turns, or a reset for one file lands in the middle of another's decode.
let queue: Promise<unknown> = Promise.resolve();

/** Bytes of the file read per step: it is never held whole. */
const CHUNK_BYTES = 1 << 16;
/**
 * Zero bytes fed after the file. codec-parser 2.5.0 finds a frame's end by the next frame's
 * header; at flush it drops a last frame that it has not yet delimited, which lost the last
 * 314 samples of 5 of the 1263 RAVDESS files (decodeFile too). After the zeros the last frame
 * is delimited; its CRC-16 still checks, since zeros appended to a message whose CRC residue
 * is 0 keep it 0, and libFLAC ignores the zeros after the frame.
 */
const END_PADDING = new Uint8Array(64);
/** Samples per channel decoded per call: bounds the decoder's output (and wasm heap) per step. */
const BATCH_SAMPLES = 1 << 20;

/**
 * Decodes FLAC in-process (libFLAC compiled to wasm) into `sink`. The frames are found
 * first by codec-parser (the parser the decoder itself uses), and each frame header says
 * how many samples it holds, so a file longer than the sink's limit is stopped before the
 * frame that would pass it is decoded: a 40 kB file of three hours of silence (65,535
 * samples in a 12-byte frame) never expands. Damage is an error, never silently
 * classified: frames the decoder reports as bad (CRC mismatch, lost sync), or fewer samples
 * than STREAMINFO announces (a truncated file, or frames dropped as unreadable).
 */
export function decodeFlacData(src: ByteSource, info: FlacInfo, sink: SampleSink): Promise<void> {
  const turn = queue.then(() => decodeOne(src, info, sink));
  queue = turn.catch(() => undefined);
  return turn;
}

async function decodeOne(src: ByteSource, info: FlacInfo, sink: SampleSink): Promise<void> {
  const name = src.file ?? 'input';
  const file = src.file;
  if (!decoder) {
    decoder = new FLACDecoder();
    await decoder.ready;
  }
  const flac = decoder;
  // With a limit, the frame headers are counted first (no decoding), so a file whose
  // STREAMINFO hides or understates its length is refused before any sample is made.
  if (Number.isFinite(sink.framesLeft)) {
    const counter = new CodecParser<CodecFrame>('audio/flac', { enableFrameCRC32: false, enableLogging: false });
    let total = 0;
    const count = (frames: Iterator<CodecFrame>): void => {
      for (let f = frames.next(); !f.done; f = frames.next()) {
        total += f.value.samples;
        if (total > sink.framesLeft) sink.reserveOrThrow(total);
      }
    };
    for (let pos = 0; pos < src.size; pos += CHUNK_BYTES) count(counter.parseChunk(src.readSync(pos, CHUNK_BYTES)));
    count(counter.parseChunk(END_PADDING));
    count(counter.flush());
  }
  const parser = new CodecParser<CodecFrame>('audio/flac', { enableFrameCRC32: false, enableLogging: false });
  const errors: string[] = [];
  let batch: Uint8Array[] = [];
  let batchSamples = 0;
  const decodeBatch = async (): Promise<void> => {
    if (batch.length === 0) return;
    const r = await quietly(() => flac.decodeFrames(batch));
    batch = [];
    batchSamples = 0;
    for (const e of r.errors) errors.push(`${e.message} at sample ${sink.frames + e.outputSamples}`);
    if (r.samplesDecoded > 0) {
      if (r.sampleRate !== info.sampleRate) throw new EmovoxError('E_DECODE', `${name}: a FLAC frame at ${r.sampleRate} Hz in a ${info.sampleRate} Hz stream: the file is damaged`, { file });
      sink.append(r.channelData.map((c) => rescaleFlac(c, r.bitDepth)), r.samplesDecoded);
    }
  };
  const add = async (frames: Iterator<CodecFrame>): Promise<void> => {
    for (let f = frames.next(); !f.done; f = frames.next()) {
      // Checked before decoding: the sink throws E_TOO_LONG for frames it could not hold.
      if (sink.framesLeft - batchSamples < f.value.samples) sink.reserveOrThrow(batchSamples + f.value.samples);
      batch.push(f.value.data);
      batchSamples += f.value.samples;
      if (batchSamples >= BATCH_SAMPLES) await decodeBatch();
    }
  };
  try {
    // The parser reads the stream from its "fLaC" start, metadata included.
    for (let pos = 0; pos < src.size; pos += CHUNK_BYTES) await add(parser.parseChunk(src.readSync(pos, CHUNK_BYTES)));
    await add(parser.parseChunk(END_PADDING));
    await add(parser.flush());
    await decodeBatch();
  } finally {
    // The decoder keeps stream state: reset it after each file, so the next starts clean.
    await flac.reset();
  }
  const seconds = (n: number) => `${(n / info.sampleRate).toFixed(2)} s`;
  if (errors.length > 0 && sink.frames === 0) {
    throw new EmovoxError('E_DECODE', `${name}: FLAC data is corrupt (${errors[0]}): re-export or re-download the file`, { file });
  }
  if (errors.length > 0) {
    throw new EmovoxError('E_DECODE', `${name}: FLAC data is damaged: ${errors.length} bad frame${errors.length > 1 ? 's' : ''}, the first ${errors[0]} (${seconds(sink.frames)} decoded): re-export or re-download the file`, { file });
  }
  if (info.totalFrames > 0 && sink.frames < info.totalFrames) {
    // Frames the parser cannot read are dropped without an error: a shortfall is damage or truncation.
    throw new EmovoxError('E_DECODE', `${name} is truncated or damaged: its header announces ${seconds(info.totalFrames)} of audio but only ${seconds(sink.frames)} could be decoded. Re-export or re-download the file`, { file });
  }
}

/**
 * The decoder prints each bad frame with console.error; emovox reports damage in its own
 * error instead, so stderr stays clean. decode() and flush() run synchronously up to
 * their returned promise, so console.error is restored before anything else runs.
 */
function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const saved = console.error;
  console.error = () => undefined;
  try {
    return fn();
  } finally {
    console.error = saved;
  }
}

/**
 * The decoder divides integer samples by 2^(bits-1) - 1; emovox (like libsndfile,
 * soundfile and librosa) uses v / 2^(bits-1). Recover v exactly and rescale.
 */
export function rescaleFlac(channel: Float32Array, bitDepth: number): Float32Array {
  const decoderScale = 2 ** (bitDepth - 1) - 1;
  const ourScale = 2 ** (bitDepth - 1);
  for (let i = 0; i < channel.length; i++) channel[i] = Math.round(channel[i] * decoderScale) / ourScale;
  return channel;
}
