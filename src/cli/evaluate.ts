import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { addDataOptions, extractionFrom, integer, recipeFrom, repeatable, sourcesFrom, type DataOptions } from './data-options.js';
import { corporaOf, loadDataset } from '../datasets/dataset.js';
import { crossValidate, evaluateCrossCorpus } from '../eval/evaluate.js';
import { evaluateLeaveOneCorpusOut } from '../eval/leave-one-corpus-out.js';
import { formatLeaveOneCorpusOut } from './format-loco.js';
import { EmovoxError } from '../errors.js';
import { formatEvaluation } from './format.js';
import { reportTo } from './report.js';
import { commandLine, printJsonLine, warn } from './output.js';

interface EvaluateOptions extends DataOptions {
  data?: string[];
  trainData?: string[];
  testData?: string[];
  folds: string;
  protocol: string;
  save?: string;
  report?: string;
  leaveOneCorpusOut?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('evaluate')
    .description('Cross-validate the training recipe on a labelled corpus, grouped by speaker: no speaker, and no copy of a performance, is ever on both sides of a split.')
    .option('--data <dir>', 'folder (or CSV) of labelled recordings, cross-validated; repeat it for several corpora at once (folds stay grouped by speaker)', repeatable)
    .option('--train-data <dir>', 'cross-corpus instead of --data: train on this corpus (repeatable)… (over the labels both sides have)', repeatable)
    .option('--test-data <dir>', '…and test on this one (repeatable); --corpus, --csv and --speaker-regex apply to both', repeatable)
    .option('--leave-one-corpus-out', 'with --data given for each corpus: hold out each corpus in turn, train on the others, test on it (over the labels it has)')
    .option('--folds <k>', 'number of folds', '5')
    .option('--protocol <p>', 'grouped (by speaker, the honest default) or random (the original project\'s leaky split, for comparison only)', 'grouped')
    .option('--epochs <n>', 'maximum epochs per fold (early stopping decides)')
    .option('--save <file>', 'save the full result (every fold, metric and setting) as JSON')
    .option('--report <dir>', 'write an HTML report with plots (SVG and PNG) to this folder');
  addDataOptions(cmd).action(async (opts: EvaluateOptions) => {
    const recipe = recipeFrom(opts); // bad options fail before the scan
    const folds = integer(opts.folds, '--folds', 2);
    if (opts.protocol !== 'grouped' && opts.protocol !== 'random') throw new EmovoxError('E_USAGE', `--protocol must be grouped or random, got "${opts.protocol}"`);
    const common = {
      recipe,
      ...extractionFrom(opts),
      command: commandLine(),
      onFold: (f: number, m: { accuracy: number; uar: number }) => {
        if (!opts.json) warn(`fold ${f}: accuracy ${(100 * m.accuracy).toFixed(1)}%, UAR ${(100 * m.uar).toFixed(1)}%`);
      },
    };
    let result;
    if (opts.leaveOneCorpusOut) {
      if (opts.trainData !== undefined || opts.testData !== undefined || (opts.data?.length ?? 0) < 2) throw new EmovoxError('E_USAGE', '--leave-one-corpus-out needs --data once per corpus (at least two), and no --train-data or --test-data');
      if (opts.protocol !== 'grouped') throw new EmovoxError('E_USAGE', '--leave-one-corpus-out is its own protocol: leave out --protocol');
      const data = await loadDataset(sourcesFrom(opts.data!, opts));
      const corpora = corporaOf(data);
      result = await evaluateLeaveOneCorpusOut(data, {
        ...common,
        onFold: (f, m) => {
          if (!opts.json) warn(`held out ${corpora[f - 1]}: accuracy ${(100 * m.accuracy).toFixed(1)}%, UAR ${(100 * m.uar).toFixed(1)}%`);
        },
      });
    } else if (opts.trainData !== undefined || opts.testData !== undefined) {
      if (!opts.trainData?.length || !opts.testData?.length || opts.data?.length) throw new EmovoxError('E_USAGE', 'give either --data DIR, or both --train-data DIR and --test-data DIR');
      const [train, test] = await Promise.all([loadDataset(sourcesFrom(opts.trainData, opts)), loadDataset(sourcesFrom(opts.testData, opts))]);
      const dropped = [...new Set([...train.labels, ...test.labels])].filter((l) => !(train.labels as string[]).includes(l) || !(test.labels as string[]).includes(l));
      if (dropped.length && !opts.json) warn(`labels not in both corpora, left out: ${dropped.join(', ')}`);
      result = await evaluateCrossCorpus(train, test, common);
    } else {
      if (!opts.data?.length) throw new EmovoxError('E_USAGE', 'give --data DIR (or --train-data and --test-data for a cross-corpus evaluation)');
      result = await crossValidate(await loadDataset(sourcesFrom(opts.data, opts)), { ...common, folds, protocol: opts.protocol as 'grouped' | 'random' });
    }
    if (opts.save) {
      await mkdir(dirname(opts.save), { recursive: true });
      await writeFile(opts.save, JSON.stringify(result, null, 1) + '\n');
    }
    // The report's line goes to stderr with --json too, so stdout stays one result.
    if (opts.report) await reportTo(result, opts.report);
    if (opts.json) printJsonLine(result);
    else process.stdout.write((result.protocol.kind === 'leave-one-corpus-out' ? formatLeaveOneCorpusOut(result) : formatEvaluation(result)) + '\n');
  });
}
