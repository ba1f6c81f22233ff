import type { Matrix } from '../types.js';

/** Per-feature mean and standard deviation of the training rows, saved in the bundle. */
export interface Standardizer {
  mean: Float32Array;
  std: Float32Array;
}

export function fitStandardizer(X: Matrix): Standardizer {
  const mean = new Float32Array(X.cols);
  const std = new Float32Array(X.cols);
  const sum = new Float64Array(X.cols);
  const sq = new Float64Array(X.cols);
  for (let r = 0; r < X.rows; r++) {
    for (let c = 0; c < X.cols; c++) {
      const v = X.data[r * X.cols + c];
      sum[c] += v;
      sq[c] += v * v;
    }
  }
  for (let c = 0; c < X.cols; c++) {
    mean[c] = sum[c] / X.rows;
    const variance = Math.max(0, sq[c] / X.rows - mean[c] * mean[c]);
    // A constant feature carries nothing; std 1 keeps it at zero instead of dividing by 0.
    std[c] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  return { mean, std };
}

/** (x − mean) / std, clipped to ±10 so that one wild file cannot saturate the network. */
export function standardize(X: Matrix, s: Standardizer): Matrix {
  const data = new Float32Array(X.data.length);
  for (let r = 0; r < X.rows; r++) {
    for (let c = 0; c < X.cols; c++) {
      const z = (X.data[r * X.cols + c] - s.mean[c]) / s.std[c];
      data[r * X.cols + c] = Number.isFinite(z) ? Math.max(-10, Math.min(10, z)) : 0;
    }
  }
  return { rows: X.rows, cols: X.cols, data };
}
