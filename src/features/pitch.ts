import { SAMPLE_RATE } from '../types.js';

export interface PitchTrack {
  /** F0 in Hz per frame; 0 where the frame is unvoiced. */
  f0: Float32Array;
  hop: number;
  frameLength: number;
}

export const PITCH_MIN_HZ = 62.5;
export const PITCH_MAX_HZ = 500;
const MAX_LAG = Math.ceil(SAMPLE_RATE / PITCH_MIN_HZ); // 256
const MIN_LAG = Math.floor(SAMPLE_RATE / PITCH_MAX_HZ); // 32
const WINDOW = 400; // 25 ms integration window
/** Samples each frame reads: the window plus the longest lag. */
export const PITCH_FRAME = WINDOW + MAX_LAG;
const THRESHOLD = 0.15;

/**
 * Frame-wise F0 by YIN (de Cheveigné & Kawahara 2002, steps 1–5): difference function,
 * cumulative-mean normalisation, absolute threshold 0.15 with the first local minimum
 * below it, parabolic interpolation. Lags cover 62.5–500 Hz. Frame t starts at t·hop − frame/2,
 * so it is centred like STFT frame t·hop. (pitchfinder's YIN was tried first: its running
 * sum starts from a constant 1, which breaks the normalisation for quiet recordings such
 * as the RAVDESS, around -50 dBFS, and it returned 6400 Hz for most voiced frames.)
 * Frames more than 40 dB below the loudest are taken as unvoiced without analysis.
 */
export function trackPitch(samples: Float32Array, hop: number): PitchTrack {
  const rows = 1 + Math.floor(samples.length / hop);
  const f0 = new Float32Array(rows);
  const frame = new Float64Array(PITCH_FRAME);
  const d = new Float64Array(MAX_LAG + 1);
  const energies = new Float64Array(rows);
  for (let t = 0; t < rows; t++) {
    let e = 0;
    for (let i = Math.max(0, t * hop - PITCH_FRAME / 2); i < Math.min(samples.length, t * hop + PITCH_FRAME / 2); i++) e += samples[i] * samples[i];
    energies[t] = e;
  }
  let loudest = 0;
  for (const e of energies) loudest = Math.max(loudest, e);
  const floor = Math.max(1e-12, 1e-4 * loudest);
  for (let t = 0; t < rows; t++) {
    if (energies[t] < floor) continue;
    const start = t * hop - PITCH_FRAME / 2;
    for (let j = 0; j < PITCH_FRAME; j++) {
      const i = start + j;
      frame[j] = i >= 0 && i < samples.length ? samples[i] : 0;
    }
    // Step 2: d(τ) = Σ (x_j − x_{j+τ})²; step 3: d'(τ) = d(τ) · τ / Σ_{k≤τ} d(k).
    let running = 0;
    d[0] = 1;
    for (let tau = 1; tau <= MAX_LAG; tau++) {
      let s = 0;
      for (let j = 0; j < WINDOW; j++) {
        const diff = frame[j] - frame[j + tau];
        s += diff * diff;
      }
      running += s;
      d[tau] = running > 0 ? (s * tau) / running : 1;
    }
    // Step 4: the first dip below the threshold, followed to its local minimum.
    let tau = MIN_LAG;
    while (tau <= MAX_LAG && d[tau] >= THRESHOLD) tau++;
    if (tau > MAX_LAG) continue;
    while (tau + 1 <= MAX_LAG && d[tau + 1] < d[tau]) tau++;
    // Step 5: parabolic interpolation around the minimum.
    let refined = tau;
    if (tau > 1 && tau < MAX_LAG) {
      const [a, b, c] = [d[tau - 1], d[tau], d[tau + 1]];
      const denom = a - 2 * b + c;
      if (denom > 0) refined = tau + (a - c) / (2 * denom);
    }
    const hz = SAMPLE_RATE / refined;
    if (hz >= PITCH_MIN_HZ && hz <= PITCH_MAX_HZ) f0[t] = hz;
  }
  return { f0, hop, frameLength: PITCH_FRAME };
}
