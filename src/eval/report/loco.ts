import type { EvaluationResult } from '../types.js';

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

/**
 * The report's leave-one-corpus-out section: a row per held-out corpus (UAR, accuracy,
 * what it was trained on), the spread over them, and each held-out corpus's confusion
 * matrix over the labels it has (rows) and those its model could answer (columns), with
 * the diagonal shaded. Empty for any other protocol.
 */
export function leaveOneCorpusOutSection(r: EvaluationResult): string {
  if (r.protocol.kind !== 'leave-one-corpus-out') return '';
  const folds = r.folds.filter((f) => f.heldOut);
  const rows = folds
    .map((f) => {
      const h = f.heldOut!;
      return `<tr><td>${esc(h.corpus)}</td><td>${esc(h.trainCorpora.join(', '))}</td><td>${f.testSize}${h.leftOut ? ` (+${h.leftOut} left out)` : ''}</td><td>${esc(h.labels.join(', '))}</td><td>${pct(f.metrics.uar)}</td><td>${pct(f.metrics.accuracy)}</td><td>${pct(f.metrics.macroF1)}</td><td>${pct(1 / h.labels.length)}</td></tr>`;
    })
    .join('\n');
  const s = r.summary;
  const spread = s
    ? `<p>Spread over the ${folds.length} held-out corpora: UAR mean <b>${pct(s.uar.mean)}</b> (min ${pct(s.uar.min)}, max ${pct(s.uar.max)}); accuracy mean ${pct(s.accuracy.mean)} (min ${pct(s.accuracy.min)}, max ${pct(s.accuracy.max)}). The plots below pool the clips of all held-out corpora.</p>`
    : '';
  const matrices = folds
    .map((f) => {
      const h = f.heldOut!;
      const cols = h.modelLabels.map((l) => r.labels.indexOf(l));
      const body = h.labels
        .map((l) => {
          const row = f.metrics.confusion[r.labels.indexOf(l)];
          const total = cols.reduce((a, j) => a + row[j], 0) || 1;
          const cells = cols.map((j, c) => {
            const share = row[j] / total;
            const colour = h.modelLabels[c] === l ? `rgba(0,114,178,${share.toFixed(2)})` : `rgba(230,159,0,${share.toFixed(2)})`;
            return `<td style="background:${colour}">${row[j]}</td>`;
          });
          return `<tr><th>${esc(l)}</th>${cells.join('')}</tr>`;
        })
        .join('');
      return `<h3>${esc(h.corpus)} held out</h3>
<p class="muted">Trained on ${esc(h.trainCorpora.join(', '))}; ${f.testSize} clips; rows: true label, columns: predicted. UAR ${pct(f.metrics.uar)}, accuracy ${pct(f.metrics.accuracy)}.</p>
<table><tr><th>true \\ predicted</th>${h.modelLabels.map((l) => `<th>${esc(l)}</th>`).join('')}</tr>${body}</table>`;
    })
    .join('\n');
  return `<h2 id="leave-one-corpus-out">Leave one corpus out</h2>
<table><tr><th>held out</th><th>trained on</th><th>clips</th><th>labels scored</th><th>UAR</th><th>accuracy</th><th>macro-F1</th><th>chance</th></tr>
${rows}</table>
${spread}
${matrices}`;
}
