/**
 * The resampler against sox `rate -v`: speed in seconds of audio per second of CPU (median of
 * 5 runs, one process, after a warm-up) and SNR against sox's output (median and worst file),
 * for the 63 RAVDESS originals at 48 kHz and for a 44.1 kHz copy of them (made by sox), both
 * to 16 kHz. libsamplerate-js's converters are measured the same way, for comparison, while
 * that package is installed. The sox references are made in a temporary folder and deleted.
 *   node --import tsx bench/resample.ts        (needs sox: apt-get install sox)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { decodeAudio, listMediaFiles } from '../src/audio/index.js';
import { resample } from '../src/audio/resample.js';
import { SHARED_DATA } from '../src/paths.js';
import { machine, median } from './util.js';
import { snrDb } from '../test/helpers.js';

type Resampler = (x: Float32Array, from: number, to: number) => Float32Array | Promise<Float32Array>;
const RUNS = 5;

if (spawnSync('sox', ['--version']).status !== 0) {
  console.log('## resample to 16 kHz against sox\n\nskipped: sox is not installed (apt-get install sox)');
  process.exit(0);
}

const files = await listMediaFiles([join(SHARED_DATA, 'ravdess-speech-48k')]);
const dir = mkdtempSync(join(tmpdir(), 'emovox-resample-'));
const readF32 = (p: string): Float32Array => {
  const b = readFileSync(p);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
function sox(input: Float32Array, from: number, to: number): Float32Array {
  const inPath = join(dir, 'in.f32');
  const outPath = join(dir, 'out.f32');
  writeFileSync(inPath, input);
  const r = spawnSync('sox', ['-t', 'f32', '-r', String(from), '-c', '1', inPath, '-t', 'f32', '-r', String(to), '-c', '1', outPath, 'rate', '-v'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sox failed: ${r.stderr}`);
  return readF32(outPath);
}


// Inputs (mono, as emovox decodes them) and sox's 16 kHz output for each.
const sets: Array<{ name: string; rate: number; inputs: Float32Array[]; refs: Float32Array[] }> = [
  { name: `48 kHz → 16 kHz (ravdess-speech-48k, ${files.length} files)`, rate: 48000, inputs: [], refs: [] },
  { name: `44.1 kHz → 16 kHz (the same, made 44.1 kHz by sox)`, rate: 44100, inputs: [], refs: [] },
];
try {
  for (const f of files) {
    const x48 = (await decodeAudio(f)).samples;
    const x44 = sox(x48, 48000, 44100);
    sets[0].inputs.push(x48);
    sets[0].refs.push(sox(x48, 48000, 16000));
    sets[1].inputs.push(x44);
    sets[1].refs.push(sox(x44, 44100, 16000));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const candidates: Array<{ name: string; fn: Resampler }> = [{ name: 'emovox (windowed-sinc polyphase, ±24 lobes)', fn: resample }];
try {
  const require = createRequire(import.meta.url);
  const lsr = require('@alexanderolsen/libsamplerate-js') as typeof import('@alexanderolsen/libsamplerate-js');
  for (const type of ['SRC_SINC_BEST_QUALITY', 'SRC_SINC_MEDIUM_QUALITY', 'SRC_SINC_FASTEST'] as const) {
    const made = new Map<number, Awaited<ReturnType<typeof lsr.create>>>();
    candidates.push({
      name: `libsamplerate-js ${type}`,
      fn: async (x, from, to) => {
        if (!made.has(from)) made.set(from, await lsr.create(1, from, to, { converterType: lsr.ConverterType[type] }));
        return made.get(from)!.simple(x);
      },
    });
  }
} catch {
  // not installed any more: emovox's own figures only
}

console.log(`## resample to 16 kHz against sox \`rate -v\` (${machine()})`);
console.log(`command: \`node --import tsx bench/resample.ts\`; speed is the median of ${RUNS} runs over the whole set in one process, after a warm-up; SNR is against sox's output for each file (${basename(files[0])} …)`);
console.log('| resampler | input | s of audio per s of CPU | SNR vs sox, median | SNR vs sox, worst file |');
console.log('|---|---|---|---|---|');
for (const c of candidates) {
  for (const set of sets) {
    const snrs: number[] = [];
    for (let i = 0; i < set.inputs.length; i++) snrs.push(snrDb(set.refs[i], await c.fn(set.inputs[i], set.rate, 16000)));
    const speeds: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      let audio = 0;
      const c0 = process.cpuUsage();
      for (const x of set.inputs) {
        await c.fn(x, set.rate, 16000);
        audio += x.length / set.rate;
      }
      const used = process.cpuUsage(c0);
      speeds.push(audio / ((used.user + used.system) / 1e6));
    }
    console.log(`| ${c.name} | ${set.name} | ${median(speeds).toFixed(0)} | ${median(snrs).toFixed(1)} dB | ${Math.min(...snrs).toFixed(1)} dB |`);
  }
}
