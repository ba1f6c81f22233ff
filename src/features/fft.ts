import { FFT, multiplyComplex } from '../util/fft.js';

/**
 * The power spectrum |X_k|², k = 0..n/2, of a real frame of any length n. Powers of two
 * go straight to fft.js; other lengths (n_fft 400 = 25 ms at 16 kHz, librosa's speech
 * setting) use Bluestein's chirp-z algorithm over a power-of-two fft.js transform, so the
 * result is the exact DFT of length n, not a zero-padded one. An even n is packed as n/2
 * complex samples (even samples real, odd imaginary) and unpacked after the transform
 * (Press et al., Numerical Recipes, §12.3), which halves the Bluestein transform size
 * (512 instead of 1024 for n = 400).
 */
export class PowerSpectrum {
  readonly bins: number;
  private readonly pow2: boolean;
  /** Complex points of the Bluestein transform: n/2 for an even n, else n. */
  private readonly m: number;
  private readonly packed: boolean;
  private readonly fft: InstanceType<typeof FFT>;
  private readonly size: number;
  private readonly input: Float64Array;
  private readonly output: Float64Array;
  private readonly chirp: Float64Array = new Float64Array(0);
  private readonly kernel: Float64Array = new Float64Array(0);
  private readonly work: Float64Array = new Float64Array(0);
  /** exp(-2πik/n), k = 0..n/2, for the unpacking of an even n. */
  private readonly twiddle: Float64Array = new Float64Array(0);
  /** The m-point DFT of the packed frame, complex interleaved. */
  private readonly spectrum: Float64Array = new Float64Array(0);

  constructor(readonly n: number) {
    this.bins = (n >> 1) + 1;
    this.pow2 = (n & (n - 1)) === 0;
    this.packed = !this.pow2 && n % 2 === 0;
    const m = (this.m = this.packed ? n >> 1 : n);
    this.size = this.pow2 ? n : 2 ** Math.ceil(Math.log2(2 * m - 1));
    this.fft = new FFT(this.size);
    this.input = new Float64Array(2 * this.size);
    this.output = new Float64Array(2 * this.size);
    if (!this.pow2) {
      // chirp_j = exp(-iπ j²/m); j² taken mod 2m so the angle stays exact for large j.
      this.chirp = new Float64Array(2 * m);
      for (let j = 0; j < m; j++) {
        const a = (-Math.PI * ((j * j) % (2 * m))) / m;
        this.chirp[2 * j] = Math.cos(a);
        this.chirp[2 * j + 1] = Math.sin(a);
      }
      // The kernel conj(chirp) at lags -(m-1)..m-1, wrapped, transformed once.
      const b = new Float64Array(2 * this.size);
      for (let j = 0; j < m; j++) {
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
    if (this.packed) {
      this.twiddle = new Float64Array(2 * this.bins);
      for (let k = 0; k < this.bins; k++) {
        this.twiddle[2 * k] = Math.cos((-2 * Math.PI * k) / n);
        this.twiddle[2 * k + 1] = Math.sin((-2 * Math.PI * k) / n);
      }
      this.spectrum = new Float64Array(2 * m);
    }
  }

  /** Writes |DFT(frame)|² for bins 0..n/2 into `out`. `frame` has length n. */
  compute(frame: ArrayLike<number>, out: Float64Array | Float32Array): void {
    const { n, m, input, output } = this;
    if (this.pow2) {
      for (let j = 0; j < n; j++) input[j] = frame[j];
      this.fft.realTransform(output, input.subarray(0, n));
      for (let k = 0; k < this.bins; k++) out[k] = output[2 * k] ** 2 + output[2 * k + 1] ** 2;
      return;
    }
    const { chirp, kernel, work } = this;
    input.fill(0, 2 * m);
    if (this.packed) {
      // z_j: the even and odd samples as one complex number, times the chirp.
      multiplyComplex(input, frame, chirp, m);
    } else {
      for (let j = 0; j < m; j++) {
        input[2 * j] = frame[j] * chirp[2 * j];
        input[2 * j + 1] = frame[j] * chirp[2 * j + 1];
      }
    }
    this.fft.transform(output, input);
    multiplyComplex(work, output, kernel, this.size);
    this.fft.inverseTransform(output, work);
    if (!this.packed) {
      // X_k = chirp_k · conv_k; the chirp has unit modulus, so |X_k|² = |conv_k|².
      for (let k = 0; k < this.bins; k++) out[k] = output[2 * k] ** 2 + output[2 * k + 1] ** 2;
      return;
    }
    // Z_k = chirp_k · conv_k, the m-point DFT of z; then X_k = E_k + e^{-2πik/n} O_k with
    // E_k = (Z_k + conj Z_{m-k}) / 2 and O_k = (Z_k − conj Z_{m-k}) / 2i, indices mod m.
    const z = this.spectrum;
    multiplyComplex(z, output, chirp, m);
    const tw = this.twiddle;
    for (let k = 0; k < this.bins; k++) {
      const a = k === m ? 0 : k; // k mod m, for k ≤ m
      const b = a === 0 ? 0 : m - a;
      const zr = z[2 * a];
      const zi = z[2 * a + 1];
      const yr = z[2 * b];
      const yi = -z[2 * b + 1]; // conj Z_{m-k}
      const er = (zr + yr) / 2;
      const ei = (zi + yi) / 2;
      // (Z − conj Z') / 2i = (imag part, −real part) / 2
      const or = (zi - yi) / 2;
      const oi = -(zr - yr) / 2;
      const wr = tw[2 * k];
      const wi = tw[2 * k + 1];
      const xr = er + wr * or - wi * oi;
      const xi = ei + wr * oi + wi * or;
      out[k] = xr * xr + xi * xi;
    }
  }
}
