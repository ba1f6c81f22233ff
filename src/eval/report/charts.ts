import type { TopLevelSpec } from 'vega-lite';
import type { EpochRecord, EvaluationResult, Metrics } from '../types.js';

/** One plot of a report: its file name (without extension), a caption, and a Vega-Lite spec. */
export interface Chart {
  name: string;
  title: string;
  caption: string;
  spec: TopLevelSpec;
}

/** What a report draws: an evaluation result, and for a trained model its own training curves. */
export interface ReportInput extends EvaluationResult {
  training?: { history: EpochRecord[]; bestEpoch: number; validationSpeakers: string[] };
}

// Fonts present wherever Chromium is (Debian pulls DejaVu and Liberation with it); resvg
// and the browser both fall back to the next family.
const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const CONFIG = { font: FONT, view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, titleFontSize: 12 } };
// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
const TWO = ['#0072B2', '#E69F00'];
const THREE = ['#0072B2', '#E69F00', '#009E73'];

const pct = (v: number) => Math.round(1000 * v) / 10;

/** Every plot the result has data for, in the order the page shows them. */
export function reportCharts(r: ReportInput): Chart[] {
  const charts: Chart[] = [];
  const curves = trainingCurves(r);
  if (curves) charts.push(curves);
  if (r.pooled) {
    charts.push(confusionMatrix(r.pooled, r.labels), perClassScores(r.pooled), perSpeakerAccuracy(r.pooled, r.labels.length));
  }
  if (r.folds.length > 0) charts.push(foldSpread(r));
  if (r.pooled?.reliability) charts.push(reliabilityDiagram(r.pooled));
  return charts;
}

function trainingCurves(r: ReportInput): Chart | null {
  const runs: { run: string; history: EpochRecord[] }[] = r.training
    ? [{ run: 'model', history: r.training.history }]
    : r.folds.filter((f) => f.history?.length).map((f) => ({ run: `fold ${f.fold}`, history: f.history as EpochRecord[] }));
  if (runs.length === 0) return null;
  const values = runs.flatMap(({ run, history }) =>
    history.flatMap((e) => [
      { run, epoch: e.epoch, metric: 'loss', split: 'train', value: e.loss },
      { run, epoch: e.epoch, metric: 'accuracy', split: 'train', value: e.accuracy },
      ...(e.valLoss === undefined ? [] : [{ run, epoch: e.epoch, metric: 'loss', split: 'validation', value: e.valLoss }]),
      ...(e.valAccuracy === undefined ? [] : [{ run, epoch: e.epoch, metric: 'accuracy', split: 'validation', value: e.valAccuracy }]),
    ]),
  );
  const who = r.training ? 'the model (its first ensemble member)' : `each fold's first ensemble member (${runs.length} lines per colour)`;
  return {
    name: 'training-curves',
    title: 'Loss and accuracy per epoch',
    caption: `Training against validation for ${who}. Validation is speakers held out inside the training side, which early stopping watches; the best epoch's weights are kept.`,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      data: { values },
      facet: { column: { field: 'metric', type: 'nominal', sort: ['loss', 'accuracy'], title: null, header: { labelFontSize: 13 } } },
      spec: {
        width: 300,
        height: 220,
        mark: { type: 'line', strokeWidth: 1.5, opacity: 0.85 },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
          y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
          color: { field: 'split', type: 'nominal', title: 'split', scale: { domain: ['train', 'validation'], range: TWO } },
          detail: { field: 'run', type: 'nominal' },
        },
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
}

function confusionMatrix(m: Metrics, labels: string[]): Chart {
  const values = m.confusion.flatMap((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count, p) => {
      const share = total ? count / total : 0;
      return { true: labels[t], predicted: labels[p], count, share, percent: `${pct(share)}%` };
    });
  });
  const axis = { labelAngle: 0, labelFontSize: 11 };
  return {
    name: 'confusion-matrix',
    title: 'Confusion matrix',
    caption: 'Rows are the true emotion, columns the predicted one. Each cell gives the count of files and, below it, the share of its row (the recall on the diagonal); the colour follows that share.',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      data: { values },
      width: 60 * labels.length,
      height: 44 * labels.length,
      encoding: {
        x: { field: 'predicted', type: 'ordinal', sort: labels, title: 'predicted emotion', axis: { ...axis, orient: 'top', labelAngle: -30, labelAlign: 'left' } },
        y: { field: 'true', type: 'ordinal', sort: labels, title: 'true emotion', axis },
      },
      layer: [
        {
          mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
          encoding: { color: { field: 'share', type: 'quantitative', title: 'share of row', scale: { scheme: 'blues', domain: [0, 1] }, legend: { format: '.0%' } } },
        },
        {
          mark: { type: 'text', dy: -7, fontSize: 12, fontWeight: 'bold' },
          encoding: { text: { field: 'count', type: 'quantitative' }, color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: 'black' } },
        },
        {
          mark: { type: 'text', dy: 8, fontSize: 10 },
          encoding: { text: { field: 'percent', type: 'nominal' }, color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: '#333' } },
        },
      ],
    },
  };
}

function perClassScores(m: Metrics): Chart {
  const values = m.perClass.flatMap((c) => [
    { label: c.label, score: 'precision', value: c.precision, support: c.support },
    { label: c.label, score: 'recall', value: c.recall, support: c.support },
    { label: c.label, score: 'F1', value: c.f1, support: c.support },
  ]);
  return {
    name: 'per-class',
    title: 'Precision, recall and F1 per emotion',
    caption: 'Over all held-out files, pooled across folds.',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      data: { values },
      width: 70 * m.perClass.length,
      height: 220,
      mark: 'bar',
      encoding: {
        x: { field: 'label', type: 'nominal', sort: m.perClass.map((c) => c.label), title: 'emotion', axis: { labelAngle: -30 } },
        xOffset: { field: 'score', type: 'nominal', sort: ['precision', 'recall', 'F1'] },
        y: { field: 'value', type: 'quantitative', title: 'score', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
        color: { field: 'score', type: 'nominal', sort: ['precision', 'recall', 'F1'], title: null, scale: { range: THREE } },
        tooltip: [{ field: 'label' }, { field: 'score' }, { field: 'value', format: '.3f' }, { field: 'support' }],
      },
    },
  };
}

function perSpeakerAccuracy(m: Metrics, classes: number): Chart {
  const values = m.perSpeaker.map((s) => ({ speaker: s.speaker, accuracy: s.accuracy, n: s.n }));
  return {
    name: 'per-speaker',
    title: 'Accuracy per speaker',
    caption: `Each speaker was in a test fold, never in the training side of it. The dashed line is chance (1 in ${classes}); the solid one the accuracy over all files.`,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: { step: Math.max(16, Math.min(40, Math.floor(600 / Math.max(1, values.length)))) },
      height: 200,
      layer: [
        {
          data: { values },
          mark: { type: 'bar', color: TWO[0] },
          encoding: {
            x: { field: 'speaker', type: 'nominal', sort: values.map((v) => v.speaker), title: 'speaker', axis: { labelAngle: values.length > 12 ? -90 : 0 } },
            y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
            tooltip: [{ field: 'speaker' }, { field: 'accuracy', format: '.3f' }, { field: 'n', title: 'files' }],
          },
        },
        { data: { values: [{ y: 1 / classes }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
        { data: { values: [{ y: m.accuracy }] }, mark: { type: 'rule', color: TWO[1], strokeWidth: 2 }, encoding: { y: { field: 'y', type: 'quantitative' } } },
      ],
    },
  };
}

function foldSpread(r: ReportInput): Chart {
  const scores = ['accuracy', 'UAR', 'macro-F1'];
  const values = r.folds.flatMap((f) => [
    { fold: `fold ${f.fold}`, score: 'accuracy', value: f.metrics.accuracy },
    { fold: `fold ${f.fold}`, score: 'UAR', value: f.metrics.uar },
    { fold: `fold ${f.fold}`, score: 'macro-F1', value: f.metrics.macroF1 },
  ]);
  return {
    name: 'fold-spread',
    title: 'Spread over folds',
    caption: 'One dot per fold; the bar spans the mean ± one standard deviation, the tick is the mean.',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      data: { values },
      width: 360,
      height: 140,
      encoding: { y: { field: 'score', type: 'nominal', sort: scores, title: null } },
      layer: [
        {
          mark: { type: 'errorbar', extent: 'stdev', ticks: true, color: '#555' },
          encoding: { x: { field: 'value', type: 'quantitative', title: 'score', scale: { zero: false, padding: 12 }, axis: { format: '.0%' } } },
        },
        { mark: { type: 'tick', color: TWO[1], thickness: 2 }, encoding: { x: { aggregate: 'mean', field: 'value', type: 'quantitative' } } },
        {
          mark: { type: 'point', filled: true, size: 60, opacity: 0.8, color: TWO[0] },
          encoding: { x: { field: 'value', type: 'quantitative' }, tooltip: [{ field: 'fold' }, { field: 'score' }, { field: 'value', format: '.3f' }] },
        },
      ],
    },
  };
}

function reliabilityDiagram(m: Metrics): Chart {
  const bins = (m.reliability ?? []).filter((b) => b.count > 0).map((b) => ({ ...b, mid: (b.lo + b.hi) / 2 }));
  return {
    name: 'reliability',
    title: 'Reliability: confidence against accuracy',
    caption: `Held-out files binned by the score of the predicted emotion. A calibrated model sits on the diagonal: its 0.8 is right 80% of the time. Dots are sized by the number of files in the bin; the expected calibration error is ${m.ece === undefined ? 'not known' : `${pct(m.ece)}%`}.`,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: 280,
      height: 280,
      layer: [
        { data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, mark: { type: 'line', strokeDash: [4, 3], color: '#777' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
        {
          data: { values: bins },
          mark: { type: 'line', point: false, color: TWO[0] },
          encoding: { x: { field: 'confidence', type: 'quantitative' }, y: { field: 'accuracy', type: 'quantitative' } },
        },
        {
          data: { values: bins },
          mark: { type: 'point', filled: true, color: TWO[0] },
          encoding: {
            x: { field: 'confidence', type: 'quantitative', title: 'mean confidence in the bin', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
            y: { field: 'accuracy', type: 'quantitative', title: 'accuracy in the bin', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
            size: { field: 'count', type: 'quantitative', title: 'files' },
            tooltip: [{ field: 'lo', format: '.2f' }, { field: 'hi', format: '.2f' }, { field: 'count' }, { field: 'confidence', format: '.3f' }, { field: 'accuracy', format: '.3f' }],
          },
        },
      ],
    },
  };
}
