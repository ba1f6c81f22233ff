import type { FrameMatrix } from './stft.js';

export type Functional = 'mean' | 'std' | 'p10' | 'p50' | 'p90' | 'range' | 'slope';

/**
 * Utterance statistics of one frame-feature column over the frames in `rows` (all rows
 * if omitted): mean, standard deviation, 10/50/90th percentiles, the 10–90 range and the
 * least-squares slope per second. An empty selection gives zeros.
 */
export function columnFunctionals(m: FrameMatrix, col: number, which: readonly Functional[], hopSec: number, rows?: Int32Array): number[] {
  const idx = rows ?? identity(m.rows);
  const n = idx.length;
  if (n === 0) return which.map(() => 0);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = m.data[idx[i] * m.cols + col];
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= n;
  let v = 0;
  for (const x of xs) v += (x - mean) ** 2;
  const sorted = needsSort(which) ? Float64Array.from(xs).sort() : xs;
  const pct = (q: number): number => sorted[Math.min(n - 1, Math.floor(q * (n - 1) + 0.5))];
  return which.map((f) => {
    switch (f) {
      case 'mean': return mean;
      case 'std': return Math.sqrt(v / n);
      case 'p10': return pct(0.1);
      case 'p50': return pct(0.5);
      case 'p90': return pct(0.9);
      case 'range': return pct(0.9) - pct(0.1);
      case 'slope': return slope(idx, xs, hopSec);
    }
  });
}

/** 0..n-1, shared between calls: every column of a matrix reads the same rows (a plain loop; a callback per element cost more than the statistics). */
let identityRows = new Int32Array(0);
function identity(n: number): Int32Array {
  if (identityRows.length < n) {
    identityRows = new Int32Array(Math.max(n, 2 * identityRows.length));
    for (let i = 0; i < identityRows.length; i++) identityRows[i] = i;
  }
  return identityRows.subarray(0, n);
}

function needsSort(which: readonly Functional[]): boolean {
  return which.some((f) => f.startsWith('p') || f === 'range');
}

/** Least-squares slope of x against time (frame index × hop), per second. */
function slope(idx: Int32Array, xs: Float64Array, hopSec: number): number {
  const n = xs.length;
  if (n < 2) return 0;
  let mt = 0;
  let mx = 0;
  for (let i = 0; i < n; i++) {
    mt += idx[i] * hopSec;
    mx += xs[i];
  }
  mt /= n;
  mx /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dt = idx[i] * hopSec - mt;
    num += dt * (xs[i] - mx);
    den += dt * dt;
  }
  return den > 0 ? num / den : 0;
}

/** Deltas as librosa.feature.delta(width=5): a regression over ±2 frames, edges repeated. */
export function deltas(m: FrameMatrix): FrameMatrix {
  const { rows, cols } = m;
  const out = new Float32Array(rows * cols);
  const d = m.data;
  const row = (t: number): number => Math.min(rows - 1, Math.max(0, t)) * cols;
  for (let t = 0; t < rows; t++) {
    const [p2, p1, n1, n2] = [row(t - 2), row(t - 1), row(t + 1), row(t + 2)];
    for (let c = 0; c < cols; c++) {
      out[t * cols + c] = (d[n1 + c] - d[p1 + c] + 2 * (d[n2 + c] - d[p2 + c])) / 10;
    }
  }
  return { rows, cols, data: out };
}
