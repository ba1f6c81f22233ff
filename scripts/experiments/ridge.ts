/**
 * A ridge classifier for screening levers quickly (seconds per fit, where the recipe's MLP
 * ensemble takes minutes on a shared machine): features standardised by the training rows,
 * one-hot targets centred, W = Xᵀ (X Xᵀ + λ I)⁻¹ Y solved in the dual (n training rows ≪ d
 * features), scores = X W + mean(Y), answer = argmax. The same head as "ridge" in
 * scripts/experiments/heads.py (docs/ACCURACY.md: 64.9% against the ensemble's 68.5% on
 * RAVDESS), so it ranks levers; it does not replace the recipe's figures.
 *
 * @example
 *   const model = fitRidge(Xtrain, yTrain, 8, 1000);
 *   const scores = model.scores(Xtest); // rows × 8
 */
import type { Matrix } from '../../src/types.js';

export interface RidgeModel {
  scores(X: Matrix): Float64Array;
}

export function fitRidge(X: Matrix, y: Int32Array, k: number, lambda: number): RidgeModel {
  const { rows: n, cols: d } = X;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) mean[c] += X.data[r * d + c] / n;
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) std[c] += (X.data[r * d + c] - mean[c]) ** 2 / n;
  for (let c = 0; c < d; c++) std[c] = std[c] > 1e-12 ? Math.sqrt(std[c]) : 1;
  const Z = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) Z[r * d + c] = (X.data[r * d + c] - mean[c]) / std[c];
  // Gram matrix plus the ridge, then its Cholesky factor in place (lower triangle).
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      const oi = i * d;
      const oj = j * d;
      for (let c = 0; c < d; c++) s += Z[oi + c] * Z[oj + c];
      G[i * n + j] = s;
    }
    G[i * n + i] += lambda;
  }
  for (let j = 0; j < n; j++) {
    let s = G[j * n + j];
    for (let p = 0; p < j; p++) s -= G[j * n + p] ** 2;
    const diag = Math.sqrt(s);
    G[j * n + j] = diag;
    for (let i = j + 1; i < n; i++) {
      let t = G[i * n + j];
      for (let p = 0; p < j; p++) t -= G[i * n + p] * G[j * n + p];
      G[i * n + j] = t / diag;
    }
  }
  const yMean = new Float64Array(k);
  for (let r = 0; r < n; r++) yMean[y[r]] += 1 / n;
  // α = (G)⁻¹ (Y − mean): forward then backward substitution, one column per class.
  const alpha = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    const v = new Float64Array(n);
    for (let r = 0; r < n; r++) v[r] = (y[r] === c ? 1 : 0) - yMean[c];
    for (let i = 0; i < n; i++) {
      let s = v[i];
      for (let p = 0; p < i; p++) s -= G[i * n + p] * v[p];
      v[i] = s / G[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = v[i];
      for (let p = i + 1; p < n; p++) s -= G[p * n + i] * v[p];
      v[i] = s / G[i * n + i];
    }
    for (let r = 0; r < n; r++) alpha[r * k + c] = v[r];
  }
  const W = new Float64Array(d * k);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) for (let j = 0; j < k; j++) W[c * k + j] += Z[r * d + c] * alpha[r * k + j];
  return {
    scores(T: Matrix): Float64Array {
      const out = new Float64Array(T.rows * k);
      for (let r = 0; r < T.rows; r++) {
        for (let j = 0; j < k; j++) out[r * k + j] = yMean[j];
        for (let c = 0; c < d; c++) {
          const z = (T.data[r * d + c] - mean[c]) / std[c];
          for (let j = 0; j < k; j++) out[r * k + j] += z * W[c * k + j];
        }
      }
      return out;
    },
  };
}
