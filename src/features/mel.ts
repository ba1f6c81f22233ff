import type { FrameMatrix } from './stft.js';

// Slaney's mel scale (Auditory Toolbox), librosa's default (htk=False): linear below
// 1 kHz, logarithmic above.
const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

export function hzToMel(hz: number): number {
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
}

export function melToHz(mel: number): number {
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

/**
 * librosa.filters.mel(sr, n_fft, n_mels, fmin=0, fmax=sr/2, htk=False, norm='slaney'):
 * triangles between n_mels + 2 points evenly spaced in mel, each scaled to unit area
 * (2 / bandwidth in Hz). Returned mel-major: `w[m * bins + k]`.
 */
export function melFilterbank(sampleRate: number, nFft: number, nMels: number, fmin = 0, fmax = sampleRate / 2): Float64Array {
  const bins = (nFft >> 1) + 1;
  const fftFreqs = Float64Array.from({ length: bins }, (_, k) => (k * sampleRate) / nFft);
  const [lo, hi] = [hzToMel(fmin), hzToMel(fmax)];
  const melF = Float64Array.from({ length: nMels + 2 }, (_, i) => melToHz(lo + ((hi - lo) * i) / (nMels + 1)));
  const w = new Float64Array(nMels * bins);
  for (let m = 0; m < nMels; m++) {
    const enorm = 2 / (melF[m + 2] - melF[m]);
    for (let k = 0; k < bins; k++) {
      const lower = (fftFreqs[k] - melF[m]) / (melF[m + 1] - melF[m]);
      const upper = (melF[m + 2] - fftFreqs[k]) / (melF[m + 2] - melF[m + 1]);
      w[m * bins + k] = Math.max(0, Math.min(lower, upper)) * enorm;
    }
  }
  return w;
}

/** Mel power spectrogram: each frame's power spectrum through the filterbank. */
export function applyFilterbank(power: FrameMatrix, filterbank: Float64Array, nMels: number): FrameMatrix {
  const { rows, cols } = power;
  const out = new Float32Array(rows * nMels);
  // Each triangle covers a few bins: skip the zeros.
  const spans = Array.from({ length: nMels }, (_, m) => {
    let a = 0;
    while (a < cols && filterbank[m * cols + a] === 0) a++;
    let b = cols;
    while (b > a && filterbank[m * cols + b - 1] === 0) b--;
    return [a, b];
  });
  for (let t = 0; t < rows; t++) {
    const base = t * cols;
    for (let m = 0; m < nMels; m++) {
      let s = 0;
      const [a, b] = spans[m];
      for (let k = a; k < b; k++) s += filterbank[m * cols + k] * power.data[base + k];
      out[t * nMels + m] = s;
    }
  }
  return { rows, cols: nMels, data: out };
}

/**
 * librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80): 10·log10(max(amin, S)),
 * then floored at the maximum minus top_db, over the whole matrix.
 */
export function powerToDb(m: FrameMatrix, topDb = 80, amin = 1e-10): FrameMatrix {
  const out = new Float32Array(m.data.length);
  let max = -Infinity;
  for (let i = 0; i < out.length; i++) {
    out[i] = 10 * Math.log10(Math.max(amin, m.data[i]));
    if (out[i] > max) max = out[i];
  }
  const floor = max - topDb;
  for (let i = 0; i < out.length; i++) if (out[i] < floor) out[i] = floor;
  return { rows: m.rows, cols: m.cols, data: out };
}
