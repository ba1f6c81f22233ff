import type { Matrix } from '../types.js';

/**
 * Per-speaker standardisation: each speaker's rows are centred and scaled by that
 * speaker's own feature mean and standard deviation. It needs several unlabelled clips
 * of the speaker, and uses no label, so it leaks nothing across a speaker-grouped split.
 * It removes much of what differs between voices (pitch range, timbre, loudness).
 */
export function speakerNormalize(X: Matrix, speakers: string[]): Matrix {
  const out = new Float32Array(X.data.length);
  const bySpeaker = new Map<string, number[]>();
  speakers.forEach((s, i) => {
    const list = bySpeaker.get(s);
    if (list) list.push(i);
    else bySpeaker.set(s, [i]);
  });
  const d = X.cols;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (const rows of bySpeaker.values()) {
    mean.fill(0);
    sq.fill(0);
    for (const r of rows) {
      for (let c = 0; c < d; c++) {
        const v = X.data[r * d + c];
        mean[c] += v;
        sq[c] += v * v;
      }
    }
    for (let c = 0; c < d; c++) {
      mean[c] /= rows.length;
      const variance = sq[c] / rows.length - mean[c] * mean[c];
      // One clip, or a constant feature: centre only.
      sq[c] = variance > 1e-12 ? Math.sqrt(variance) : 1;
    }
    for (const r of rows) for (let c = 0; c < d; c++) out[r * d + c] = (X.data[r * d + c] - mean[c]) / sq[c];
  }
  return { data: out, rows: X.rows, cols: d };
}
