import type { Command } from 'commander';
import { listMediaFiles } from '../audio/index.js';
import { EmotionRecognizer, DEFAULT_MODEL_DIR } from '../pipeline.js';
import { toEmovoxError, EmovoxError } from '../errors.js';
import { EXIT_SOME_FAILED, printJsonLine, warn } from './output.js';
import { createProgress } from './progress.js';
import { table } from './format.js';
import type { Prediction } from '../types.js';

interface PredictOptions {
  model: string;
  topK?: string;
  json?: boolean;
  maxDuration: string;
}

export function register(program: Command): void {
  program
    .command('predict')
    .description('Predict the emotion of audio or video files (any format ffmpeg reads; folders are searched recursively). Prints a table per file, or JSON Lines with --json.')
    .argument('<files...>', 'audio/video files or folders')
    .option('--model <dir>', 'model bundle folder (default: the shipped model)', DEFAULT_MODEL_DIR)
    .option('--top-k <n>', 'show only the k most likely labels (default: all)')
    .option('--max-duration <sec>', 'refuse files longer than this many seconds (E_TOO_LONG)', '600')
    .option('--json', 'print one JSON object per file (JSON Lines): {"file", "predictions": [{label, score}]} or {"file", "error": {code, message}}')
    .action(async (inputs: string[], opts: PredictOptions) => {
      const failed = await predictCommand(inputs, opts);
      if (failed > 0) process.exitCode = EXIT_SOME_FAILED;
    });
}

/** Returns the number of files that failed; each failure is reported and the rest go on. */
export async function predictCommand(inputs: string[], opts: PredictOptions): Promise<number> {
  const topK = opts.topK === undefined ? undefined : Number(opts.topK);
  if (topK !== undefined && (!Number.isInteger(topK) || topK < 1)) throw new EmovoxError('E_USAGE', `--top-k must be a positive integer, got "${opts.topK}"`);
  const maxDurationSec = Number(opts.maxDuration);
  if (!(maxDurationSec > 0)) throw new EmovoxError('E_USAGE', `--max-duration must be a positive number of seconds, got "${opts.maxDuration}"`);

  // The model and the ONNX/tfjs runtimes load once per process, not once per file.
  const recognizer = await EmotionRecognizer.load(opts.model);
  const files: string[] = [];
  let failed = 0;
  for (const input of inputs) {
    try {
      files.push(...(await listMediaFiles([input])));
    } catch (e) {
      failed++;
      report(input, toEmovoxError(e, 'E_NOT_FOUND', input), opts.json);
    }
  }
  const progress = createProgress(files.length, 'predict', { quiet: opts.json });
  for (const file of files) {
    try {
      const shown = await recognizer.classify(file, { maxDurationSec, topK });
      if (opts.json) printJsonLine({ file, predictions: shown.map(round) });
      else process.stdout.write(formatPrediction(file, shown));
    } catch (e) {
      failed++;
      report(file, toEmovoxError(e, 'E_DECODE', file), opts.json);
    }
    progress.tick();
  }
  progress.stop();
  return failed;
}

function report(file: string, error: EmovoxError, json?: boolean): void {
  if (json) printJsonLine({ file, error: { code: error.code, message: error.message } });
  else warn(`${file}: ${error.code}: ${error.message}`);
}

// Six decimals keep the JSON short while the scores still sum to 1 within 1e-5.
const round = (p: Prediction): Prediction => ({ label: p.label, score: Math.round(p.score * 1e6) / 1e6 });

function formatPrediction(file: string, predictions: Prediction[]): string {
  const bar = (s: number): string => '█'.repeat(Math.round(s * 20));
  // The bar goes after the table so that it grows rightwards from a common left edge.
  const [header, ...rows] = table(['emotion', 'score'], predictions.map((p) => [p.label, p.score.toFixed(3)])).split('\n');
  return `${file}\n${header}\n${rows.map((r, i) => `${r}  ${bar(predictions[i].score)}`.trimEnd()).join('\n')}\n\n`;
}
