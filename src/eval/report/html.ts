import type { DatasetSummary, Spread } from '../types.js';
import type { Chart, ReportInput } from './charts.js';
import { leaveOneCorpusOutSection } from './loco.js';

export interface RenderedChart extends Chart {
  svg: string;
}

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (v: number | undefined): string => (v === undefined ? '–' : `${(100 * v).toFixed(1)}%`);
const spreadText = (s: Spread | undefined): string => (s ? `${(100 * s.mean).toFixed(1)} ± ${(100 * s.std).toFixed(1)}%` : '–');

const STYLE = `
body { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
.muted { color: #666; font-size: 0.9rem; }
.protocol { background: #eef5fb; border-left: 4px solid #0072B2; padding: 0.6rem 1rem; }
.leaky { background: #fdecea; border-left: 4px solid #c0392b; padding: 0.6rem 1rem; font-weight: bold; color: #922; }
.numbers { display: flex; gap: 1rem; flex-wrap: wrap; } .numbers div { background: #f6f6f6; padding: 0.6rem 1rem; border-radius: 6px; min-width: 9rem; }
.numbers b { display: block; font-size: 1.3rem; }
figure { margin: 1.5rem 0; } figure img { max-width: 100%; height: auto; } figcaption { font-size: 0.9rem; color: #444; max-width: 800px; }
table { border-collapse: collapse; font-size: 0.9rem; } td, th { border: 1px solid #ddd; padding: 0.2rem 0.6rem; text-align: right; } th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
pre { background: #f6f6f6; padding: 0.8rem; overflow-x: auto; font-size: 0.8rem; }
`;

/**
 * The report page: one HTML file with every chart inline (as SVG data URIs, so that the
 * ids vega gives clip paths cannot clash between charts) and no script or network use.
 */
export function reportHtml(r: ReportInput, charts: RenderedChart[]): string {
  const isModel = Boolean(r.training);
  const title = isModel ? 'emovox model report' : 'emovox evaluation report';
  const figures = charts
    .map(
      (c) => `<figure id="${esc(c.name)}">
<h3>${esc(c.title)}</h3>
<img alt="${esc(c.title)}" src="data:image/svg+xml;base64,${Buffer.from(c.svg).toString('base64')}">
<figcaption>${esc(c.caption)} Files: <a href="${esc(c.name)}.svg">${esc(c.name)}.svg</a>, <a href="${esc(c.name)}.png">${esc(c.name)}.png</a>.</figcaption>
</figure>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="muted">Made ${esc(r.createdAt)} by emovox ${esc(r.emovoxVersion)}.</p>
${r.protocol.leaky ? `<p class="leaky">LEAKY protocol: the same speakers or copies of one performance are on both sides of a split. These figures overstate how emovox does on a new voice; do not compare them with speaker-grouped ones.</p>` : ''}
<h2>Protocol</h2>
<p class="protocol">${esc(r.protocol.description)}</p>
${headline(r)}
${leaveOneCorpusOutSection(r)}
<h2>Plots</h2>
${figures || '<p>No plots: the result holds no scores.</p>'}
<h2>Data</h2>
${r.trainDataset ? `<h3>Trained on</h3>${datasetSection(r.trainDataset)}<h3>Tested on</h3>` : ''}
${datasetSection(r.dataset)}
<h2>Model configuration</h2>
<pre>${esc(JSON.stringify(r.model, null, 2))}</pre>
<h2>Command and versions</h2>
<pre>${esc(r.command)}</pre>
<table><tr><th>runtime</th><th>version</th></tr>${Object.entries(r.runtimes)
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`)
    .join('')}</table>
</body>
</html>
`;
}

function headline(r: ReportInput): string {
  const s = r.summary;
  const p = r.pooled;
  if (!p) return '';
  const cell = (name: string, value: string, note: string) => `<div>${esc(name)}<b>${esc(value)}</b><span class="muted">${esc(note)}</span></div>`;
  const perFold = s && r.folds.length > 1;
  const over = r.protocol.kind === 'leave-one-corpus-out' ? 'held-out corpora' : 'folds';
  const note = perFold ? `mean ± sd over ${r.folds.length} ${over}` : `${p.n} files`;
  return `<div class="numbers">
${cell('accuracy', perFold ? spreadText(s.accuracy) : pct(p.accuracy), note)}
${cell('UAR', perFold ? spreadText(s.uar) : pct(p.uar), note)}
${cell('macro-F1', perFold ? spreadText(s.macroF1) : pct(p.macroF1), note)}
${cell('ECE', perFold && s.ece ? spreadText(s.ece) : pct(p.ece), 'calibration error')}
${cell('chance', pct(1 / r.labels.length), `${r.labels.length} classes`)}
</div>`;
}

function datasetSection(d: DatasetSummary): string {
  const table = (head: string, counts: Record<string, number>) =>
    `<table><tr><th>${esc(head)}</th><th>files</th></tr>${Object.entries(counts)
      .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v}</td></tr>`)
      .join('')}</table>`;
  const problems = d.problems.length
    ? `<ul>${d.problems.map((p) => `<li><code>${esc(p.code)}</code> ${esc(p.message)} (${p.files.length} file${p.files.length === 1 ? '' : 's'}${p.files.length ? `: ${esc(p.files.slice(0, 3).join(', '))}${p.files.length > 3 ? ', …' : ''}` : ''})</li>`).join('')}</ul>`
    : '<p>The scan found no problems.</p>';
  return `<p>${esc(d.files)} files of corpus <b>${esc(d.corpus)}</b> in <code>${esc(d.root)}</code>, ${Object.keys(d.speakers).length} speakers.</p>
<div class="numbers">${table('emotion', d.labels)}${table('speaker', d.speakers)}</div>
<h3>Problems the scan found</h3>
${problems}`;
}
