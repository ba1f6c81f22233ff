import type { Matrix } from '../types.js';

/**
 * Per-utterance cepstral mean and variance normalisation (CMVN; Viikki & Laurila 1998),
 * computed exactly from the handcrafted functionals, which are linear in the frames: after
 * CMVN each MFCC's mean is 0 and its standard deviation 1, so both columns go; its
 * percentiles become (p − mean) / std and its slope slope / std; its delta's functionals
 * are divided by the same std. Each log-mel band's mean and std go (a gain or a fixed
 * channel filter adds a constant to a band's log energy); the RMS level in dB loses its
 * mean, which removes the gain above the level's floor of near-silent frames. Columns of other front-ends (speech_embedding, YAMNet) are
 * kept as they are. Needs no other recording: it works on a single clip.
 * @example
 * const { names, X: Xn } = utteranceCmvn(set.names, set.X);
 */
export function utteranceCmvn(names: string[], X: Matrix): { names: string[]; X: Matrix } {
  const col = new Map(names.map((n, i) => [n, i]));
  const plan: { name: string; from: number; minus?: number; over?: number }[] = [];
  for (const [n, i] of col) {
    let m: RegExpExecArray | null;
    if ((m = /^mfcc(\d+)_(p10|p50|p90|slope)$/.exec(n))) {
      plan.push({ name: `cmvn_${n}`, from: i, minus: m[2] === 'slope' ? undefined : col.get(`mfcc${m[1]}_mean`), over: col.get(`mfcc${m[1]}_std`) });
    } else if ((m = /^dmfcc(\d+)_/.exec(n))) {
      plan.push({ name: `cmvn_${n}`, from: i, over: col.get(`mfcc${m[1]}_std`) });
    } else if ((m = /^rms_db_(p10|p50|p90)$/.exec(n))) {
      plan.push({ name: `cmn_${n}`, from: i, minus: col.get('rms_db_mean') });
    } else if (!/^(mfcc\d+_(mean|std)|logmel\d+_(mean|std)|rms_db_mean)$/.test(n)) {
      plan.push({ name: n, from: i });
    }
  }
  const out = new Float32Array(X.rows * plan.length);
  for (let r = 0; r < X.rows; r++) {
    const row = X.data.subarray(r * X.cols, (r + 1) * X.cols);
    plan.forEach((p, j) => {
      const v = row[p.from] - (p.minus === undefined ? 0 : row[p.minus]);
      // A silent stretch can have a zero spread; 1e-6 keeps the column finite.
      out[r * plan.length + j] = p.over === undefined ? v : v / Math.max(row[p.over], 1e-6);
    });
  }
  return { names: plan.map((p) => p.name), X: { data: out, rows: X.rows, cols: plan.length } };
}
