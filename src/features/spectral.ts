import { SAMPLE_RATE } from '../types.js';
import type { FrameMatrix } from './stft.js';

export const SPECTRAL_NAMES = ['rms_db', 'zcr', 'centroid', 'bandwidth', 'rolloff', 'flux', 'flatness'] as const;

/**
 * Frame features from the power spectrogram and the waveform, with librosa's
 * definitions: RMS from the spectrum (Parseval, Hann-windowed frame), zero-crossing rate,
 * spectral centroid and bandwidth (p = 2) in Hz, 85% roll-off in Hz, spectral flux (L2 of
 * the positive change in magnitude) and flatness (geometric over arithmetic mean of power).
 * Returns a frame-major matrix with one column per name in SPECTRAL_NAMES.
 */
export function spectralFeatures(samples: Float32Array, power: FrameMatrix, nFft: number, hop: number): FrameMatrix {
  const { rows, cols } = power;
  const out = new Float32Array(rows * SPECTRAL_NAMES.length);
  const freq = Float64Array.from({ length: cols }, (_, k) => (k * SAMPLE_RATE) / nFft);
  const prevMag = new Float64Array(cols);
  for (let t = 0; t < rows; t++) {
    const p = power.data;
    const o = t * cols;
    let total = 0;
    let weighted = 0;
    let logSum = 0;
    for (let k = 0; k < cols; k++) {
      total += p[o + k];
      weighted += freq[k] * p[o + k];
      logSum += Math.log(p[o + k] + 1e-10);
    }
    // Parseval on the one-sided spectrum, as librosa.feature.rms(S=…) does.
    let parseval = 2 * total - p[o] - p[o + cols - 1];
    parseval /= nFft * nFft;
    const rms = Math.sqrt(Math.max(parseval, 0));
    const centroid = total > 0 ? weighted / total : 0;
    let spread = 0;
    for (let k = 0; k < cols; k++) spread += p[o + k] * (freq[k] - centroid) ** 2;
    const bandwidth = total > 0 ? Math.sqrt(spread / total) : 0;
    let cum = 0;
    let rolloff = 0;
    for (let k = 0; k < cols; k++) {
      cum += p[o + k];
      if (cum >= 0.85 * total) {
        rolloff = freq[k];
        break;
      }
    }
    let flux = 0;
    for (let k = 0; k < cols; k++) {
      const mag = Math.sqrt(p[o + k]);
      if (t > 0 && mag > prevMag[k]) flux += (mag - prevMag[k]) ** 2;
      prevMag[k] = mag;
    }
    const flatness = total > 0 ? Math.exp(logSum / cols) / (total / cols) : 0;
    const r = t * SPECTRAL_NAMES.length;
    out[r] = 20 * Math.log10(rms + 1e-5);
    out[r + 1] = zeroCrossingRate(samples, t * hop - (nFft >> 1), nFft);
    out[r + 2] = centroid;
    out[r + 3] = bandwidth;
    out[r + 4] = rolloff;
    out[r + 5] = Math.sqrt(flux);
    out[r + 6] = flatness;
  }
  return { rows, cols: SPECTRAL_NAMES.length, data: out };
}

function zeroCrossingRate(x: Float32Array, start: number, n: number): number {
  let crossings = 0;
  let prev = x[Math.max(0, start)] ?? 0;
  for (let i = Math.max(1, start + 1); i < Math.min(x.length, start + n); i++) {
    if ((x[i] >= 0) !== (prev >= 0)) crossings++;
    prev = x[i];
  }
  return crossings / n;
}
