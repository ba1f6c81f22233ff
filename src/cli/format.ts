import type { Metrics, EvaluationResult } from '../eval/types.js';

const pct = (x: number): string => (100 * x).toFixed(1).padStart(5) + '%';

/** A plain-text table with left-aligned first column and right-aligned numbers. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  return cells.map((r) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ')).join('\n');
}

export function formatConfusion(m: Metrics, labels: string[]): string {
  const short = labels.map((l) => l.slice(0, 5));
  return table(['true \\ predicted', ...short], m.confusion.map((row, i) => [labels[i], ...row]));
}

export function formatEvaluation(r: EvaluationResult): string {
  const out: string[] = [];
  out.push(`Protocol: ${r.protocol.description}`);
  if (r.protocol.leaky) out.push('WARNING: this split is leaky: the same speakers (and copies of one performance) fall on both sides. It overstates accuracy on new speakers; do not compare it with a grouped score.');
  out.push(`Data: ${r.dataset.files} files, ${Object.keys(r.dataset.speakers).length} speakers, corpus ${r.dataset.corpus}`);
  if (r.summary && r.pooled) {
    const s = r.summary;
    out.push('');
    out.push(table(['metric', 'mean', '± std', 'min', 'max'], [
      ['accuracy', pct(s.accuracy.mean), pct(s.accuracy.std), pct(s.accuracy.min), pct(s.accuracy.max)],
      ['UAR', pct(s.uar.mean), pct(s.uar.std), pct(s.uar.min), pct(s.uar.max)],
      ['macro-F1', pct(s.macroF1.mean), pct(s.macroF1.std), pct(s.macroF1.min), pct(s.macroF1.max)],
      ...(s.ece ? [['ECE', pct(s.ece.mean), pct(s.ece.std), pct(s.ece.min), pct(s.ece.max)]] : []),
    ]));
    out.push(`(over ${r.folds.length} folds; pooled out-of-fold: accuracy ${pct(r.pooled.accuracy).trim()}, UAR ${pct(r.pooled.uar).trim()})`);
    out.push('');
    out.push(table(['class', 'precision', 'recall', 'F1', 'n'], r.pooled.perClass.map((c) => [c.label, pct(c.precision), pct(c.recall), pct(c.f1), c.support])));
    out.push('');
    out.push('Confusion matrix (rows: true, columns: predicted):');
    out.push(formatConfusion(r.pooled, r.labels));
    out.push('');
    out.push('Accuracy per speaker: ' + r.pooled.perSpeaker.map((p) => `${p.speaker} ${pct(p.accuracy).trim()}`).join(', '));
  }
  return out.join('\n');
}
