/**
 * The timeline page of the HTML report (`emovox timeline FILE --report DIR`): for each
 * file, the emotion over time as a band chart, the summary (share of speech time per
 * emotion) and the segment table, on one self-contained page. The shapes below are those
 * of the timeline's segments and summary (src/timeline/), restated here because the
 * report sits in a lower layer than the timeline.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { VERSION } from '../../version.js';

export interface TimelineReportSegment {
  start: number;
  end: number;
  label: string;
  score: number;
  uncertain: boolean;
}

export interface TimelineReportSummary {
  durationSec: number;
  speechSec: number;
  segments: number;
  noSpeech: boolean;
  emotions: { label: string; seconds: number; share: number }[];
}

/** One file of the page; `error` when its stream stopped short (its segments are those decoded before). */
export interface TimelineReportFile {
  file: string;
  segments: TimelineReportSegment[];
  summary: TimelineReportSummary;
  error?: { code: string; message: string };
}

export interface TimelineReportInput {
  /** The model's labels, in its order: each emotion keeps one colour and one lane on every chart. */
  labels: string[];
  files: TimelineReportFile[];
  /** The command line, shown on the page. */
  command?: string;
}

const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const CONFIG = { font: FONT, view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, titleFontSize: 12 } };
// Okabe–Ito's eight colours (distinguishable with the common colour-vision deficiencies);
// each emotion also has its own lane, so the colour is never the only cue.
const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

/**
 * The band chart of one file: a lane per emotion, a bar over each segment's time in its
 * label's lane, paler the lower its score (uncertain segments are outlined only).
 * @example
 * const spec = timelineBandChart(['neutral', 'happy'], [{ start: 1, end: 2.5, label: 'happy', score: 0.8, uncertain: false }], 4);
 */
export function timelineBandChart(labels: string[], segments: TimelineReportSegment[], durationSec: number): TopLevelSpec {
  const values = segments.map((s) => ({ ...s, certainty: s.uncertain ? 'uncertain' : 'certain' }));
  const range = labels.map((_, i) => OKABE_ITO[i % OKABE_ITO.length]);
  return {
    $schema: SCHEMA,
    config: CONFIG,
    data: { values },
    width: 900,
    height: { step: 22 },
    mark: { type: 'bar', cornerRadius: 2, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'start', type: 'quantitative', title: 'time (s)', scale: { domain: [0, Math.max(durationSec, 1)], nice: false } },
      x2: { field: 'end' },
      y: { field: 'label', type: 'nominal', sort: labels, scale: { domain: labels }, title: null },
      color: { field: 'label', type: 'nominal', scale: { domain: labels, range }, legend: null },
      stroke: { field: 'label', type: 'nominal', scale: { domain: labels, range }, legend: null },
      fillOpacity: {
        condition: { test: 'datum.uncertain', value: 0 },
        field: 'score',
        type: 'quantitative',
        scale: { domain: [0, 1], range: [0.15, 1] },
        title: 'score',
      },
      tooltip: [{ field: 'start', title: 'start s', format: '.2f' }, { field: 'end', title: 'end s', format: '.2f' }, { field: 'label' }, { field: 'score', format: '.2f' }, { field: 'certainty' }],
    },
  } as TopLevelSpec;
}

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
body { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
.muted { color: #666; font-size: 0.9rem; } .error { background: #fdecea; border-left: 4px solid #c0392b; padding: 0.6rem 1rem; color: #922; }
figure { margin: 1.2rem 0; } figure img { max-width: 100%; height: auto; } figcaption { font-size: 0.9rem; color: #444; max-width: 800px; }
table { border-collapse: collapse; font-size: 0.9rem; margin: 0.6rem 0; } td, th { border: 1px solid #ddd; padding: 0.2rem 0.6rem; text-align: right; } th { background: #f3f3f3; } td.label, th.label { text-align: left; }
pre { background: #f6f6f6; padding: 0.8rem; overflow-x: auto; font-size: 0.8rem; }
`;

/** A chart's file name for the n-th file (from 1): timeline-1.svg, timeline-2.svg … */
export const timelineChartName = (n: number): string => `timeline-${n}`;

/**
 * The page: one section per file (its chart inline as an SVG data URI, so vega's clip-path
 * ids cannot clash between charts), no script and no network use.
 * @example
 * const html = timelineReportHtml(input, input.files.map((f) => svgOf(f)));
 */
export function timelineReportHtml(input: TimelineReportInput, svgs: (string | null)[]): string {
  const sections = input.files.map((f, i) => fileSection(f, i + 1, svgs[i] ?? null)).join('\n');
  const toc = input.files.length > 1 ? `<ol>${input.files.map((f, i) => `<li><a href="#file-${i + 1}">${esc(f.file)}</a></li>`).join('')}</ol>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>emovox timeline</title>
<style>${STYLE}</style>
</head>
<body>
<h1>emovox timeline</h1>
<p class="muted">Made ${esc(new Date().toISOString())} by emovox ${esc(VERSION)}${input.command ? ` with <code>${esc(input.command)}</code>` : ''}. Each segment is a stretch of speech found by Silero VAD, labelled by the model with context on each side; times are seconds from the start of the input.</p>
${toc}
${sections}
</body>
</html>
`;
}

function fileSection(f: TimelineReportFile, n: number, svg: string | null): string {
  const s = f.summary;
  const name = timelineChartName(n);
  const chart = svg
    ? `<figure id="${name}">
<img alt="the emotion over time in ${esc(f.file)}" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}">
<figcaption>The emotion over time: one lane per emotion, a bar over each segment in its label's lane, paler the lower its score; an uncertain segment is outlined only. Files: <a href="${name}.svg">${name}.svg</a>, <a href="${name}.png">${name}.png</a>.</figcaption>
</figure>`
    : '';
  const summary = s.noSpeech
    ? `<p>No speech found in ${s.durationSec.toFixed(1)} s of audio: the timeline is empty.</p>`
    : `<p>Speech ${s.speechSec.toFixed(1)} s of ${s.durationSec.toFixed(1)} s in ${s.segments} segments.</p>
<table class="summary"><tr><th class="label">emotion</th><th>speech s</th><th>share of speech time</th></tr>${s.emotions
        .map((e) => `<tr><td class="label">${esc(e.label)}</td><td>${e.seconds.toFixed(2)}</td><td>${(100 * e.share).toFixed(1)}%</td></tr>`)
        .join('')}</table>`;
  const rows = f.segments
    .map((seg, i) => `<tr class="segment"><td>${i + 1}</td><td>${seg.start.toFixed(3)}</td><td>${seg.end.toFixed(3)}</td><td class="label">${esc(seg.label)}</td><td>${seg.score.toFixed(3)}</td><td class="label">${seg.uncertain ? 'uncertain' : ''}</td></tr>`)
    .join('\n');
  const table = f.segments.length
    ? `<h3>Segments</h3>
<table class="segments"><tr><th>#</th><th>start s</th><th>end s</th><th class="label">emotion</th><th>score</th><th class="label"></th></tr>
${rows}
</table>`
    : '';
  const error = f.error ? `<p class="error">${esc(f.error.code)}: ${esc(f.error.message)} The segments below are those decoded before it.</p>` : '';
  return `<section id="file-${n}">
<h2>${esc(f.file)}</h2>
${error}
${chart}
<h3>Summary</h3>
${summary}
${table}
</section>`;
}

/**
 * Writes DIR/index.html (self-contained, one section per file), each file's band chart as
 * DIR/timeline-N.svg and .png (N from 1, in the order given; none for a file without
 * segments), and DIR/timeline.json, the data it was drawn from.
 * @example
 * const segments = []; const run = timeline(rec, 'call.wav');
 * for await (const s of run) segments.push(s);
 * await writeTimelineReport({ labels: rec.labels, files: [{ file: 'call.wav', segments, summary: summarizeTimeline(segments, run.durationSec) }] }, 'report/');
 */
export async function writeTimelineReport(input: TimelineReportInput, dir: string): Promise<{ files: string[]; charts: string[] }> {
  // Loaded on use: vega, vega-lite and resvg would add to the start-up of every importer.
  const { renderChart } = await import('./render.js');
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  const charts: string[] = [];
  const svgs: (string | null)[] = [];
  for (const [i, f] of input.files.entries()) {
    if (f.segments.length === 0) {
      svgs.push(null);
      continue;
    }
    const name = timelineChartName(i + 1);
    const { svg, png } = await renderChart(timelineBandChart(input.labels, f.segments, f.summary.durationSec));
    await writeFile(join(dir, `${name}.svg`), svg);
    await writeFile(join(dir, `${name}.png`), png);
    files.push(`${name}.svg`, `${name}.png`);
    charts.push(name);
    svgs.push(svg);
  }
  await writeFile(join(dir, 'index.html'), timelineReportHtml(input, svgs));
  await writeFile(join(dir, 'timeline.json'), JSON.stringify(input, null, 1) + '\n');
  return { files: ['index.html', 'timeline.json', ...files], charts };
}
