import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { addDataOptions, extractionFrom, recipeFrom, repeatable, sourcesFrom, type DataOptions } from './data-options.js';
import { loadDataset } from '../datasets/dataset.js';
import { train } from '../train.js';
import { EmovoxError } from '../errors.js';
import type { EvaluationResult } from '../eval/types.js';
import { commandLine, printJsonLine, warn } from './output.js';
import { reportTo } from './report.js';

interface TrainOptions extends DataOptions {
  data: string[];
  out: string;
  crossValidation?: string;
  report?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('train')
    .description('Train a model bundle on a labelled corpus: features, a standardiser + MLP head early-stopped on held-out speakers, calibrated scores. Writes config.json, head.json, history.json and MODEL_CARD.md.')
    .requiredOption('--data <dir>', 'folder (or CSV) of labelled recordings; repeat it to train on several corpora at once', repeatable)
    .requiredOption('--out <dir>', 'folder to write the model bundle to')
    .option('--epochs <n>', 'maximum epochs (early stopping on held-out speakers decides)')
    .option('--cross-validation <file>', 'a saved `emovox evaluate --save` result of this recipe, quoted in the model card and drawn in the report')
    .option('--report <dir>', 'write an HTML report with plots (SVG and PNG) to this folder: training curves, and the scores of --cross-validation if given');
  addDataOptions(cmd).action(async (opts: TrainOptions) => {
    const recipe = recipeFrom(opts); // a bad recipe fails before the scan
    const crossValidation = opts.crossValidation ? await readResult(opts.crossValidation) : undefined;
    const data = await loadDataset(sourcesFrom(opts.data, opts));
    const rec = await train(data, {
      recipe,
      ...extractionFrom(opts),
      crossValidation,
      command: commandLine(),
      onEpoch: (r, member, members) => {
        if (!opts.json) warn(`${members > 1 ? `member ${member}/${members}  ` : ''}epoch ${String(r.epoch).padStart(3)}  loss ${r.loss.toFixed(4)}  acc ${(100 * r.accuracy).toFixed(1)}%  val_loss ${r.valLoss?.toFixed(4) ?? '-'}  val_acc ${r.valAccuracy === undefined ? '-' : (100 * r.valAccuracy).toFixed(1) + '%'}`);
      },
    });
    await rec.save(opts.out);
    if (!opts.json && rec.training) warn(`features: ${rec.training.extraction.files} files (${rec.training.extraction.cacheHits} from cache), ${rec.config.featureNames.length} numbers each`);
    const { training } = rec.config;
    if (opts.report) {
      const { bundleReportInput } = await import('../eval/report/index.js');
      await reportTo(bundleReportInput(rec.config, rec.training?.history ?? [], crossValidation ?? null, { dataset: rec.training?.dataset, validation: rec.training?.validation }), opts.report);
    }
    if (opts.json) {
      printJsonLine({ out: opts.out, files: training.files, labels: rec.labels, bestEpoch: rec.config.head.bestEpoch, temperature: rec.config.head.temperature, validation: training.validation, validationSpeakers: training.validationSpeakers });
    } else {
      warn(`model written to ${opts.out}: config.json, head.json, history.json, MODEL_CARD.md`);
      warn(`held-out speakers ${training.validationSpeakers.join(', ')}: accuracy ${(100 * training.validation.accuracy).toFixed(1)}%, UAR ${(100 * training.validation.uar).toFixed(1)}%`);
    }
  });
}

async function readResult(file: string): Promise<EvaluationResult> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as EvaluationResult;
  } catch (e) {
    throw new EmovoxError('E_BAD_RESULT', `--cross-validation ${file} is not a saved evaluation (${(e as Error).message}): make one with \`emovox evaluate --save FILE\``);
  }
}
