import { FFT, multiplyComplex } from '../util/fft.js';
import { mulberry32 } from '../util/random.js';
import type { AugmentSpec } from './augment-spec.js';
import { codecRoundTrip } from './augment-codec.js';


/**
 * One augmented copy of a recording at `sampleRate` (16 kHz in emovox), as `spec` says:
 * the same length as the input, and the same samples for the same spec every time.
 * Codecs and the telephone band go through ffmpeg; noise, gain and reverberation are
 * computed here.
 * @example
 * const noisy = await augmentSignal(samples, 16000, { kind: 'noise', snrDb: 10, color: 'pink', seed: 7 });
 */
export async function augmentSignal(samples: Float32Array, sampleRate: number, spec: AugmentSpec): Promise<Float32Array> {
  switch (spec.kind) {
    case 'gain':
      return applyGain(samples, spec.db);
    case 'noise':
      return addNoise(samples, spec.snrDb, spec.color, spec.seed);
    case 'reverb':
      return reverberate(samples, sampleRate, spec.rt60, spec.seed);
    default:
      return codecRoundTrip(samples, sampleRate, spec);
  }
}

/** The samples times 10^(dB/20), not clipped (emovox works on floats; a peak above 1 is kept). */
export function applyGain(samples: Float32Array, db: number): Float32Array {
  const g = 10 ** (db / 20);
  return samples.map((x) => x * g);
}

/**
 * The samples plus generated noise scaled so that 10·log10(P_signal / P_noise) = snrDb,
 * both powers taken as the mean square over the whole clip. White noise is Gaussian
 * (Box–Muller); pink noise (−3 dB per octave, closer to babble and room noise) is that
 * white noise through Paul Kellet's refined 1/f filter (musicdsp.org, "Pink noise filter",
 * 1999), accurate to ±0.05 dB above 9 Hz at 44.1 kHz.
 */
export function addNoise(samples: Float32Array, snrDb: number, color: 'white' | 'pink', seed: number): Float32Array {
  const noise = color === 'pink' ? pinkNoise(samples.length, seed) : gaussianNoise(samples.length, seed);
  const ps = meanSquare(samples);
  const pn = meanSquare(noise);
  if (ps === 0 || pn === 0) return samples.slice();
  const k = Math.sqrt(ps / (pn * 10 ** (snrDb / 10)));
  const out = new Float32Array(samples.length);
  for (let i = 0; i < out.length; i++) out[i] = samples[i] + k * noise[i];
  return out;
}

/** Direct sound over reverberant tail energy of the synthetic rooms, in dB. */
export const REVERB_DRR_DB = 0;

/**
 * The samples in a synthetic room: convolved with an impulse response made of the direct
 * sound (a unit impulse) and a late tail of Gaussian noise under the exponential envelope
 * exp(−3·ln(10)·t / RT60), which has decayed by 60 dB at t = RT60: Polack's statistical
 * model of late reverberation (J.-D. Polack, "Playing billiards in the concert hall",
 * Applied Acoustics 38, 1993; the synthetic RIRs of Ko et al., ICASSP 2017, for speech
 * augmentation). The tail is scaled to a direct-to-reverberant ratio of REVERB_DRR_DB, and
 * the output to the input's RMS level (reverberation here changes the channel, not the level).
 */
export function reverberate(samples: Float32Array, sampleRate: number, rt60: number, seed: number): Float32Array {
  const m = Math.max(2, Math.ceil(rt60 * sampleRate));
  const ir = new Float64Array(m);
  const white = gaussianNoise(m, seed);
  const decay = (3 * Math.LN10) / (rt60 * sampleRate);
  let tail = 0;
  for (let n = 1; n < m; n++) {
    ir[n] = white[n] * Math.exp(-decay * n);
    tail += ir[n] * ir[n];
  }
  const scale = Math.sqrt(10 ** (-REVERB_DRR_DB / 10) / tail);
  for (let n = 1; n < m; n++) ir[n] *= scale;
  ir[0] = 1;
  const wet = convolve(samples, ir);
  const k = Math.sqrt(meanSquare(samples) / (meanSquare(wet) || 1));
  return wet.map((x) => x * k);
}

/** The first x.length samples of the linear convolution x * h, by FFT (padded to a power of two, which fft.js needs). */
export function convolve(x: Float32Array, h: Float64Array): Float32Array {
  const size = 2 ** Math.ceil(Math.log2(x.length + h.length - 1));
  const fft = new FFT(size);
  const a = new Float64Array(2 * size);
  const b = new Float64Array(2 * size);
  for (let i = 0; i < x.length; i++) a[2 * i] = x[i];
  for (let i = 0; i < h.length; i++) b[2 * i] = h[i];
  const A = new Float64Array(2 * size);
  const B = new Float64Array(2 * size);
  fft.transform(A, a);
  fft.transform(B, b);
  multiplyComplex(A, A, B, size);
  fft.inverseTransform(a, A); // fft.js divides by size here
  const out = new Float32Array(x.length);
  for (let i = 0; i < out.length; i++) out[i] = a[2 * i];
  return out;
}

function gaussianNoise(n: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    // Box–Muller: two independent standard normals from two uniforms.
    const r = Math.sqrt(-2 * Math.log(1 - rand()));
    const t = 2 * Math.PI * rand();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

function pinkNoise(n: number, seed: number): Float64Array {
  const white = gaussianNoise(n, seed);
  let [b0, b1, b2, b3, b4, b5, b6] = [0, 0, 0, 0, 0, 0, 0];
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = white[i];
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856;
    b4 = 0.55 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.016898;
    out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
  }
  return out;
}

function meanSquare(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return x.length ? s / x.length : 0;
}
