import { EmovoxError } from '../errors.js';
import { SAMPLE_RATE, type AudioSignal } from '../types.js';
import { parseWavHeader, decodeWavData } from './wav.js';
import { parseFlacHeader, decodeFlacData, type FlacInfo } from './flac.js';
import { decodeWithFfmpeg } from './ffmpeg.js';
import { resample } from './resample.js';
import { bufferSource, openFileSource, type ByteSource } from './source.js';
import { sniff, SNIFF_BYTES } from './sniff.js';
import { SampleSink } from './sink.js';

export interface DecodeOptions {
  /** Refuse inputs longer than this (E_TOO_LONG), checked from the header where it has a length, and while decoding. */
  maxDurationSec?: number;
  /** loadAudio only: refuse inputs shorter than this (E_TOO_SHORT). Default MIN_DURATION_SEC. */
  minDurationSec?: number;
  /** Time limit for ffmpeg, in ms. */
  timeoutMs?: number;
  /** Keep the channels apart instead of averaging them (extract-audio --channels 2). */
  keepChannels?: boolean;
}

/**
 * The shortest input that loadAudio accepts, in seconds. speech_embedding reads windows of
 * 76 mel frames, and its mel front end gives floor((n − 400) / 160) frames for n samples at
 * 16 kHz (measured), so one full window needs 12,560 samples (0.785 s); shorter clips were
 * zero-padded into a window no training clip ever looked like (below 560 samples the mel
 * network fails outright). 0.8 s is that window, rounded up.
 */
export const MIN_DURATION_SEC = 0.8;

/**
 * The largest sample magnitude loadAudio accepts: 16, i.e. 24 dB above full scale. Float
 * WAVs may go past ±1 (overs), but not by this much; beyond it the numbers are not sound
 * at full scale (typically integers written as floats) and the model's answer would be
 * confident garbage: a RAVDESS clip scaled by 10^6 came out "angry 0.99".
 */
export const MAX_PEAK = 16;

/** Decoded audio with each channel apart, at the file's own rate. */
export interface MultiChannelAudio {
  channels: Float32Array[];
  sampleRate: number;
}

/**
 * Decodes any audio or video file (a path or its bytes) at its own sample rate. WAV and
 * FLAC are decoded in-process; everything else through ffmpeg. The container is told by
 * its magic bytes, not its name, so a wrongly named file still decodes, and text, images,
 * archives and unknown bytes are refused without starting ffmpeg. A path is opened once,
 * refused unless it is a regular file (a pipe or device would never end), and read in
 * blocks: the header's length is checked against `maxDurationSec` before any sample is
 * held, and decoding stops as soon as the limit is passed. Samples that are NaN or
 * infinite are refused (E_DECODE): they are damage, and a prediction on them is garbage.
 *
 * @example
 * const { channels, sampleRate } = await decodeChannels('interview.mp4', { keepChannels: true, maxDurationSec: 600 });
 */
export async function decodeChannels(source: string | Uint8Array, opts: DecodeOptions = {}): Promise<MultiChannelAudio> {
  const src = typeof source === 'string' ? await openFileSource(source) : bufferSource(source);
  try {
    return await decodeSource(src, source, opts);
  } finally {
    await src.close();
  }
}

async function decodeSource(src: ByteSource, source: string | Uint8Array, opts: DecodeOptions): Promise<MultiChannelAudio> {
  const file = src.file;
  const name = file ?? 'input';
  if (src.size === 0) throw new EmovoxError('E_EMPTY_AUDIO', `${name} is empty (0 bytes): record or export it again`, { file });
  const format = sniff(src.readSync(0, SNIFF_BYTES));
  const mono = !opts.keepChannels;
  const max = opts.maxDurationSec;
  const sinkFor = (channels: number, sampleRate: number, expectedFrames?: number) =>
    new SampleSink({
      channels,
      mono,
      expectedFrames,
      maxFrames: max === undefined ? undefined : Math.floor(max * sampleRate),
      onTooLong: (frames) => tooLong(`more than ${(frames / sampleRate).toFixed(1)} s`, max as number, name, file),
    });

  let decoded: MultiChannelAudio & { nonFinite: number };
  if (format.kind === 'wav') {
    const info = parseWavHeader(src);
    checkDuration(info.frames / info.sampleRate, max, name, file);
    const sink = sinkFor(info.channels, info.sampleRate, info.frames);
    await decodeWavData(src, info, sink);
    decoded = { channels: sink.result(), sampleRate: info.sampleRate, nonFinite: sink.nonFinite };
  } else if (format.kind === 'flac') {
    const info = parseFlacHeader(src);
    if (info.totalFrames > 0) checkDuration(info.totalFrames / info.sampleRate, max, name, file);
    if (max !== undefined && src.size - info.audioOffset > maxFlacBytes(max, info)) {
      throw tooLong(`more audio data (${src.size - info.audioOffset} bytes) than`, max, name, file);
    }
    const sink = sinkFor(info.channels, info.sampleRate, info.totalFrames > 0 ? info.totalFrames : undefined);
    await decodeFlacData(src, info, sink);
    decoded = { channels: sink.result(), sampleRate: info.sampleRate, nonFinite: sink.nonFinite };
  } else if (format.kind === 'media') {
    const out = await decodeWithFfmpeg(source, { mono, timeoutMs: opts.timeoutMs, maxDurationSec: max, file });
    decoded = { ...out, nonFinite: out.channels.reduce((n, c) => n + countNonFinite(c), 0) };
  } else {
    throw new EmovoxError('E_DECODE', `${name} is ${format.what}, not audio or video: check that it really is media`, { file });
  }
  const frames = decoded.channels[0]?.length ?? 0;
  if (frames === 0) throw new EmovoxError('E_EMPTY_AUDIO', `${name} holds no audio samples: record or export it again`, { file });
  checkDuration(frames / decoded.sampleRate, max, name, file);
  if (decoded.nonFinite > 0) throw nonFiniteError(decoded.nonFinite, frames * decoded.channels.length, name, file);
  let channels = decoded.channels;
  if (mono && channels.length > 1) channels = [downmix(channels)];
  return { channels, sampleRate: decoded.sampleRate };
}

/** Decodes to mono (channels averaged) at the file's own rate. */
export async function decodeAudio(source: string | Uint8Array, opts: DecodeOptions = {}): Promise<AudioSignal> {
  const { channels, sampleRate } = await decodeChannels(source, { ...opts, keepChannels: false });
  return { samples: channels[0], sampleRate };
}

/**
 * The one audio preparation of emovox, called by training and prediction alike:
 * decode → mono → the one resampler → 16 kHz (or `sampleRate`) Float32Array.
 * Refuses what no front-end can judge: shorter than `minDurationSec` (E_TOO_SHORT),
 * or samples that are NaN or infinite (E_DECODE).
 *
 * @example
 * const samples = await loadAudio('clip.mp3', { maxDurationSec: 600 }); // 16 kHz mono
 */
export async function loadAudio(
  source: string | Uint8Array | AudioSignal,
  opts: DecodeOptions & { sampleRate?: number } = {},
): Promise<Float32Array> {
  const target = opts.sampleRate ?? SAMPLE_RATE;
  let signal: AudioSignal;
  let name = typeof source === 'string' ? source : 'input';
  if (typeof source === 'string' || source instanceof Uint8Array) signal = await decodeAudio(source, opts);
  else {
    if (!(source.samples instanceof Float32Array) || !(source.sampleRate > 0) || !Number.isFinite(source.sampleRate)) {
      throw new EmovoxError('E_USAGE', 'audio must be { samples: Float32Array, sampleRate: number > 0 }');
    }
    if (source.samples.length === 0) throw new EmovoxError('E_EMPTY_AUDIO', 'the audio has no samples');
    checkDuration(source.samples.length / source.sampleRate, opts.maxDurationSec, 'input');
    const bad = countNonFinite(source.samples);
    if (bad > 0) throw nonFiniteError(bad, source.samples.length, 'the audio');
    signal = source;
    name = 'the audio';
  }
  const peak = peakOf(signal.samples);
  if (peak > MAX_PEAK) {
    const file = typeof source === 'string' ? source : undefined;
    const hint = peak > 1000 ? ' (integer sample values stored as float?)' : '';
    throw new EmovoxError(
      signal === source ? 'E_USAGE' : 'E_DECODE',
      `${name} has samples up to ${peak.toPrecision(3)}, far beyond full scale (±1)${hint}: ${signal === source ? 'scale the samples to [-1, 1]' : 'the file is damaged or wrongly scaled; re-export it'}`,
      { file },
    );
  }
  const min = opts.minDurationSec ?? MIN_DURATION_SEC;
  const seconds = signal.samples.length / signal.sampleRate;
  if (seconds < min) {
    const file = typeof source === 'string' ? source : undefined;
    throw new EmovoxError('E_TOO_SHORT', `${name} lasts ${formatSeconds(seconds)}, below the minimum of ${min} s that emovox can judge: give a longer recording`, { file });
  }
  return resample(signal.samples, signal.sampleRate, target);
}

export function downmix(channels: Float32Array[]): Float32Array {
  const out = new Float32Array(channels[0].length);
  for (const ch of channels) for (let i = 0; i < out.length; i++) out[i] += ch[i];
  const k = 1 / channels.length;
  for (let i = 0; i < out.length; i++) out[i] *= k;
  return out;
}

function checkDuration(seconds: number, max: number | undefined, name: string, file?: string): void {
  if (max !== undefined && seconds > max) throw tooLong(`${seconds.toFixed(1)} s`, max, name, file);
}

function tooLong(length: string, max: number, name: string, file?: string): EmovoxError {
  return new EmovoxError('E_TOO_LONG', `${name} lasts ${length}, above the limit of ${max} s: raise the limit, or follow the emotion over time with "emovox timeline" (timeline() in the library), which streams recordings of any length`, { file });
}

/**
 * The most bytes of FLAC frames that `maxSec` (+1 s) of audio can take: FLAC never stores
 * a sample in more bits than its depth (a verbatim subframe), plus frame headers and CRCs;
 * twice the raw size and 1 MiB leave room for the smallest blocks. A file with more is
 * longer than the limit, whatever its STREAMINFO says, and is refused before decoding.
 */
function maxFlacBytes(maxSec: number, info: FlacInfo): number {
  return 2 * Math.ceil((maxSec + 1) * info.sampleRate) * info.channels * Math.ceil(info.bitsPerSample / 8) + (1 << 20);
}

function peakOf(samples: Float32Array): number {
  let m = 0;
  for (let i = 0; i < samples.length; i++) {
    const a = Math.abs(samples[i]);
    if (a > m) m = a;
  }
  return m;
}

function countNonFinite(samples: Float32Array): number {
  let n = 0;
  for (let i = 0; i < samples.length; i++) if (!Number.isFinite(samples[i])) n++;
  return n;
}

function nonFiniteError(count: number, total: number, name: string, file?: string): EmovoxError {
  return new EmovoxError('E_DECODE', `${name} holds ${count} of ${total} samples that are not numbers (NaN or infinite): the file is damaged; re-export it`, { file });
}

function formatSeconds(s: number): string {
  return s < 0.1 ? `${(s * 1000).toPrecision(3)} ms` : `${s.toFixed(3)} s`;
}
