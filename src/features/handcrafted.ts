import { SAMPLE_RATE } from '../types.js';
import { columnFunctionals, deltas, type Functional } from './functionals.js';
import { applyFilterbank, melFilterbank, powerToDb } from './mel.js';
import { mfccFromLogMel, SPEECH_PARAMS } from './mfcc.js';
import { trackPitch } from './pitch.js';
import { SPECTRAL_NAMES, spectralFeatures } from './spectral.js';
import { powerSpectrogram, type FrameMatrix } from './stft.js';
import { voiceQuality } from './voice-quality.js';
import type { FeatureVector } from './types.js';

const FULL: readonly Functional[] = ['mean', 'std', 'p10', 'p50', 'p90', 'slope'];
const PITCH: readonly Functional[] = ['mean', 'std', 'p10', 'p50', 'p90', 'range', 'slope'];
const HOP_SEC = SPEECH_PARAMS.hop / SAMPLE_RATE;
// YIN is the costliest step: pitch, and the voice quality read off it, use a 20 ms hop.
const PITCH_HOP = 2 * SPEECH_PARAMS.hop;

let filterbank: Float64Array | null = null;

/**
 * The hand-made utterance vector: functionals of MFCCs and their deltas, of the log-mel
 * bands, of spectral and energy contours, of pitch over voiced frames, and of voice
 * quality (jitter, shimmer, HNR). Frames use the speech setting (25 ms, 10 ms hop, 64
 * mels, 20 MFCCs) and only the samples in `range` (the speech found by the VAD).
 */
export function handcraftedFeatures(signal: Float32Array, opts: { range?: { start: number; end: number } } = {}): FeatureVector {
  const { start, end } = opts.range ?? { start: 0, end: signal.length };
  const x = signal.subarray(start, end);
  const p = SPEECH_PARAMS;
  const power = powerSpectrogram(x, p);
  filterbank ??= melFilterbank(SAMPLE_RATE, p.nFft, p.nMels);
  const logMel = powerToDb(applyFilterbank(power, filterbank, p.nMels));
  const cep = mfccFromLogMel(logMel, p.nMfcc);
  const dCep = deltas(cep);
  const spectral = spectralFeatures(x, power, p.nFft, p.hop);
  const pitch = trackPitch(x, PITCH_HOP);

  const names: string[] = [];
  const values: number[] = [];
  const add = (prefix: string, m: FrameMatrix, col: number, which: readonly Functional[], rows?: Int32Array, hopSec = HOP_SEC): void => {
    columnFunctionals(m, col, which, hopSec, rows).forEach((v, i) => {
      names.push(`${prefix}_${which[i]}`);
      values.push(v);
    });
  };
  for (let k = 0; k < cep.cols; k++) add(`mfcc${k}`, cep, k, FULL);
  for (let k = 0; k < dCep.cols; k++) add(`dmfcc${k}`, dCep, k, FULL);
  for (let m = 0; m < logMel.cols; m++) add(`logmel${m}`, logMel, m, ['mean', 'std']);
  SPECTRAL_NAMES.forEach((name, c) => add(name, spectral, c, FULL));

  // Pitch in semitones (relative to 55 Hz), over voiced frames only.
  const voiced = Int32Array.from(Array.from(pitch.f0).flatMap((f, t) => (f > 0 ? [t] : [])));
  const semitones: FrameMatrix = { rows: pitch.f0.length, cols: 1, data: pitch.f0.map((f) => (f > 0 ? 12 * Math.log2(f / 55) : 0)) };
  add('f0_st', semitones, 0, PITCH, voiced, PITCH_HOP / SAMPLE_RATE);
  const dSemitones = deltas(semitones);
  const voicedPairs = voiced.filter((t) => t > 0 && pitch.f0[t - 1] > 0);
  add('df0_st', dSemitones, 0, ['mean', 'std'], voicedPairs, PITCH_HOP / SAMPLE_RATE);
  const vq = voiceQuality(x, pitch.f0, PITCH_HOP, pitch.frameLength);
  add('hnr_db', { rows: vq.hnr.length, cols: 1, data: vq.hnr }, 0, ['mean', 'std', 'p90']);
  const onsets = pitch.f0.filter((f, t) => f > 0 && (t === 0 || pitch.f0[t - 1] === 0)).length;
  const seconds = x.length / SAMPLE_RATE;
  names.push('jitter', 'shimmer', 'voiced_ratio', 'voiced_onsets_per_s', 'speech_seconds');
  values.push(vq.jitter, vq.shimmer, voiced.length / Math.max(1, pitch.f0.length), onsets / Math.max(seconds, 1e-3), seconds);
  return { names, values: Float32Array.from(values) };
}
