import type { EvaluationResult } from '../eval/types.js';
import { table } from './format.js';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/**
 * The text of a leave-one-corpus-out result: one row per held-out corpus, the spread over
 * them, then each held-out corpus's confusion matrix over the labels it has (rows) and
 * the labels its model could answer (columns).
 */
export function formatLeaveOneCorpusOut(r: EvaluationResult): string {
  const out: string[] = [`Protocol: ${r.protocol.description}`];
  if (r.protocol.leaky) out.push('WARNING: this result is leaky: some held-out clips are copies of training recordings.');
  out.push(`Data: ${r.dataset.files} files, ${Object.keys(r.dataset.speakers).length} speakers, corpora ${r.dataset.corpus}`, '');
  out.push(
    table(
      ['held out', 'trained on', 'clips', 'labels', 'accuracy', 'UAR', 'macro-F1'],
      r.folds.map((f) => [f.heldOut?.corpus ?? `fold ${f.fold}`, f.heldOut?.trainCorpora.join('+') ?? '', f.testSize, f.heldOut?.labels.length ?? '', pct(f.metrics.accuracy), pct(f.metrics.uar), pct(f.metrics.macroF1)]),
    ),
  );
  if (r.summary) {
    const s = r.summary;
    out.push('', `Spread over ${r.folds.length} held-out corpora: UAR mean ${pct(s.uar.mean)} (min ${pct(s.uar.min)}, max ${pct(s.uar.max)}), accuracy mean ${pct(s.accuracy.mean)} (min ${pct(s.accuracy.min)}, max ${pct(s.accuracy.max)})`);
  }
  for (const f of r.folds) {
    const h = f.heldOut;
    if (!h) continue;
    const rows = h.labels.map((l) => r.labels.indexOf(l));
    const cols = h.modelLabels.map((l) => r.labels.indexOf(l));
    const confusion = rows.map((i) => cols.map((j) => f.metrics.confusion[i][j]));
    out.push('', `${h.corpus} held out (trained on ${h.trainCorpora.join(', ')}; ${f.testSize} clips${h.leftOut ? `, ${h.leftOut} more left out: their label is not in the training data` : ''}). Confusion (rows: true, columns: predicted):`);
    out.push(table(['true \\ predicted', ...h.modelLabels.map((l) => l.slice(0, 5))], confusion.map((row, i) => [h.labels[i], ...row])));
  }
  return out.join('\n');
}
