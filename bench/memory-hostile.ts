/**
 * Peak RSS of `emovox predict --json` (the built CLI, through GNU time) over the whole
 * hostile corpus of test/hostile-corpus.ts in one process, over each bomb alone, and over
 * one good file for comparison. Median of 3 runs each. Needs a build (npx tsc).
 * `--long` adds a 599-second recording (just under the 600 s limit) at 16 kHz mono and at 48 kHz
 * stereo: what an honest long input costs.
 *   node --import tsx bench/memory-hostile.ts [--long]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { writeFileSync } from 'node:fs';
import { encodeWav16 } from '../src/audio/wav-writer.js';
import { voiceLike, writeHostileCorpus } from '../test/hostile-corpus.js';
import { machine, median, timeCommand } from './util.js';

const RUNS = 3;
const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');
const dir = mkdtempSync(join(tmpdir(), 'emovox-memory-'));
try {
  const corpus = writeHostileCorpus(join(dir, 'corpus'), { withFfmpeg: true });
  const path = (name: string) => corpus.find((e) => e.path.endsWith(`/${name}`))!.path;
  const good = corpus.find((e) => e.note === 'a good RAVDESS recording')!.path;
  const sets: [string, string[]][] = [
    ['one good RAVDESS file (baseline)', [good]],
    ['3-hour FLAC bomb, length in STREAMINFO (37 kB)', [path('bomb-3h.flac')]],
    ['3-hour FLAC bomb, STREAMINFO "unknown length"', [path('bomb-3h-unknown.flac')]],
    ['3-hour FLAC bomb, STREAMINFO says 2 s', [path('bomb-3h-claims-2s.flac')]],
    ['12-hour 8-channel 48 kHz FLAC bomb, unknown length', [path('bomb-12h-8ch.flac')]],
    ['1 GiB sparse WAV (9 h claimed)', [path('sparse-1gib.wav')]],
    ['3 GiB sparse WAV', [path('sparse-3gib.wav')]],
    [`the whole hostile corpus, ${corpus.length} inputs in one process`, corpus.map((e) => e.path)],
  ];
  const long = process.argv.includes('--long');
  if (long) {
    const voice = voiceLike(599);
    writeFileSync(join(dir, 'long-599s.wav'), encodeWav16([voice], 16000));
    // The same at 48 kHz stereo (each sample held three times): the resampler's copies on top.
    const voice48 = Float32Array.from({ length: voice.length * 3 }, (_, i) => voice[Math.floor(i / 3)]);
    writeFileSync(join(dir, 'long-599s-48k.wav'), encodeWav16([voice48, voice48], 48000));
    sets.push(['a 599 s recording at 16 kHz mono (under the limit)', [join(dir, 'long-599s.wav')]]);
    sets.push(['a 599 s recording at 48 kHz stereo', [join(dir, 'long-599s-48k.wav')]]);
  }
  console.log(`## peak memory of predict on hostile input (${machine()})`);
  console.log('command: `node --import tsx bench/memory-hostile.ts` (each row: `emovox predict --json …` under GNU time, median of 3 runs)');
  console.log('| input | peak RSS MiB | wall s | CPU s |');
  console.log('|---|---|---|---|');
  for (const [name, files] of sets) {
    const runs = Array.from({ length: name.includes('one run') ? 1 : RUNS }, () => timeCommand(process.execPath, [BIN, 'predict', '--json', '--', ...files]));
    console.log(`| ${name} | ${median(runs.map((r) => r.maxRssMb)).toFixed(0)} | ${median(runs.map((r) => r.wall)).toFixed(1)} | ${median(runs.map((r) => r.cpu)).toFixed(1)} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
