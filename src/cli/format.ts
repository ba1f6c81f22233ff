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
  if (r.protocol.leaky) out.push('WARNING: this split is leaky: the same speakers (or copies of one performance) are on both sides. It overstates accuracy on new speakers; do not compare it with a grouped score.');
  const data = (d: EvaluationResult['dataset']): string => `${d.files} files, ${Object.keys(d.speakers).length} speakers, corpus ${d.corpus}`;
  if (r.trainDataset) out.push(`Trained on: ${data(r.trainDataset)}`);
  out.push(`${r.trainDataset ? 'Tested on' : 'Data'}: ${data(r.dataset)}`);
  if (r.summary && r.pooled && r.folds.length === 1) {
    const m = r.pooled;
    out.push('');
    out.push(table(['metric', 'value'], [['accuracy', pct(m.accuracy)], ['UAR', pct(m.uar)], ['macro-F1', pct(m.macroF1)], ...(m.ece === undefined ? [] : [['ECE', pct(m.ece)]])]));
  }
  if (r.summary && r.pooled) {
    const s = r.summary;
    if (r.folds.length > 1) out.push('');
    if (r.folds.length > 1) out.push(table(['metric', 'mean', '± std', 'min', 'max'], [
      ['accuracy', pct(s.accuracy.mean), pct(s.accuracy.std), pct(s.accuracy.min), pct(s.accuracy.max)],
      ['UAR', pct(s.uar.mean), pct(s.uar.std), pct(s.uar.min), pct(s.uar.max)],
      ['macro-F1', pct(s.macroF1.mean), pct(s.macroF1.std), pct(s.macroF1.min), pct(s.macroF1.max)],
      ...(s.ece ? [['ECE', pct(s.ece.mean), pct(s.ece.std), pct(s.ece.min), pct(s.ece.max)]] : []),
    ]));
    if (r.folds.length > 1) out.push(`(over ${r.folds.length} folds; pooled out-of-fold: accuracy ${pct(r.pooled.accuracy).trim()}, UAR ${pct(r.pooled.uar).trim()})`);
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
