import { SAMPLE_RATE } from '../types.js';

export interface VoiceQuality {
  /** Local jitter: mean absolute change of the period between voiced frames, over the mean period. */
  jitter: number;
  /** Local shimmer: mean absolute change of frame peak amplitude between voiced frames, over the mean. */
  shimmer: number;
  /** Harmonics-to-noise ratio (dB) per voiced frame, from the normalised autocorrelation at the period (Boersma 1993). */
  hnr: Float32Array;
}

/**
 * Frame-level estimates of jitter, shimmer and HNR from the F0 track. Praat measures
 * jitter and shimmer cycle by cycle; over 10 ms frames these are coarser versions of the
 * same quantities, good enough to rank voices as tense or breathy, not for clinical use.
 */
export function voiceQuality(samples: Float32Array, f0: Float32Array, hop: number, frameLength: number): VoiceQuality {
  const periods: number[] = [];
  const peaks: number[] = [];
  const hnr: number[] = [];
  let jitterSum = 0;
  let shimmerSum = 0;
  let pairs = 0;
  for (let t = 0; t < f0.length; t++) {
    if (f0[t] <= 0) continue;
    const start = Math.max(0, t * hop - frameLength / 2);
    const end = Math.min(samples.length, start + frameLength);
    let peak = 0;
    for (let i = start; i < end; i++) peak = Math.max(peak, Math.abs(samples[i]));
    const period = 1 / f0[t];
    if (t > 0 && f0[t - 1] > 0) {
      jitterSum += Math.abs(period - periods[periods.length - 1]);
      shimmerSum += Math.abs(peak - peaks[peaks.length - 1]);
      pairs++;
    }
    periods.push(period);
    peaks.push(peak);
    hnr.push(harmonicsToNoise(samples, start, end, Math.round(SAMPLE_RATE * period)));
  }
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    jitter: pairs ? jitterSum / pairs / mean(periods) : 0,
    shimmer: pairs && mean(peaks) > 0 ? shimmerSum / pairs / mean(peaks) : 0,
    hnr: Float32Array.from(hnr),
  };
}

/** 10·log10(r / (1 − r)) with r the best normalised autocorrelation within ±2 samples of the period. */
function harmonicsToNoise(x: Float32Array, start: number, end: number, lag: number): number {
  let best = 0;
  for (let l = Math.max(1, lag - 2); l <= lag + 2; l++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = start; i + l < end; i++) {
      ab += x[i] * x[i + l];
      aa += x[i] * x[i];
      bb += x[i + l] * x[i + l];
    }
    if (aa > 0 && bb > 0) best = Math.max(best, ab / Math.sqrt(aa * bb));
  }
  const r = Math.min(Math.max(best, 1e-4), 0.9999);
  return 10 * Math.log10(r / (1 - r));
}
