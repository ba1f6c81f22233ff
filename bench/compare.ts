/**
 * emovox side by side with the original Python project's pipeline (../shared/peers/seed_predict.py:
 * soundfile, torchaudio's resampler and MFCC, a small Conv1D in torch), as a user runs each: a whole
 * process over a folder, `emovox predict DIR --json` against `python3 seed_predict.py DIR`,
 * alternating the two commands pair by pair. Wall and CPU time (user + system) and peak RSS come
 * from GNU time; the tables give medians and the ratio emovox / Python. The Python pipeline computes
 * far less (40 averaged MFCCs against 427 functionals and a CNN embedding) and is far less accurate
 * (README, accuracy table): this measures what a user waits for, not like for like.
 *   node --import tsx bench/compare.ts   (builds dist/ first; needs python3-torch python3-torchaudio python3-soundfile)
 * Pass folder names to run a subset (actor, 48k, all), and `--bin DIR/bin/emovox.js` to time another
 * build of emovox (e.g. an older commit, built in its own checkout) instead of this one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT, SHARED_DATA } from '../src/paths.js';
import { machine, median, timeCommand } from './util.js';

const PEER = join(PACKAGE_ROOT, '..', 'shared', 'peers', 'seed_predict.py');
const args = process.argv.slice(2);
const binAt = args.indexOf('--bin');
const BIN = binAt >= 0 ? args.splice(binAt, 2)[1] : join(PACKAGE_ROOT, 'bin', 'emovox.js');
const FOLDERS = [
  { key: 'actor', name: '60 clips, 16 kHz FLAC (ravdess-speech-16k/Actor_01)', dir: join(SHARED_DATA, 'ravdess-speech-16k', 'Actor_01'), files: 60, runs: 5 },
  { key: '48k', name: '63 clips, 48 kHz WAV (ravdess-speech-48k)', dir: join(SHARED_DATA, 'ravdess-speech-48k'), files: 63, runs: 5 },
  { key: 'all', name: '1200 clips, 16 kHz FLAC (ravdess-speech-16k, actors 01–20)', dir: join(SHARED_DATA, 'ravdess-speech-16k'), files: 1200, runs: 3 },
];

/** The first Python that has the reference's packages (Debian's are under /usr/bin, not a pyenv shim). */
function findPython(): string | undefined {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import torch, torchaudio, soundfile'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return undefined;
}

const title = `## emovox against the Python reference, whole process per folder (${machine()})`;
const python = findPython();
if (!existsSync(PEER) || !python) {
  console.log(`${title}\n\nskipped: ${!existsSync(PEER) ? `${PEER} is missing` : 'no python3 with torch, torchaudio and soundfile (apt-get install -y python3-torch python3-torchaudio python3-soundfile)'}`);
  process.exit(0);
}
const build = binAt >= 0 ? { status: 0, stdout: '', stderr: '' } : spawnSync(process.execPath, [join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
if (build.status !== 0) throw new Error(`the build failed:\n${build.stdout}${build.stderr}`);

const folders = args.length ? FOLDERS.filter((f) => args.includes(f.key)) : FOLDERS;

/** Runs one command over the folder and checks that it printed one line per file. */
function timed(cmd: string, args: string[], files: number): ReturnType<typeof timeCommand> & { ok: number } {
  const t = timeCommand(cmd, args);
  const ok = t.stdout.split('\n').filter((l) => l.includes('"predictions"')).length;
  if (ok !== files) throw new Error(`${cmd} ${args.join(' ')}: ${ok} predictions for ${files} files (exit ${t.status})`);
  return { ...t, ok };
}

console.log(title);
console.log(`command: \`node --import tsx bench/compare.ts${binAt >= 0 ? ` --bin ${BIN}` : ''}\`: \`node ${binAt >= 0 ? BIN : 'bin/emovox.js'} predict DIR --json\` and \`${python} ../shared/peers/seed_predict.py DIR\`, run in turn (emovox, Python, emovox, …), each printing one prediction per file; medians of the runs stated`);
console.log('| folder | emovox wall | emovox CPU | emovox peak RSS | Python wall | Python CPU | Python peak RSS | ratio wall | ratio CPU | runs |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const f of folders) {
  const ours: ReturnType<typeof timed>[] = [];
  const theirs: ReturnType<typeof timed>[] = [];
  for (let r = 0; r < f.runs; r++) {
    ours.push(timed(process.execPath, [BIN, 'predict', f.dir, '--json'], f.files));
    theirs.push(timed(python, [PEER, f.dir], f.files));
  }
  const m = (xs: ReturnType<typeof timed>[], k: 'wall' | 'cpu' | 'maxRssMb'): number => median(xs.map((x) => x[k]));
  console.log(
    `| ${f.name} | ${m(ours, 'wall').toFixed(1)} s | ${m(ours, 'cpu').toFixed(1)} s | ${m(ours, 'maxRssMb').toFixed(0)} MiB | ` +
      `${m(theirs, 'wall').toFixed(1)} s | ${m(theirs, 'cpu').toFixed(1)} s | ${m(theirs, 'maxRssMb').toFixed(0)} MiB | ` +
      `${(m(ours, 'wall') / m(theirs, 'wall')).toFixed(1)}× | ${(m(ours, 'cpu') / m(theirs, 'cpu')).toFixed(1)}× | ${f.runs} |`,
  );
}
