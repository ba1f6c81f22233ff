import type { Matrix } from '../types.js';

/** Rows of a matrix picked by index, as a new matrix. */
export function takeRows(X: Matrix, index: Int32Array): Matrix {
  const out = new Float32Array(index.length * X.cols);
  for (let r = 0; r < index.length; r++) out.set(X.data.subarray(index[r] * X.cols, (index[r] + 1) * X.cols), r * X.cols);
  return { data: out, rows: index.length, cols: X.cols };
}

/** The column of the largest value in each row of a rows × k matrix held flat. */
export function argmaxRows(p: Float32Array, k: number): Int32Array {
  const n = p.length / k;
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (p[r * k + c] > p[r * k + best]) best = c;
    out[r] = best;
  }
  return out;
}

/** Two row-major blocks of the same width, one under the other. */
export function concatRows(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Stacks equal-length vectors into a matrix, one row each. */
export function stackRows(vectors: Float32Array[], cols: number): Matrix {
  const data = new Float32Array(vectors.length * cols);
  vectors.forEach((v, i) => data.set(v, i * cols));
  return { data, rows: vectors.length, cols };
}
