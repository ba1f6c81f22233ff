import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { listMediaFiles } from '../audio/index.js';
import { planOutputs, extractOne } from '../audio/extract.js';
import { mapInOrder } from '../util/concurrency.js';
import { EmovoxError, toEmovoxError } from '../errors.js';
import { EXIT_SOME_FAILED, printJsonLine, warn } from './output.js';
import { createProgress } from './progress.js';

interface ExtractOptions {
  out: string;
  rate: string;
  channels: string;
  concurrency: string;
  overwrite?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('extract-audio')
    .description(
      'Extract the audio of video or audio files as 16-bit PCM WAV (what the original Mp4ToWav.py did). ' +
        'Each output is OUT/<same base name>.wav, so RAVDESS names stay as they are. When inputs share a base name ' +
        '(a/x.mp4 and b/x.mov), the first in sorted order gets x.wav and the next x-2.wav, x-3.wav…; an output that already ' +
        'exists from an earlier run is left alone and reported as "exists" unless --overwrite is given. A bad input is reported ' +
        'and skipped; the exit code is then 1.',
    )
    .argument('<inputs...>', 'files, or folders searched recursively for audio and video files')
    .requiredOption('--out <dir>', 'output folder (created if missing)')
    .option('--rate <hz>', 'output sample rate', '16000')
    .option('--channels <n>', 'output channels: 1 averages all channels, 2 keeps stereo', '1')
    .option('--concurrency <n>', 'files converted at once', String(availableParallelism()))
    .option('--overwrite', 'replace outputs that already exist')
    .option('--json', 'print one JSON object per input: {"input", "output", "status"} or {"input", "error": {code, message}}')
    .action(async (inputs: string[], opts: ExtractOptions) => {
      if ((await extractAudioCommand(inputs, opts)) > 0) process.exitCode = EXIT_SOME_FAILED;
    });
}

function positiveInt(value: string, name: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new EmovoxError('E_USAGE', `${name} must be an integer from 1 to ${max}, got "${value}"`);
  return n;
}

/** Returns the number of inputs that failed. */
export async function extractAudioCommand(inputs: string[], opts: ExtractOptions): Promise<number> {
  const rate = positiveInt(opts.rate, '--rate', 384000);
  const channels = positiveInt(opts.channels, '--channels', 8);
  const concurrency = positiveInt(opts.concurrency, '--concurrency', 64);
  let failed = 0;
  const files: string[] = [];
  for (const input of inputs) {
    try {
      files.push(...(await listMediaFiles([input])));
    } catch (e) {
      failed++;
      const err = toEmovoxError(e, 'E_NOT_FOUND', input);
      if (opts.json) printJsonLine({ input, error: err.toJSON() });
      else warn(`${input}: ${err.code}: ${err.message}`);
    }
  }
  const plans = planOutputs(files, opts.out);
  const progress = createProgress(plans.length, 'extract', { quiet: opts.json });
  let written = 0;
  let existing = 0;
  await mapInOrder(plans, concurrency, async (plan) => {
    const r = await extractOne(plan, { rate, channels, overwrite: Boolean(opts.overwrite) });
    progress.tick(plan.input.split('/').pop());
    if (r.status === 'failed') {
      failed++;
      if (opts.json) printJsonLine({ input: r.input, error: r.error.toJSON() });
      else warn(`${r.input}: ${r.error.code}: ${r.error.message}`);
    } else {
      if (r.status === 'written') written++;
      else existing++;
      if (opts.json) printJsonLine({ input: r.input, output: r.output, status: r.status });
    }
  });
  progress.stop();
  if (!opts.json) {
    const renamed = plans.filter((p) => /-\d+\.wav$/.test(p.output) && !/-\d+$/.test(p.input.replace(/\.[^.]+$/, '')));
    for (const p of renamed) warn(`${p.input} → ${p.output} (base name shared with another input)`);
    warn(`${written} written, ${existing} already existed, ${failed} failed → ${opts.out}`);
  }
  return failed;
}
