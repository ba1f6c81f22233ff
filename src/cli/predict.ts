import type { Command } from 'commander';
import { basename } from 'node:path';
import { findMediaFiles } from '../audio/files.js';
import { EmotionRecognizer, DEFAULT_MODEL_DIR, SPEAKER_NORMALIZED_MODEL_DIR, type BatchResult } from '../pipeline.js';
import { parseRavdessName } from '../datasets/ravdess.js';
import { toEmovoxError, EmovoxError } from '../errors.js';
import { EXIT_SOME_FAILED, printJsonLine, stdoutClosed, warn } from './output.js';
import { integer } from './data-options.js';
import { createProgress } from './progress.js';
import { table } from './format.js';
import { resultRecord } from '../queue/record.js';
import type { Prediction } from '../types.js';

interface PredictOptions {
  model?: string;
  topK?: string;
  json?: boolean;
  maxDuration: string;
  uncertainBelow?: string;
  speakerNormalize?: boolean;
  speaker?: string;
  speakerRegex?: string;
  workers?: string;
}

export function register(program: Command): void {
  program
    .command('predict')
    .description('Predict the emotion of audio or video files (any format ffmpeg reads; folders are searched recursively). Prints a table per file, or JSON Lines with --json.')
    .argument('<files...>', 'audio/video files or folders')
    .option('--model <dir>', 'model bundle folder (default: the shipped model; with --speaker-normalize, the shipped speaker-normalised model)')
    .option('--top-k <n>', 'show only the k most likely labels (default: all)')
    .option('--max-duration <sec>', 'refuse files longer than this many seconds (E_TOO_LONG)', '600')
    .option('--uncertain-below <p>', 'mark a file "uncertain" when its top score is below p (0–1); scores are calibrated, roughly (see the README), so 0.5 means "more likely wrong than right"')
    .option('--speaker-normalize', 'standardise features per speaker over the clips given together (several clips of each speaker, any emotions); uses a model trained with `train --speaker-normalize`')
    .option('--speaker <id>', 'with --speaker-normalize: all files are of this one speaker')
    .option('--speaker-regex <re>', 'with --speaker-normalize: the speaker is the first capture group of this regular expression on each path (default: the actor of RAVDESS file names)')
    .option('--workers <n>', 'worker threads for decoding and features (default: one per core)')
    .option('--json', 'print one JSON object per file (JSON Lines): {"file", "predictions": [{label, score}], "uncertain"?} or {"file", "error": {code, message}}')
    .action(async (inputs: string[], opts: PredictOptions) => {
      const failed = await predictCommand(inputs, opts);
      if (failed > 0) process.exitCode = EXIT_SOME_FAILED;
    });
}

/** Returns the number of files that failed; each failure is reported and the rest go on. */
async function predictCommand(inputs: string[], opts: PredictOptions): Promise<number> {
  const topK = opts.topK === undefined ? undefined : integer(opts.topK, '--top-k', 1);
  const maxDurationSec = Number(opts.maxDuration);
  if (!(maxDurationSec > 0)) throw new EmovoxError('E_USAGE', `--max-duration must be a positive number of seconds, got "${opts.maxDuration}"`);
  const uncertainBelow = opts.uncertainBelow === undefined ? undefined : Number(opts.uncertainBelow);
  if (uncertainBelow !== undefined && !(uncertainBelow >= 0 && uncertainBelow <= 1)) throw new EmovoxError('E_USAGE', `--uncertain-below must be a probability between 0 and 1, got "${opts.uncertainBelow}"`);
  if ((opts.speaker !== undefined || opts.speakerRegex !== undefined) && !opts.speakerNormalize) throw new EmovoxError('E_USAGE', '--speaker and --speaker-regex only apply with --speaker-normalize');
  const speakerOf = opts.speakerNormalize ? speakerResolver(opts) : undefined;
  const batch = { maxDurationSec, workers: opts.workers === undefined ? undefined : integer(opts.workers, '--workers', 1), ordered: true };

  // The model and the ONNX runtime load once per process, not once per file.
  const recognizer = await EmotionRecognizer.load(opts.model ?? (opts.speakerNormalize ? SPEAKER_NORMALIZED_MODEL_DIR : DEFAULT_MODEL_DIR));
  if (recognizer.speakerNormalized !== Boolean(opts.speakerNormalize)) {
    throw new EmovoxError(
      'E_USAGE',
      opts.speakerNormalize
        ? 'this model was trained without speaker normalisation: omit --model to use the shipped speaker-normalised model, or train one with `emovox train --speaker-normalize`'
        : 'this model was trained on features standardised per speaker: predict with --speaker-normalize on several clips of each speaker',
    );
  }
  const files: string[] = [];
  let failed = 0;
  for (const input of inputs) {
    try {
      // A folder walk reports what it cannot read (pipes, devices, dangling links, loops) as error lines.
      const found = await findMediaFiles([input]);
      files.push(...found.files);
      for (const p of found.problems) {
        failed++;
        report(p.file, p.error, opts.json);
      }
    } catch (e) {
      failed++;
      report(input, toEmovoxError(e, 'E_NOT_FOUND', input), opts.json);
    }
  }
  const progress = createProgress(files.length, 'predict', { quiet: opts.json });
  const show = (r: BatchResult): void => {
    const file = files[r.index];
    progress.tick();
    if ('error' in r) {
      failed++;
      report(file, r.error, opts.json);
      return;
    }
    const uncertain = uncertainBelow === undefined ? undefined : r.predictions[0].score < uncertainBelow;
    const shown = topK ? r.predictions.slice(0, topK) : r.predictions;
    if (opts.json) printJsonLine({ ...resultRecord(file, { predictions: shown }), ...(uncertain === undefined ? {} : { uncertain }) });
    else if (!stdoutClosed()) process.stdout.write(formatPrediction(file, shown, uncertain ? uncertainBelow : undefined));
  };
  if (speakerOf) {
    // Every clip of a speaker must be seen before any is scored; a file whose speaker cannot be told is reported.
    const items = files.flatMap((file, fileIndex) => {
      try {
        return [{ input: file, speaker: speakerOf(file), fileIndex }];
      } catch (e) {
        failed++;
        report(file, toEmovoxError(e, 'E_USAGE', file), opts.json);
        return [];
      }
    });
    const results = await recognizer.classifySpeakers(items, batch);
    results.forEach((r) => show({ ...r, index: items[r.index].fileIndex }));
  } else {
    for await (const r of recognizer.classifyBatch(files, batch)) {
      show(r);
      if (stdoutClosed()) break; // ends the batch, and its worker threads, before the process ends
    }
  }
  progress.stop();
  return failed;
}

/** Where each file's speaker comes from: --speaker, --speaker-regex, or a RAVDESS file name. */
function speakerResolver(opts: PredictOptions): (file: string) => string {
  if (opts.speaker !== undefined) return () => opts.speaker as string;
  let re: RegExp | undefined;
  if (opts.speakerRegex !== undefined) {
    try {
      re = new RegExp(opts.speakerRegex);
    } catch (e) {
      throw new EmovoxError('E_USAGE', `--speaker-regex is not a valid regular expression: ${(e as Error).message}`);
    }
  }
  return (file) => {
    if (re) {
      const m = re.exec(file);
      if (!m?.[1]) throw new EmovoxError('E_USAGE', `--speaker-regex ${String(re)} has no first capture group match in ${file}`);
      return m[1];
    }
    try {
      return parseRavdessName(basename(file)).actor;
    } catch {
      throw new EmovoxError('E_USAGE', `cannot tell the speaker of ${file}: it is not a RAVDESS file name; give --speaker ID or --speaker-regex`);
    }
  };
}

function report(file: string, error: EmovoxError, json?: boolean): void {
  if (json) printJsonLine(resultRecord(file, { error }));
  else warn(`${file}: ${error.code}: ${error.message}`);
}

function formatPrediction(file: string, predictions: Prediction[], uncertainBelow?: number): string {
  const bar = (s: number): string => '█'.repeat(Math.round(s * 20));
  // The bar goes after the table so that it grows rightwards from a common left edge.
  const [header, ...rows] = table(['emotion', 'score'], predictions.map((p) => [p.label, p.score.toFixed(3)])).split('\n');
  const note = uncertainBelow === undefined ? '' : `uncertain: the top score ${predictions[0].score.toFixed(3)} is below ${uncertainBelow}\n`;
  return `${file}\n${header}\n${rows.map((r, i) => `${r}  ${bar(predictions[i].score)}`.trimEnd()).join('\n')}\n${note}\n`;
}
