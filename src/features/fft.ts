import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// fft.js (radix-4, double precision) only takes powers of two.
const FFT = require('fft.js') as new (size: number) => {
  transform(out: Float64Array, data: Float64Array): void;
  realTransform(out: Float64Array, data: Float64Array): void;
  inverseTransform(out: Float64Array, data: Float64Array): void;
};

/**
 * The power spectrum |X_k|², k = 0..n/2, of a real frame of any length n. Powers of two
 * go straight to fft.js; other lengths (n_fft 400 = 25 ms at 16 kHz, librosa's speech
 * setting) use Bluestein's chirp-z algorithm over a power-of-two fft.js transform, so the
 * result is the exact DFT of length n, not a zero-padded one.
 */
export class PowerSpectrum {
  readonly bins: number;
  private readonly pow2: boolean;
  private readonly fft: InstanceType<typeof FFT>;
  private readonly size: number;
  private readonly input: Float64Array;
  private readonly output: Float64Array;
  private readonly chirp: Float64Array = new Float64Array(0);
  private readonly kernel: Float64Array = new Float64Array(0);
  private readonly work: Float64Array = new Float64Array(0);

  constructor(readonly n: number) {
    this.bins = (n >> 1) + 1;
    this.pow2 = (n & (n - 1)) === 0;
    this.size = this.pow2 ? n : 2 ** Math.ceil(Math.log2(2 * n - 1));
    this.fft = new FFT(this.size);
    this.input = new Float64Array(2 * this.size);
    this.output = new Float64Array(2 * this.size);
    if (!this.pow2) {
      // chirp_j = exp(-iπ j²/n); j² taken mod 2n so the angle stays exact for large j.
      this.chirp = new Float64Array(2 * n);
      for (let j = 0; j < n; j++) {
        const a = (-Math.PI * ((j * j) % (2 * n))) / n;
        this.chirp[2 * j] = Math.cos(a);
        this.chirp[2 * j + 1] = Math.sin(a);
      }
      // The kernel conj(chirp) at lags -(n-1)..n-1, wrapped, transformed once.
      const b = new Float64Array(2 * this.size);
      for (let j = 0; j < n; j++) {
        const [re, im] = [this.chirp[2 * j], -this.chirp[2 * j + 1]];
        b[2 * j] = re;
        b[2 * j + 1] = im;
        if (j > 0) {
          b[2 * (this.size - j)] = re;
          b[2 * (this.size - j) + 1] = im;
        }
      }
      this.kernel = new Float64Array(2 * this.size);
      this.fft.transform(this.kernel, b);
      this.work = new Float64Array(2 * this.size);
    }
  }

  /** Writes |DFT(frame)|² for bins 0..n/2 into `out`. `frame` has length n. */
  compute(frame: ArrayLike<number>, out: Float64Array | Float32Array): void {
    const { n, input, output } = this;
    if (this.pow2) {
      for (let j = 0; j < n; j++) input[j] = frame[j];
      this.fft.realTransform(output, input.subarray(0, n));
      for (let k = 0; k < this.bins; k++) out[k] = output[2 * k] ** 2 + output[2 * k + 1] ** 2;
      return;
    }
    input.fill(0);
    for (let j = 0; j < n; j++) {
      input[2 * j] = frame[j] * this.chirp[2 * j];
      input[2 * j + 1] = frame[j] * this.chirp[2 * j + 1];
    }
    this.fft.transform(output, input);
    const { kernel, work } = this;
    for (let j = 0; j < this.size; j++) {
      const ar = output[2 * j];
      const ai = output[2 * j + 1];
      const br = kernel[2 * j];
      const bi = kernel[2 * j + 1];
      work[2 * j] = ar * br - ai * bi;
      work[2 * j + 1] = ar * bi + ai * br;
    }
    this.fft.inverseTransform(output, work);
    // X_k = chirp_k · conv_k; the chirp has unit modulus, so |X_k|² = |conv_k|².
    for (let k = 0; k < this.bins; k++) out[k] = output[2 * k] ** 2 + output[2 * k + 1] ** 2;
  }
}
