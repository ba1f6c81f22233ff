/**
 * Long recordings made at test time from real RAVDESS clips, with the truth kept: each
 * clip's place, its emotion, and where its speech starts and ends. Used by the timeline
 * tests and benchmarks; nothing here is written to the repository.
 */
import { basename } from 'node:path';
import { loadAudio } from '../src/audio/index.js';
import { parseRavdessName } from '../src/datasets/index.js';
import { SAMPLE_RATE } from '../src/types.js';
import { trimSilence } from '../src/features/vad.js';
import { mulberry32 } from '../src/util/random.js';

export interface PlacedClip {
  file: string;
  emotion: string;
  actor: string;
  /** Where the clip's samples sit in the recording (s). */
  start: number;
  end: number;
  /**
   * Where its speech starts and ends (s): the first and last 512-sample chunk that Silero
   * VAD calls speech (probability ≥ 0.5) in the clip on its own, which is how emovox's
   * `trimSilence` defines a clip's speech. The timeline sees the clip inside a long
   * recording, in other chunks, after other audio.
   */
  speechStart: number;
  speechEnd: number;
  /** The same by energy alone (see `energySpan`): a second, VAD-independent reference. */
  energyStart: number;
  energyEnd: number;
}

/** The project's seeded generator (mulberry32): every "random" entry is the same each run. */
export const rng = mulberry32;

/**
 * The speech of a clip by energy, independent of any VAD: the first and last
 * 10 ms frame whose RMS is within 35 dB of the clip's loudest frame and above -60 dBFS.
 * (RAVDESS clips are studio recordings with a noise floor near -70 dBFS.)
 */
export function energySpan(samples: Float32Array): { start: number; end: number } {
  const frame = SAMPLE_RATE / 100;
  const n = Math.floor(samples.length / frame);
  const db = new Float64Array(n);
  let max = -Infinity;
  for (let f = 0; f < n; f++) {
    let s = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) s += samples[i] * samples[i];
    db[f] = 10 * Math.log10(s / frame + 1e-12);
    max = Math.max(max, db[f]);
  }
  const floor = Math.max(max - 35, -60);
  let first = 0;
  while (first < n - 1 && db[first] < floor) first++;
  let last = n - 1;
  while (last > first && db[last] < floor) last--;
  return { start: (first * frame) / SAMPLE_RATE, end: ((last + 1) * frame) / SAMPLE_RATE };
}

/**
 * Blocks of a long recording: the clips one after another (in the order given, repeated
 * until `totalSec` if given), each followed by a silence of uniform random length in
 * [gapMinSec, gapMaxSec] filled with noise at about -80 dBFS. `onClip` receives each
 * clip's truth as it is placed. Memory stays at one clip.
 */
export async function* longRecording(
  files: string[],
  opts: { seed: number; gapMinSec: number; gapMaxSec: number; totalSec?: number; onClip?: (c: PlacedClip) => void; truth?: boolean },
): AsyncGenerator<Float32Array> {
  const random = rng(opts.seed);
  let t = 0;
  const total = opts.totalSec ?? Infinity;
  for (let k = 0; t / SAMPLE_RATE < total && (opts.totalSec !== undefined || k < files.length); k++) {
    const file = files[k % files.length];
    const samples = await loadAudio(file);
    // Without `truth` (a benchmark that only needs the audio) the speech spans are not computed.
    const truth = opts.truth !== false;
    const energy = truth ? energySpan(samples) : { start: 0, end: 0 };
    const span = truth ? await trimSilence(samples, { threshold: 0.5, padMs: 0, chunk: 512 }) : { start: 0, end: 0 };
    const info = parseRavdessName(basename(file));
    const start = t / SAMPLE_RATE;
    opts.onClip?.({ file, emotion: info.emotion, actor: info.actor, start, end: start + samples.length / SAMPLE_RATE, speechStart: start + span.start / SAMPLE_RATE, speechEnd: start + span.end / SAMPLE_RATE, energyStart: start + energy.start, energyEnd: start + energy.end });
    yield samples;
    t += samples.length;
    const gap = Math.round((opts.gapMinSec + random() * (opts.gapMaxSec - opts.gapMinSec)) * SAMPLE_RATE);
    const silence = new Float32Array(gap);
    for (let i = 0; i < gap; i++) silence[i] = (random() - 0.5) * 2e-4;
    yield silence;
    t += gap;
  }
}

/** A whole long recording in memory, with its clips' truth. */
export async function buildLongRecording(files: string[], opts: { seed: number; gapMinSec: number; gapMaxSec: number }): Promise<{ samples: Float32Array; clips: PlacedClip[] }> {
  const clips: PlacedClip[] = [];
  const blocks: Float32Array[] = [];
  for await (const b of longRecording(files, { ...opts, onClip: (c) => clips.push(c) })) blocks.push(b);
  const samples = new Float32Array(blocks.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of blocks) {
    samples.set(b, o);
    o += b.length;
  }
  return { samples, clips };
}

/** 16-bit PCM WAV bytes of a mono 16 kHz signal. */
export function wavBytes(samples: Float32Array, sampleRate = SAMPLE_RATE): Uint8Array {
  const out = new Uint8Array(44 + samples.length * 2);
  const v = new DataView(out.buffer);
  const w = (at: number, s: string): void => [...s].forEach((ch, i) => v.setUint8(at + i, ch.charCodeAt(0)));
  w(0, 'RIFF');
  v.setUint32(4, 36 + samples.length * 2, true);
  w(8, 'WAVE');
  w(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  w(36, 'data');
  v.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) v.setInt16(44 + 2 * i, Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768))), true);
  return out;
}

/** RAVDESS files of the given actors, interleaved so that neighbours differ in emotion and actor. */
export function mixedClips(filesByActor: string[][], seed: number): string[] {
  const random = rng(seed);
  const all = filesByActor.flat();
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all;
}
