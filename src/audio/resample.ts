import { EmovoxError } from '../errors.js';

/** Sample rates the resampler accepts, in whole Hz: from telephone-band 1 kHz to 768 kHz (the highest PCM rate ADCs offer). */
export const MIN_SAMPLE_RATE = 1000;
export const MAX_SAMPLE_RATE = 768000;

/**
 * The low-pass filter, in units of the lower rate's Nyquist frequency. sox `rate -v` keeps 0 dB
 * to 91%, is -3 dB at 95% and stops at 100%; a windowed sinc is -6 dB at its cutoff, so the
 * cutoff sits at the middle of that band, 0.955. A Kaiser window (β 7.857, about 80 dB of
 * stopband: Oppenheim & Schafer eq. 7.62) over ±24 lobes of the low-rate sinc makes the
 * transition about 0.85–1.06. Chosen by measurement (bench/resample.ts, RAVDESS originals
 * against sox `rate -v`): ±24 lobes gave a median SNR of 44 dB (worst 33 dB) at about 300 s
 * of audio per CPU second; ±32 lobes gave 47 dB (worst 35 dB) at about 200; ±16, 41 dB (30).
 */
const CUTOFF = 0.955;
const ZERO_CROSSINGS = 24;
const KAISER_BETA = 7.857;
/** Exact polyphase tables up to this many phases (L of the reduced ratio L/M); above it, interpolated ones. */
const MAX_EXACT_PHASES = 1024;
/** Output samples one call may make (1 GiB of float32): beyond it, a clear error instead of a RangeError. */
const MAX_OUTPUT = 1 << 28;
/** A filter bank never holds more coefficients than this (16 MiB), whatever the rates. */
const MAX_TABLE = 1 << 22;

interface FilterBank {
  fromRate: number;
  toRate: number;
  /** The reduced ratio: output sample k sits at input time t_k = k·down/up. */
  up: number;
  down: number;
  /** Rows of the table: `up` for an exact bank, or `phases + 1` sampled phases for an interpolated one. */
  phases: number;
  exact: boolean;
  /** Taps per output sample, and the offset of the first tap before floor(t_k). */
  taps: number;
  lead: number;
  table: Float32Array;
}

// Only the last bank is kept: a batch of files is mostly one rate, and memory must not grow
// with the number of distinct rates seen (issue 13: one converter per rate, never freed).
let lastBank: FilterBank | null = null;

/**
 * The one resampler of emovox, for every rate, in training and prediction alike: a
 * windowed-sinc polyphase filter (Smith, "Digital Audio Resampling Home Page", CCRMA) over
 * the reduced ratio up/down of the two rates, exact for ratios such as 1:3 (48 kHz) and
 * 160:441 (44.1 kHz), with phases interpolated linearly when the ratio has more than
 * 1024 phases. Output sample k sits at input time k × fromRate / toRate (sample 0 on
 * sample 0, zeros beyond both ends), and there are round(n × toRate / fromRate) of them.
 * Rates are whole Hz in [MIN_SAMPLE_RATE, MAX_SAMPLE_RATE]; anything else is E_UNSUPPORTED.
 *
 * @example
 * const at16k = await resample(samples48k, 48000, 16000); // a third as many samples
 */
export async function resample(samples: Float32Array, fromRate: number, toRate: number): Promise<Float32Array> {
  return resampleSync(samples, fromRate, toRate);
}

/** The same as `resample`, without the promise. */
export function resampleSync(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (!(samples instanceof Float32Array)) throw new EmovoxError('E_USAGE', 'resample needs the samples as a Float32Array');
  checkRate(fromRate, 'input');
  checkRate(toRate, 'output');
  if (fromRate === toRate || samples.length === 0) return samples;
  const outLength = Math.round((samples.length * toRate) / fromRate);
  if (outLength > MAX_OUTPUT) {
    throw new EmovoxError('E_TOO_LONG', `resampling ${samples.length} samples from ${fromRate} to ${toRate} Hz would make ${outLength} samples, above ${MAX_OUTPUT}: cut the recording into shorter parts`);
  }
  if (lastBank?.fromRate !== fromRate || lastBank.toRate !== toRate) lastBank = null; // free the old one before building
  lastBank ??= filterBank(fromRate, toRate);
  const out = new Float32Array(outLength);
  convolve(samples, 0, samples.length, 0, outLength, lastBank, out);
  return out;
}

/**
 * The same filter fed block by block: `push` returns the output samples whose taps have all
 * arrived, `end` the rest (zeros beyond the end, as `resample` has), so the concatenation is
 * sample for sample what `resample` gives on the whole signal. Holds only about one filter
 * length of input between calls.
 *
 * @example
 * const rs = new ResampleStream(48000, 16000);
 * for (const block of blocks48k) consume(rs.push(block));
 * consume(rs.end());
 */
export class ResampleStream {
  private readonly bank: FilterBank | null;
  private buffer = new Float32Array(0);
  /** The input index of buffer[0]. */
  private bufferStart = 0;
  private inFrames = 0;
  private nextOut = 0;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {
    checkRate(fromRate, 'input');
    checkRate(toRate, 'output');
    this.bank = fromRate === toRate ? null : filterBank(fromRate, toRate);
  }

  push(block: Float32Array): Float32Array {
    if (!(block instanceof Float32Array)) throw new EmovoxError('E_USAGE', 'ResampleStream.push needs the samples as a Float32Array');
    this.inFrames += block.length;
    if (!this.bank) return block;
    const { up, down, lead } = this.bank;
    const joined = new Float32Array(this.buffer.length + block.length);
    joined.set(this.buffer);
    joined.set(block, this.buffer.length);
    this.buffer = joined;
    // Output k is complete once floor(k·down/up) + lead < inFrames, i.e. k·down ≤ (inFrames − lead)·up − 1.
    const ready = this.inFrames - lead >= 1 ? Math.floor(((this.inFrames - lead) * up - 1) / down) + 1 : 0;
    const out = new Float32Array(Math.max(0, ready - this.nextOut));
    convolve(this.buffer, this.bufferStart, this.inFrames, this.nextOut, this.nextOut + out.length, this.bank, out);
    this.nextOut += out.length;
    // Keep the input from the first tap of the next output on.
    const keepFrom = Math.max(this.bufferStart, Math.floor((this.nextOut * down) / up) - lead + 1);
    this.buffer = this.buffer.slice(keepFrom - this.bufferStart);
    this.bufferStart = keepFrom;
    return out;
  }

  /** The outputs still held back, up to round(n × toRate / fromRate) in all. */
  end(): Float32Array {
    if (!this.bank) return new Float32Array(0);
    const total = Math.round((this.inFrames * this.toRate) / this.fromRate);
    const out = new Float32Array(Math.max(0, total - this.nextOut));
    convolve(this.buffer, this.bufferStart, this.inFrames, this.nextOut, this.nextOut + out.length, this.bank, out);
    this.nextOut += out.length;
    this.buffer = new Float32Array(0);
    return out;
  }
}

/**
 * Output samples kFrom..kTo−1 into out[0..]: x holds the input from index xStart on, and n is the
 * input's length (every tap at n or later reads zero). The same arithmetic, in the same order,
 * whether the input comes whole or in blocks.
 */
function convolve(x: Float32Array, xStart: number, n: number, kFrom: number, kTo: number, bank: FilterBank, out: Float32Array): void {
  if (bank.exact) convolveExact(x, xStart, n, kFrom, kTo, bank, out);
  else convolveInterpolated(x, xStart, n, kFrom, kTo, bank, out);
}

function checkRate(rate: number, which: string): void {
  if (!Number.isInteger(rate) || rate < MIN_SAMPLE_RATE || rate > MAX_SAMPLE_RATE) {
    throw new EmovoxError(
      'E_UNSUPPORTED',
      `${which} sample rate ${String(rate)} Hz is not supported: emovox resamples whole rates from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE} Hz; convert the file first (e.g. sox or ffmpeg)`,
    );
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function filterBank(fromRate: number, toRate: number): FilterBank {
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  // Cutoff and window length in input samples: the filter lives at the lower rate.
  const low = Math.min(fromRate, toRate);
  const fc = (CUTOFF * low) / 2 / fromRate; // cycles per input sample
  const halfWidth = (ZERO_CROSSINGS * fromRate) / low; // input samples either side of t
  const lead = Math.ceil(halfWidth); // taps i = floor(t) - lead + 1 … floor(t) + lead
  const taps = 2 * lead;
  const exact = up <= MAX_EXACT_PHASES && up * taps <= MAX_TABLE;
  let phases = up;
  if (!exact) {
    // Linear interpolation between phases 1/P apart errs by about (2π·fc/P)²/8 of the kernel
    // (the second-order term of its Taylor series): P ≥ 700·fc keeps that below -100 dB.
    phases = 4;
    while (phases < 700 * fc && phases < MAX_EXACT_PHASES && (phases * 2 + 1) * taps <= MAX_TABLE) phases *= 2;
  }
  const rows = exact ? up : phases + 1;
  const table = new Float32Array(rows * taps);
  const i0 = besselI0(KAISER_BETA);
  for (let r = 0; r < rows; r++) {
    const frac = r / phases; // the fractional part of t for this row
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      const tau = frac + lead - 1 - j; // t − i, in input samples
      const u = tau / halfWidth;
      if (Math.abs(u) >= 1) continue;
      const x = 2 * fc * tau;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const w = besselI0(KAISER_BETA * Math.sqrt(1 - u * u)) / i0;
      const h = 2 * fc * sinc * w;
      table[r * taps + j] = h;
      sum += h;
    }
    // Unit gain at DC for every phase, so a constant stays exactly constant.
    for (let j = 0; j < taps; j++) table[r * taps + j] /= sum;
  }
  return { fromRate, toRate, up, down, phases, exact, taps, lead, table };
}

/** Zeroth-order modified Bessel function of the first kind, by its power series. */
function besselI0(x: number): number {
  let term = 1;
  let sum = 1;
  const q = (x * x) / 4;
  for (let k = 1; term > sum * 1e-17; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

function convolveExact(x: Float32Array, xStart: number, n: number, kFrom: number, kTo: number, bank: FilterBank, out: Float32Array): void {
  const { up, down, taps, lead, table } = bank;
  // t_k = base + phase/up, stepped exactly in integers from t_kFrom.
  let base = Math.floor((kFrom * down) / up);
  let phase = kFrom * down - base * up;
  const step = Math.floor(down / up);
  const stepRem = down % up;
  for (let k = kFrom; k < kTo; k++) {
    const first = base - lead + 1;
    const at = first - xStart; // where the first tap sits in x
    const row = phase * taps;
    let acc = 0;
    if (first >= 0 && first + taps <= n) {
      // Four running sums: shorter dependency chains for the CPU (taps is even, and a multiple of 4 below).
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let j = 0;
      for (; j + 3 < taps; j += 4) {
        a0 += x[at + j] * table[row + j];
        a1 += x[at + j + 1] * table[row + j + 1];
        a2 += x[at + j + 2] * table[row + j + 2];
        a3 += x[at + j + 3] * table[row + j + 3];
      }
      for (; j < taps; j++) a0 += x[at + j] * table[row + j];
      acc = a0 + a1 + (a2 + a3);
    } else {
      const jFrom = Math.max(0, -first);
      const jTo = Math.min(taps, n - first);
      for (let j = jFrom; j < jTo; j++) acc += x[at + j] * table[row + j];
    }
    out[k - kFrom] = acc;
    base += step;
    phase += stepRem;
    if (phase >= up) {
      phase -= up;
      base++;
    }
  }
}

function convolveInterpolated(x: Float32Array, xStart: number, n: number, kFrom: number, kTo: number, bank: FilterBank, out: Float32Array): void {
  const { up, down, phases, taps, lead, table } = bank;
  for (let k = kFrom; k < kTo; k++) {
    // k·down is exact in a double for any output this program can hold (< 2^53 / MAX_SAMPLE_RATE).
    const num = k * down;
    const base = Math.floor(num / up);
    const pos = ((num - base * up) / up) * phases;
    const p = Math.min(Math.floor(pos), phases - 1);
    const w = pos - p;
    const first = base - lead + 1;
    const at = first - xStart;
    const rowA = p * taps;
    const rowB = rowA + taps;
    const jFrom = Math.max(0, -first);
    const jTo = Math.min(taps, n - first);
    let a = 0;
    let b = 0;
    for (let j = jFrom; j < jTo; j++) {
      const v = x[at + j];
      a += v * table[rowA + j];
      b += v * table[rowB + j];
    }
    out[k - kFrom] = a + w * (b - a);
  }
}
