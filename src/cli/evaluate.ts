import type { Command } from 'commander';
import { addDataOptions, headConfigFrom, loadTrainingData, speakerNormalizedFeatures, type DataOptions } from './training-data.js';
import { crossValidate } from '../eval/crossval.js';
import { formatEvaluation } from './format.js';
import { commandLine, printJsonLine, warn } from './output.js';
import { runtimeVersions } from '../runtimes.js';
import { EmovoxError } from '../errors.js';
import type { EvaluationResult } from '../eval/types.js';
import { VERSION } from '../version.js';

interface EvaluateOptions extends DataOptions {
  data: string;
  folds: string;
  protocol: string;
  speakerNormalize?: boolean;
  epochs?: string;
  save?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('evaluate')
    .description('Cross-validate the training recipe on a labelled corpus, grouped by speaker: no speaker, and no copy of a performance, is ever on both sides of a split.')
    .requiredOption('--data <dir>', 'folder of labelled recordings')
    .option('--folds <k>', 'number of folds', '5')
    .option('--protocol <p>', 'grouped (by speaker, the honest default) or random (the original project\'s leaky split, for comparison only)', 'grouped')
    .option('--speaker-normalize', 'standardise features per speaker (needs several unlabelled clips of each test speaker)')
    .option('--epochs <n>', 'maximum epochs per fold (early stopping decides)')
    .option('--save <file>', 'save the full result (every fold, metric and setting) as JSON');
  addDataOptions(cmd).action(async (opts: EvaluateOptions) => {
    const result = await evaluateCommand(opts, commandLine());
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
  const data = await loadTrainingData(opts.data, opts);
  const X = opts.speakerNormalize ? speakerNormalizedFeatures(data) : data.X;
  const protocol = opts.protocol === 'random' ? 'random' : 'grouped-kfold';
  const head = headConfigFrom(opts, opts.epochs ? { maxEpochs: Number(opts.epochs) } : {});
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
    emovoxVersion: VERSION,
    runtimes: runtimeVersions(),
    command,
    createdAt: new Date().toISOString(),
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
  if (opts.save) {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const { dirname } = await import('node:path');
    await mkdir(dirname(opts.save), { recursive: true });
    await writeFile(opts.save, JSON.stringify(result, null, 1) + '\n');
  }
  return result;
}
