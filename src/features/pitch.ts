import { SAMPLE_RATE } from '../types.js';
import { FFT } from '../util/fft.js';

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
  const r = new Float64Array(MAX_LAG + 1);
  const prefix = new Float64Array(PITCH_FRAME + 1);
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
    // Step 2: d(τ) = Σ_{j<W} (x_j − x_{j+τ})² = e_0 + e_τ − 2 r(τ), with the window energies
    // e_τ = Σ_{j<W} x²_{j+τ} from prefix sums and the cross-correlation r(τ) from one FFT
    // product (Wiener–Khinchin), for every lag at once. Step 3: d'(τ) = d(τ) · τ / Σ_{k≤τ} d(k).
    crossCorrelation(frame, r);
    prefix[0] = 0;
    for (let j = 0; j < PITCH_FRAME; j++) prefix[j + 1] = prefix[j] + frame[j] * frame[j];
    const e0 = prefix[WINDOW];
    let running = 0;
    d[0] = 1;
    for (let tau = 1; tau <= MAX_LAG; tau++) {
      const s = e0 + (prefix[tau + WINDOW] - prefix[tau]) - 2 * r[tau];
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

// The correlation's transform: a power of two at least PITCH_FRAME + WINDOW long, so that no
// lag up to MAX_LAG wraps around.
const CORR_SIZE = 1024;
let corr: { fft: InstanceType<typeof FFT>; a: Float64Array; b: Float64Array; fa: Float64Array; fb: Float64Array; out: Float64Array } | null = null;

/** r(τ) = Σ_{j<WINDOW} x_j x_{j+τ} for τ = 0..MAX_LAG, over one PITCH_FRAME-long frame. */
function crossCorrelation(frame: Float64Array, r: Float64Array): void {
  corr ??= {
    fft: new FFT(CORR_SIZE),
    a: new Float64Array(CORR_SIZE),
    b: new Float64Array(CORR_SIZE),
    fa: new Float64Array(2 * CORR_SIZE),
    fb: new Float64Array(2 * CORR_SIZE),
    out: new Float64Array(2 * CORR_SIZE),
  };
  const { fft, a, b, fa, fb, out } = corr;
  a.set(frame);
  b.set(frame.subarray(0, WINDOW));
  fft.realTransform(fa, a);
  fft.completeSpectrum(fa);
  fft.realTransform(fb, b);
  fft.completeSpectrum(fb);
  // conj(B)·A, whose inverse transform is the correlation of b against a.
  for (let k = 0; k < CORR_SIZE; k++) {
    const ar = fa[2 * k];
    const ai = fa[2 * k + 1];
    const br = fb[2 * k];
    const bi = fb[2 * k + 1];
    fa[2 * k] = ar * br + ai * bi;
    fa[2 * k + 1] = ai * br - ar * bi;
  }
  fft.inverseTransform(out, fa);
  for (let tau = 0; tau <= MAX_LAG; tau++) r[tau] = out[2 * tau];
}
