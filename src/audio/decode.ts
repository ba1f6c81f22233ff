import { readFile, stat } from 'node:fs/promises';
import { EmovoxError } from '../errors.js';
import { SAMPLE_RATE, type AudioSignal } from '../types.js';
import { isWav, parseWavHeader, decodeWavChannels } from './wav.js';
import { isFlac, decodeFlacChannels } from './flac.js';
import { decodeWithFfmpeg } from './ffmpeg.js';
import { resample } from './resample.js';

export interface DecodeOptions {
  /** Refuse inputs longer than this (E_TOO_LONG). */
  maxDurationSec?: number;
  /** Time limit for ffmpeg, in ms. */
  timeoutMs?: number;
  /** Keep the channels apart instead of averaging them (extract-audio --channels 2). */
  keepChannels?: boolean;
}

/** Decoded audio with each channel apart, at the file's own rate. */
export interface MultiChannelAudio {
  channels: Float32Array[];
  sampleRate: number;
}

/**
 * Decodes any audio or video file (a path or its bytes) at its own sample rate. WAV and
 * FLAC are decoded in-process; everything else through ffmpeg. The container is told by
 * its magic bytes, not its name, so a wrongly named file still decodes.
 */
export async function decodeChannels(source: string | Uint8Array, opts: DecodeOptions = {}): Promise<MultiChannelAudio> {
  const file = typeof source === 'string' ? source : undefined;
  const name = file ?? 'input';
  const bytes = typeof source === 'string' ? await readBytes(source) : source;
  if (bytes.length === 0) throw new EmovoxError('E_EMPTY_AUDIO', `${name} is empty (0 bytes): record or export it again`, { file });

  let decoded: MultiChannelAudio;
  if (isWav(bytes)) {
    const info = parseWavHeader(bytes, file);
    checkDuration(info.frames / info.sampleRate, opts.maxDurationSec, name, file);
    decoded = { channels: decodeWavChannels(bytes, info), sampleRate: info.sampleRate };
  } else if (isFlac(bytes)) {
    decoded = await decodeFlacChannels(bytes, file);
  } else {
    decoded = await decodeWithFfmpeg(source, { mono: !opts.keepChannels, timeoutMs: opts.timeoutMs, maxDurationSec: opts.maxDurationSec, file });
  }
  const frames = decoded.channels[0]?.length ?? 0;
  if (frames === 0) throw new EmovoxError('E_EMPTY_AUDIO', `${name} holds no audio samples: record or export it again`, { file });
  checkDuration(frames / decoded.sampleRate, opts.maxDurationSec, name, file);
  if (!opts.keepChannels && decoded.channels.length > 1) decoded = { channels: [downmix(decoded.channels)], sampleRate: decoded.sampleRate };
  return decoded;
}

/** Decodes to mono (channels averaged) at the file's own rate. */
export async function decodeAudio(source: string | Uint8Array, opts: DecodeOptions = {}): Promise<AudioSignal> {
  const { channels, sampleRate } = await decodeChannels(source, { ...opts, keepChannels: false });
  return { samples: channels[0], sampleRate };
}

/**
 * The one audio preparation of emovox, called by training and prediction alike:
 * decode → mono → the one resampler → 16 kHz (or `sampleRate`) Float32Array.
 */
export async function loadAudio(
  source: string | Uint8Array | AudioSignal,
  opts: DecodeOptions & { sampleRate?: number } = {},
): Promise<Float32Array> {
  const target = opts.sampleRate ?? SAMPLE_RATE;
  let signal: AudioSignal;
  if (typeof source === 'string' || source instanceof Uint8Array) signal = await decodeAudio(source, opts);
  else {
    if (!(source.samples instanceof Float32Array) || !(source.sampleRate > 0)) {
      throw new EmovoxError('E_USAGE', 'audio must be { samples: Float32Array, sampleRate: number > 0 }');
    }
    if (source.samples.length === 0) throw new EmovoxError('E_EMPTY_AUDIO', 'the audio has no samples');
    checkDuration(source.samples.length / source.sampleRate, opts.maxDurationSec, 'input');
    signal = source;
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
  if (max !== undefined && seconds > max) {
    throw new EmovoxError('E_TOO_LONG', `${name} lasts ${seconds.toFixed(1)} s, above the limit of ${max} s: raise the limit (--max-duration) or use segments for long recordings`, { file });
  }
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new EmovoxError('E_UNSUPPORTED', `${path} is a folder, not an audio file`, { file: path });
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if (e instanceof EmovoxError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new EmovoxError('E_NOT_FOUND', `${path} does not exist: check the path`, { file: path, cause: e });
    throw new EmovoxError('E_NOT_FOUND', `cannot read ${path} (${code ?? String(e)}): check the path and its permissions`, { file: path, cause: e });
  }
}
