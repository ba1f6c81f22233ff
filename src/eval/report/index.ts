import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmovoxError } from '../../errors.js';
import type { BundleConfig } from '../../model/bundle.js';
import type { DatasetSummary, EpochRecord, EvaluationResult, Metrics } from '../types.js';
import { runtimeVersions } from '../../runtimes.js';
import { reportCharts, type ReportInput } from './charts.js';
import { reportHtml } from './html.js';
import { renderChart } from './render.js';

export type { ReportInput } from './charts.js';
export { writeTimelineReport, timelineBandChart, type TimelineReportInput, type TimelineReportFile, type TimelineReportSegment, type TimelineReportSummary } from './timeline.js';


/**
 * Writes DIR/index.html (self-contained), each chart as DIR/<name>.svg and .png, and
 * DIR/result.json, the data it was drawn from, so `emovox report DIR/result.json`
 * redraws it without recomputing anything.
 */
export async function writeReport(input: ReportInput, dir: string): Promise<{ files: string[]; charts: string[] }> {
  await mkdir(dir, { recursive: true });
  const rendered = [];
  const files: string[] = [];
  for (const chart of reportCharts(input)) {
    const { svg, png } = await renderChart(chart.spec);
    await writeFile(join(dir, `${chart.name}.svg`), svg);
    await writeFile(join(dir, `${chart.name}.png`), png);
    files.push(`${chart.name}.svg`, `${chart.name}.png`);
    rendered.push({ ...chart, svg });
  }
  await writeFile(join(dir, 'index.html'), reportHtml(input, rendered));
  await writeFile(join(dir, 'result.json'), JSON.stringify(input, null, 1) + '\n');
  return { files: ['index.html', 'result.json', ...files], charts: rendered.map((c) => c.name) };
}

/**
 * What `emovox report` reads: a saved result (`evaluate --save`/`--json`, or a report's
 * result.json), or a model folder, whose training curves come from history.json and
 * whose scores from the cross-validation.json beside it, when there is one.
 */
export async function readReportInput(path: string): Promise<ReportInput> {
  if (!existsSync(path)) throw new EmovoxError('E_NOT_FOUND', `${path} does not exist: give a result saved with \`emovox evaluate --save FILE\` or a model folder`);
  if (existsSync(join(path, 'config.json'))) return modelReportInput(path);
  const parsed = await readJson(path);
  if (!isResult(parsed)) throw new EmovoxError('E_BAD_RESULT', `${path} is not an emovox result: save one with \`emovox evaluate --save FILE\` (or --json)`);
  return parsed;
}

async function modelReportInput(dir: string): Promise<ReportInput> {
  const config = (await readJson(join(dir, 'config.json'))) as BundleConfig;
  const history = existsSync(join(dir, 'history.json')) ? ((await readJson(join(dir, 'history.json'))) as EpochRecord[]) : [];
  const cvPath = join(dir, 'cross-validation.json');
  const cv = existsSync(cvPath) ? ((await readJson(cvPath)) as EvaluationResult) : null;
  return bundleReportInput(config, history, cv);
}

/**
 * The report of a trained model: its own training curves, and the scores of the saved
 * cross-validation of its recipe. Without one, only `validation` (the inner held-out
 * speakers, which chose the stopping epoch) can be shown, and the page says how weak it is.
 */
export function bundleReportInput(config: BundleConfig, history: EpochRecord[], cv: EvaluationResult | null, extra: { dataset?: DatasetSummary; validation?: Metrics } = {}): ReportInput {
  const training = { history, bestEpoch: config.head.bestEpoch, validationSpeakers: config.training.validationSpeakers };
  const model = config as unknown as Record<string, unknown>;
  const members = config.head.config.ensemble ?? 1;
  const heldOut = members > 1
    ? `its ${members} networks each early-stopped on a different part of the speakers (${training.validationSpeakers.length} in all), and the curves are the first network's`
    : `it early-stopped on speakers ${training.validationSpeakers.join(', ')}, whom it did not train on`;
  const trained = `The model was trained on all ${config.training.files} files (${config.training.command}); ${heldOut}.`;
  if (cv) return { ...cv, model, training, protocol: { ...cv.protocol, description: `${trained} The scores come from cross-validating the same recipe (${cv.command}): ${cv.protocol.description}` } };
  const scores = extra.validation
    ? 'The scores are on those held-out speakers only: they chose the stopping epoch and the temperature, so they lean optimistic.'
    : 'No cross-validation was saved with it, so there are no held-out scores.';
  return {
    emovoxVersion: config.emovoxVersion,
    runtimes: runtimeVersions(),
    command: config.training.command,
    createdAt: config.createdAt,
    protocol: { kind: 'train', folds: 0, seed: config.training.seed, leaky: false, description: `${trained} ${scores} Run \`emovox evaluate --save FILE\` for speaker-grouped figures, and give FILE to \`train --cross-validation\`.` },
    dataset: extra.dataset ?? { corpus: config.training.corpus, root: '', files: config.training.files, labels: config.training.labels, speakers: config.training.speakers, problems: [] },
    model,
    labels: config.labels,
    folds: [],
    pooled: extra.validation,
    training,
  };
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new EmovoxError('E_BAD_RESULT', `cannot read ${path} as JSON (${(e as Error).message}): give a result saved with \`emovox evaluate --save FILE\``);
  }
}

function isResult(v: unknown): v is ReportInput {
  const r = v as Partial<EvaluationResult> | null;
  return Boolean(r && typeof r === 'object' && Array.isArray(r.labels) && Array.isArray(r.folds) && r.protocol && r.dataset);
}
