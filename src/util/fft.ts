import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** fft.js (radix-4, double precision, powers of two only), typed once for its three users. */
export const FFT = require('fft.js') as new (size: number) => {
  transform(out: Float64Array, data: Float64Array): void;
  realTransform(out: Float64Array, data: Float64Array): void;
  completeSpectrum(spectrum: Float64Array): void;
  /** Divides by the size. */
  inverseTransform(out: Float64Array, data: Float64Array): void;
};

/**
 * out_j = a_j · b_j for j < count, over interleaved complex arrays (re, im, re, im, …).
 * `out` may be `a`: each product reads its operands before writing.
 * @example
 * multiplyComplex(spectrum, spectrum, kernel, size); // a convolution in the frequency domain
 */
export function multiplyComplex(out: Float64Array, a: ArrayLike<number>, b: Float64Array, count: number): void {
  for (let j = 0; j < count; j++) {
    const ar = a[2 * j];
    const ai = a[2 * j + 1];
    const br = b[2 * j];
    const bi = b[2 * j + 1];
    out[2 * j] = ar * br - ai * bi;
    out[2 * j + 1] = ar * bi + ai * br;
  }
}
