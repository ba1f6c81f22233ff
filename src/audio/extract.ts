import { basename, extname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { decodeChannels } from './decode.js';
import { resample } from './resample.js';
import { encodeWav16 } from './wav-writer.js';
import { toEmovoxError, type EmovoxError } from '../errors.js';

export interface ExtractPlan {
  input: string;
  output: string;
}

/**
 * Output names: `<base name>.wav` in the output folder. When inputs share a base name
 * (a/x.mp4, b/x.mov), the first in sorted order keeps `x.wav` and the next ones get
 * `x-2.wav`, `x-3.wav`…, so no output overwrites another from the same run.
 */
export function planOutputs(inputs: string[], outDir: string): ExtractPlan[] {
  const taken = new Map<string, number>();
  return inputs.map((input) => {
    const base = basename(input, extname(input));
    const n = (taken.get(base) ?? 0) + 1;
    taken.set(base, n);
    return { input, output: join(outDir, n === 1 ? `${base}.wav` : `${base}-${n}.wav`) };
  });
}

export type ExtractOutcome = (ExtractPlan & { status: 'written' | 'exists'; seconds: number }) | (ExtractPlan & { status: 'failed'; error: EmovoxError });

/** Decodes one input (any container), resamples with the one resampler, writes 16-bit PCM WAV. */
export async function extractOne(
  plan: ExtractPlan,
  opts: { rate: number; channels: number; overwrite: boolean; timeoutMs?: number },
): Promise<ExtractOutcome> {
  try {
    if (!opts.overwrite && existsSync(plan.output)) return { ...plan, status: 'exists', seconds: 0 };
    const decoded = await decodeChannels(plan.input, { keepChannels: opts.channels > 1, timeoutMs: opts.timeoutMs });
    let chans = decoded.channels;
    if (opts.channels === 1 && chans.length > 1) chans = [chans[0]]; // already averaged by decodeChannels
    if (opts.channels > 1) {
      // Mono sources are duplicated; extra source channels beyond the request are dropped.
      chans = Array.from({ length: opts.channels }, (_, c) => chans[Math.min(c, chans.length - 1)]);
    }
    const resampled = await Promise.all(chans.map((c) => resample(c, decoded.sampleRate, opts.rate)));
    await mkdir(join(plan.output, '..'), { recursive: true });
    await writeFile(plan.output, encodeWav16(resampled, opts.rate));
    return { ...plan, status: 'written', seconds: resampled[0].length / opts.rate };
  } catch (e) {
    return { ...plan, status: 'failed', error: toEmovoxError(e, 'E_DECODE', plan.input) };
  }
}
