import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { addDataOptions, headConfigFrom, loadTrainingData, restrictLabels, speakerNormalizedFeatures, type DataOptions, type TrainingData } from './training-data.js';
import { fitClassifier } from '../model/fit.js';
import { computeMetrics, summarizeFolds } from '../eval/metrics.js';
import { argmaxRows } from '../eval/crossval.js';
import type { HeadConfig } from '../model/index.js';
import { crossValidate } from '../eval/crossval.js';
import { formatEvaluation } from './format.js';
import { reportTo } from './report.js';
import { commandLine, printJsonLine, warn } from './output.js';
import { runtimeVersions } from '../runtimes.js';
import { EmovoxError } from '../errors.js';
import type { EvaluationResult, FoldResult } from '../eval/types.js';
import { VERSION } from '../version.js';

interface EvaluateOptions extends DataOptions {
  data?: string;
  trainData?: string;
  testData?: string;
  folds: string;
  protocol: string;
  speakerNormalize?: boolean;
  epochs?: string;
  save?: string;
  report?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('evaluate')
    .description('Cross-validate the training recipe on a labelled corpus, grouped by speaker: no speaker, and no copy of a performance, is ever on both sides of a split.')
    .option('--data <dir>', 'folder of labelled recordings, cross-validated')
    .option('--train-data <dir>', 'cross-corpus instead of --data: train on this corpus… (over the labels both corpora have)')
    .option('--test-data <dir>', '…and test on this one; --corpus, --csv and --speaker-regex apply to both')
    .option('--folds <k>', 'number of folds', '5')
    .option('--protocol <p>', 'grouped (by speaker, the honest default) or random (the original project\'s leaky split, for comparison only)', 'grouped')
    .option('--speaker-normalize', 'standardise features per speaker (needs several unlabelled clips of each test speaker)')
    .option('--epochs <n>', 'maximum epochs per fold (early stopping decides)')
    .option('--save <file>', 'save the full result (every fold, metric and setting) as JSON')
    .option('--report <dir>', 'write an HTML report with plots (SVG and PNG) to this folder');
  addDataOptions(cmd).action(async (opts: EvaluateOptions) => {
    const result = await evaluateCommand(opts, commandLine());
    // The report's line goes to stderr with --json too, so stdout stays one result.
    if (opts.report) await reportTo(result, opts.report);
    if (opts.json) printJsonLine(result);
    else process.stdout.write(formatEvaluation(result) + '\n');
  });
}

export async function evaluateCommand(opts: EvaluateOptions, command: string): Promise<EvaluationResult> {
  const folds = Number(opts.folds);
  const seed = Number(opts.seed);
  if (!Number.isInteger(folds) || folds < 2) throw new EmovoxError('E_USAGE', `--folds must be an integer ≥ 2, got "${opts.folds}"`);
  if (!Number.isInteger(seed)) throw new EmovoxError('E_USAGE', `--seed must be an integer, got "${opts.seed}"`);
  if (opts.protocol !== 'grouped' && opts.protocol !== 'random') throw new EmovoxError('E_USAGE', `--protocol must be grouped or random, got "${opts.protocol}"`);
  const head = headConfigFrom(opts, opts.epochs ? { maxEpochs: Number(opts.epochs) } : {});
  if (opts.trainData !== undefined || opts.testData !== undefined) {
    if (!opts.trainData || !opts.testData || opts.data) throw new EmovoxError('E_USAGE', 'give either --data DIR, or both --train-data DIR and --test-data DIR');
    return crossCorpusCommand(opts as EvaluateOptions & { trainData: string; testData: string }, command, seed, head);
  }
  if (!opts.data) throw new EmovoxError('E_USAGE', 'give --data DIR (or --train-data and --test-data for a cross-corpus evaluation)');
  const data = await loadTrainingData(opts.data, opts);
  const X = opts.speakerNormalize ? speakerNormalizedFeatures(data) : data.X;
  const protocol = opts.protocol === 'random' ? 'random' : 'grouped-kfold';
  const cv = await crossValidate({ ...data, X }, {
    folds,
    seed,
    protocol,
    head,
    onFold: (f, m) => {
      if (!opts.json) warn(`fold ${f}/${folds}: accuracy ${(100 * m.accuracy).toFixed(1)}%, UAR ${(100 * m.uar).toFixed(1)}%`);
    },
  });
  const result: EvaluationResult = {
    ...provenance(command),
    protocol: {
      kind: protocol,
      folds,
      seed,
      leaky: protocol === 'random',
      description:
        protocol === 'random'
          ? `${folds}-fold cross-validation over randomly shuffled files, ignoring speakers: the original project's protocol. LEAKY: the same speakers and copies of one performance fall on both sides.`
          : `${folds}-fold cross-validation grouped by speaker: no speaker, and no copy of a performance, is in both the training and the test side of a fold.${opts.speakerNormalize ? ' Features standardised per speaker (uses several unlabelled clips of each test speaker).' : ''}`,
    },
    dataset: data.summary,
    model: { features: data.features, featureCount: data.names.length, head, speakerNormalize: Boolean(opts.speakerNormalize) },
    labels: data.labels,
    folds: cv.folds,
    pooled: cv.pooled,
    summary: cv.summary,
    history: cv.history,
  };
  await saveResult(result, opts.save);
  return result;
}

/** What made a result: emovox and runtime versions, the command line, the time. */
function provenance(command: string): Pick<EvaluationResult, 'emovoxVersion' | 'runtimes' | 'command' | 'createdAt'> {
  return { emovoxVersion: VERSION, runtimes: runtimeVersions(), command, createdAt: new Date().toISOString() };
}

async function saveResult(result: EvaluationResult, file: string | undefined): Promise<void> {
  if (!file) return;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(result, null, 1) + '\n');
}

/**
 * Train on one corpus and test on another, over the labels they share: how well the
 * recipe carries to other speakers, sentences, languages and studios. If the two share a
 * recording (same bytes or same performance) or, within one corpus, a speaker, the result
 * is marked leaky.
 */
async function crossCorpusCommand(opts: EvaluateOptions & { trainData: string; testData: string }, command: string, seed: number, head: Partial<HeadConfig>): Promise<EvaluationResult> {
  const trainAll = await loadTrainingData(opts.trainData, opts);
  const testAll = await loadTrainingData(opts.testData, opts);
  const labels = trainAll.labels.filter((l) => testAll.labels.includes(l));
  if (labels.length < 2) {
    throw new EmovoxError('E_BAD_DATASET', `the two corpora share ${labels.length ? `only the label ${labels[0]}` : 'no label'} (train: ${trainAll.labels.join(', ')}; test: ${testAll.labels.join(', ')}): a cross-corpus test needs at least two`);
  }
  const dropped = [...new Set([...trainAll.labels, ...testAll.labels])].filter((l) => !labels.includes(l));
  if (dropped.length && !opts.json) warn(`labels not in both corpora, left out: ${dropped.join(', ')}`);
  const train = restrictLabels(trainAll, labels);
  const test = restrictLabels(testAll, labels);
  const shared = (key: (r: TrainingData['rows'][number]) => string): number => {
    const seen = new Set(train.rows.map(key));
    return test.rows.filter((r) => seen.has(key(r))).length;
  };
  const overlap = shared((r) => r.sha256) + shared((r) => r.performance) + (train.summary.corpus === test.summary.corpus ? shared((r) => r.speaker ?? `unknown:${r.path}`) : 0);
  const Xtrain = opts.speakerNormalize ? speakerNormalizedFeatures(train) : train.X;
  const Xtest = opts.speakerNormalize ? speakerNormalizedFeatures(test) : test.X;
  const fitted = await fitClassifier(Xtrain, train.y, train.groups, labels.length, { config: head, seed });
  const probs = fitted.head.predictProba(Xtest);
  const metrics = computeMetrics(test.y, argmaxRows(probs, labels.length), labels, { speakers: test.speakers, probs });
  const folds: FoldResult[] = [{ fold: 1, testSpeakers: [...new Set(test.speakers)].sort(), trainSize: train.X.rows, testSize: test.X.rows, metrics, history: fitted.history }];
  if (!opts.json) warn(`trained on ${train.X.rows} files of ${train.summary.corpus}, tested on ${test.X.rows} of ${test.summary.corpus}: accuracy ${(100 * metrics.accuracy).toFixed(1)}%, UAR ${(100 * metrics.uar).toFixed(1)}%`);
  const result: EvaluationResult = {
    ...provenance(command),
    protocol: {
      kind: 'cross-corpus',
      folds: 1,
      seed,
      leaky: overlap > 0,
      description: `cross-corpus: trained on ${opts.trainData} (${train.summary.corpus}), tested on ${opts.testData} (${test.summary.corpus}), over the ${labels.length} labels both have.${overlap > 0 ? ' LEAKY: the two share recordings, performances or speakers.' : ''}${opts.speakerNormalize ? ' Features standardised per speaker.' : ''}`,
    },
    dataset: test.summary,
    trainDataset: train.summary,
    model: { features: train.features, featureCount: train.names.length, head, speakerNormalize: Boolean(opts.speakerNormalize) },
    labels,
    folds,
    pooled: metrics,
    summary: summarizeFolds(folds),
    history: fitted.history,
  };
  await saveResult(result, opts.save);
  return result;
}
