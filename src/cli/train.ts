import type { Command } from 'commander';
import { addDataOptions, headConfigFrom, loadTrainingData, speakerNormalizedFeatures, type DataOptions } from './training-data.js';
import { fitClassifier } from '../model/fit.js';
import { saveBundle, BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, type BundleConfig } from '../model/bundle.js';
import { modelCard } from '../model/model-card.js';
import { computeMetrics } from '../eval/metrics.js';
import { argmaxRows } from '../eval/crossval.js';
import { commandLine, printJsonLine, warn } from './output.js';
import { EmovoxError } from '../errors.js';
import { SAMPLE_RATE } from '../types.js';
import { VERSION } from '../version.js';
import type { EvaluationResult } from '../eval/types.js';
import { readFile } from 'node:fs/promises';
import { reportTo } from './report.js';

interface TrainOptions extends DataOptions {
  data: string;
  out: string;
  epochs?: string;
  crossValidation?: string;
  speakerNormalize?: boolean;
  report?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('train')
    .description('Train a model bundle on a labelled corpus: features, a standardiser + MLP head early-stopped on held-out speakers, calibrated scores. Writes config.json, head.json, history.json and MODEL_CARD.md.')
    .requiredOption('--data <dir>', 'folder of labelled recordings')
    .requiredOption('--out <dir>', 'folder to write the model bundle to')
    .option('--epochs <n>', 'maximum epochs (early stopping on held-out speakers decides)')
    .option('--cross-validation <file>', 'a saved `emovox evaluate --save` result of this recipe, quoted in the model card and drawn in the report')
    .option('--report <dir>', 'write an HTML report with plots (SVG and PNG) to this folder: training curves, and the scores of --cross-validation if given')
    .option('--speaker-normalize', 'standardise features per speaker before training; the model then predicts only with `predict --speaker-normalize`, on several clips of each speaker');
  addDataOptions(cmd).action(async (opts: TrainOptions) => {
    const summary = await trainCommand(opts, commandLine());
    if (opts.json) printJsonLine(summary);
  });
}

export async function trainCommand(opts: TrainOptions, command: string): Promise<Record<string, unknown>> {
  const seed = Number(opts.seed);
  if (!Number.isInteger(seed)) throw new EmovoxError('E_USAGE', `--seed must be an integer, got "${opts.seed}"`);
  const data = await loadTrainingData(opts.data, opts);
  if (data.labels.length < 2) throw new EmovoxError('E_BAD_DATASET', `only one label (${data.labels.join('')}) in ${opts.data}: a classifier needs at least two`);
  const head = headConfigFrom(opts, opts.epochs ? { maxEpochs: Number(opts.epochs) } : {});
  const X = opts.speakerNormalize ? speakerNormalizedFeatures(data) : data.X;
  const fitted = await fitClassifier(X, data.y, data.groups, data.labels.length, {
    config: head,
    seed,
    onEpoch: (r, member, members) => {
      if (!opts.json) {
        warn(`${members > 1 ? `member ${member}/${members}  ` : ''}epoch ${String(r.epoch).padStart(3)}  loss ${r.loss.toFixed(4)}  acc ${(100 * r.accuracy).toFixed(1)}%  val_loss ${r.valLoss?.toFixed(4) ?? '-'}  val_acc ${r.valAccuracy === undefined ? '-' : (100 * r.valAccuracy).toFixed(1) + '%'}`);
      }
    },
  });
  const valY = Int32Array.from(fitted.validation, (i) => data.y[i]);
  const valSpeakers = Array.from(fitted.validation, (i) => data.speakers[i]);
  const valMetrics = computeMetrics(valY, argmaxRows(fitted.validationProbs, data.labels.length), data.labels, { speakers: valSpeakers, probs: fitted.validationProbs });
  const cvResult = opts.crossValidation ? (JSON.parse(await readFile(opts.crossValidation, 'utf8')) as EvaluationResult) : undefined;
  const cv = cvResult && crossValidationSummary(cvResult);
  const config: BundleConfig = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    emovoxVersion: VERSION,
    createdAt: new Date().toISOString(),
    sampleRate: SAMPLE_RATE,
    features: data.features,
    ...(opts.speakerNormalize ? { speakerNormalize: true } : {}),
    featureNames: data.names,
    labels: data.labels,
    head: { file: 'head.json', config: fitted.head.config, temperature: fitted.head.temperature, bestEpoch: fitted.bestEpoch },
    training: {
      corpus: data.summary.corpus,
      files: data.summary.files,
      labels: data.summary.labels,
      speakers: data.summary.speakers,
      seed,
      command,
      validationSpeakers: [...new Set(valSpeakers)].sort(),
      validation: { accuracy: valMetrics.accuracy, uar: valMetrics.uar, ece: valMetrics.ece },
    },
    ...(cv ? { crossValidation: cv } : {}),
  };
  await saveBundle(opts.out, { config, head: fitted.head }, { history: fitted.history, modelCard: modelCard(config) });
  if (opts.report) await reportTo((await import('../eval/report/index.js')).bundleReportInput(config, fitted.history, cvResult ?? null, { dataset: data.summary, validation: valMetrics }), opts.report);
  if (!opts.json) {
    warn(`model written to ${opts.out}: config.json, head.json, history.json, MODEL_CARD.md`);
    warn(`held-out speakers ${config.training.validationSpeakers.join(', ')}: accuracy ${(100 * valMetrics.accuracy).toFixed(1)}%, UAR ${(100 * valMetrics.uar).toFixed(1)}%`);
  }
  return { out: opts.out, files: data.summary.files, labels: data.labels, bestEpoch: fitted.bestEpoch, temperature: fitted.head.temperature, validation: config.training.validation, validationSpeakers: config.training.validationSpeakers };
}

function crossValidationSummary(r: EvaluationResult): Record<string, unknown> {
  return { command: r.command, protocol: r.protocol.description, ...r.summary, pooled: r.pooled ? { accuracy: r.pooled.accuracy, uar: r.pooled.uar, macroF1: r.pooled.macroF1, confusion: r.pooled.confusion } : undefined };
}
