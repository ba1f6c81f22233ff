import { applyFilterbank, melFilterbank, powerToDb } from './mel.js';
import { powerSpectrogram, type FrameMatrix } from './stft.js';
import { SAMPLE_RATE } from '../types.js';

export interface MelParams {
  nFft: number;
  hop: number;
  nMels: number;
  nMfcc: number;
}

/** librosa's defaults at 16 kHz: what the original Python project averaged (40 MFCCs). */
export const SEED_PARAMS: MelParams = { nFft: 2048, hop: 512, nMels: 128, nMfcc: 40 };
/** 25 ms windows, 10 ms hop, 64 mels, 20 MFCCs: the usual speech setting. */
export const SPEECH_PARAMS: MelParams = { nFft: 400, hop: 160, nMels: 64, nMfcc: 20 };

const filterbanks = new Map<string, Float64Array>();
function cachedFilterbank(nFft: number, nMels: number): Float64Array {
  const key = `${nFft}/${nMels}`;
  let fb = filterbanks.get(key);
  if (!fb) filterbanks.set(key, (fb = melFilterbank(SAMPLE_RATE, nFft, nMels)));
  return fb;
}

/** Mel power spectrogram (librosa.feature.melspectrogram, power 2, Slaney mel and norm). */
export function melPower(samples: Float32Array, p: MelParams): FrameMatrix {
  return applyFilterbank(powerSpectrogram(samples, p), cachedFilterbank(p.nFft, p.nMels), p.nMels);
}

/** Log-mel in dB as librosa.power_to_db(melspectrogram, top_db=80). */
export function logMel(samples: Float32Array, p: MelParams): FrameMatrix {
  return powerToDb(melPower(samples, p));
}

const dctBases = new Map<string, Float64Array>();
/** Orthonormal DCT-II basis, k-major: `b[k * n + i]` (scipy.fft.dct(norm='ortho')). */
function dctBasis(n: number, nOut: number): Float64Array {
  const key = `${n}/${nOut}`;
  let b = dctBases.get(key);
  if (!b) {
    b = new Float64Array(nOut * n);
    for (let k = 0; k < nOut; k++) {
      const scale = k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
      for (let i = 0; i < n; i++) b[k * n + i] = scale * Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n));
    }
    dctBases.set(key, b);
  }
  return b;
}

/** MFCCs from a log-mel matrix (librosa.feature.mfcc: DCT-II, ortho, first nMfcc). */
export function mfccFromLogMel(logMelDb: FrameMatrix, nMfcc: number): FrameMatrix {
  const { rows, cols } = logMelDb;
  const basis = dctBasis(cols, nMfcc);
  const out = new Float32Array(rows * nMfcc);
  for (let t = 0; t < rows; t++) {
    for (let k = 0; k < nMfcc; k++) {
      let s = 0;
      for (let i = 0; i < cols; i++) s += basis[k * cols + i] * logMelDb.data[t * cols + i];
      out[t * nMfcc + k] = s;
    }
  }
  return { rows, cols: nMfcc, data: out };
}

export function mfcc(samples: Float32Array, p: MelParams): FrameMatrix {
  return mfccFromLogMel(logMel(samples, p), p.nMfcc);
}

/** The original project's feature: 40 MFCCs (librosa defaults) averaged over frames. */
export function mfccMean(samples: Float32Array, p: MelParams = SEED_PARAMS): Float32Array {
  const m = mfcc(samples, p);
  const mean = new Float32Array(m.cols);
  for (let t = 0; t < m.rows; t++) for (let k = 0; k < m.cols; k++) mean[k] += m.data[t * m.cols + k];
  return mean.map((v) => v / m.rows);
}
