/**
 * `node --import tsx bench/timeline.ts`: the timeline on long recordings built here from
 * RAVDESS clips of actors 16–20 with random silences (0.2–3 s) between them, written as
 * 16 kHz FLAC by ffmpeg into a temporary folder (deleted afterwards):
 *  - a 3-hour recording through `emovox timeline FILE --format jsonl --out …`: peak RSS,
 *    wall and CPU time (GNU time), segments found;
 *  - a 1-hour recording the same way: times faster than real time, end to end;
 *  - live: a recording played in real time (20 ms blocks) into `emovox timeline -
 *    --raw s16le --rate 16000 --json`, and the delay from the moment the end of each
 *    clip's speech was written to the moment its JSON line arrived: with the defaults,
 *    with `--context-fill wait` and with that and `--context-after 0.5`.
 * Set TIMELINE_BENCH=short for a quick run (10 and 5 minutes, 12 clips live).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { ffmpegPath } from '../src/audio/ffmpeg.js';
import { SAMPLE_RATE } from '../src/types.js';
import { actorFiles } from '../test/helpers.js';
import { longRecording, mixedClips, wavBytes, type PlacedClip } from '../test/timeline-fixtures.js';
import { machine, median, timeCommand } from './util.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');
const short = process.env.TIMELINE_BENCH === 'short';
const files = mixedClips([16, 17, 18, 19, 20].map(actorFiles), 31);
const dir = mkdtempSync(join(tmpdir(), 'emovox-bench-timeline-'));

/** Streams a synthetic recording of `totalSec` into ffmpeg, which writes 16 kHz FLAC. */
async function makeFlac(path: string, totalSec: number): Promise<void> {
  const ff = spawn(ffmpegPath(), ['-loglevel', 'error', '-f', 's16le', '-ar', '16000', '-ac', '1', '-i', 'pipe:0', '-y', path], { stdio: ['pipe', 'ignore', 'inherit'] });
  const done = new Promise<void>((resolve, reject) => ff.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}`)))));
  for await (const block of longRecording(files, { seed: 37, gapMinSec: 0.2, gapMaxSec: 3, totalSec, truth: false })) {
    if (!ff.stdin.write(wavBytes(block).subarray(44))) await new Promise((r) => ff.stdin.once('drain', r));
  }
  ff.stdin.end();
  await done;
}

function runFile(path: string, hours: number): { wall: number; cpu: number; maxRssMb: number; segments: number } {
  const out = join(dir, 'out.jsonl');
  const t = timeCommand(process.execPath, [BIN, 'timeline', path, '--format', 'jsonl', '--out', out]);
  if (t.status !== 0) throw new Error(`emovox timeline failed on the ${hours} h recording`);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  return { ...t, segments: lines.length - 1 };
}

/** Plays clips in real time into `emovox timeline -` and times each clip's JSON line. */
async function live(clipCount: number, extra: string[] = []): Promise<number[]> {
  const clips: PlacedClip[] = [];
  const blocks: Float32Array[] = [];
  for await (const b of longRecording(files.slice(0, clipCount), { seed: 41, gapMinSec: 1, gapMaxSec: 3, onClip: (c) => clips.push(c) })) blocks.push(b);
  const all = new Float32Array(blocks.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of blocks) {
    all.set(b, o);
    o += b.length;
  }
  const pcm = wavBytes(all).subarray(44);
  const child = spawn(process.execPath, [BIN, 'timeline', '-', '--raw', 's16le', '--rate', '16000', '--json', ...extra], { stdio: ['pipe', 'pipe', 'inherit'] });
  const arrivals: { at: number; start: number; end: number }[] = [];
  let buf = '';
  child.stdout.on('data', (c: Buffer) => {
    const at = performance.now();
    buf += c.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = JSON.parse(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      if ('label' in line) arrivals.push({ at, start: line.start, end: line.end });
    }
  });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  // Give the process time to load the model before "recording" starts, as a live user would.
  await new Promise((r) => setTimeout(r, 4000));
  const block = SAMPLE_RATE / 50; // 20 ms, as a sound card delivers it
  const t0 = performance.now();
  for (let i = 0; i * block * 2 < pcm.length; i++) {
    const due = t0 + i * 20;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    child.stdin.write(pcm.subarray(i * block * 2, (i + 1) * block * 2));
  }
  child.stdin.end();
  await closed;
  // A clip's speech ends at speechEnd seconds of stream time, written at t0 + speechEnd s.
  const delays: number[] = [];
  for (const c of clips) {
    const seg = arrivals.find((a) => a.end > c.speechStart && a.start < c.speechEnd && a.end >= c.speechEnd - 0.5);
    if (seg) delays.push(seg.at - (t0 + c.speechEnd * 1000));
  }
  return delays;
}

function percentile95(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
}

const f = (x: number, d = 1): string => x.toFixed(d);
try {
  const liveOnly = process.env.TIMELINE_BENCH === 'live';
  const longHours = short ? 10 / 60 : 3;
  const hourHours = short ? 5 / 60 : 1;
  const runs = short ? 1 : 2;
  console.log(`## timeline (${machine()})`);
  console.log(`command: \`node --import tsx bench/timeline.ts\` (recordings of RAVDESS clips of actors 16–20 with 0.2–3 s silences, 16 kHz FLAC, through \`emovox timeline FILE --format jsonl --out …\` under GNU time; default settings; run ${new Date().toISOString().slice(0, 10)}${liveOnly ? '; TIMELINE_BENCH=live: the live rows only' : ''})`);
  console.log('| measure | value | runs |');
  console.log('|---|---|---|');
  if (!liveOnly) {
    const longPath = join(dir, 'long.flac');
    const hourPath = join(dir, 'hour.flac');
    await makeFlac(longPath, longHours * 3600);
    await makeFlac(hourPath, hourHours * 3600);
    const big = runFile(longPath, longHours);
    const hour = Array.from({ length: runs }, () => runFile(hourPath, hourHours));
    console.log(`| ${f(longHours, 2)} h recording (${f(statSync(longPath).size / 2 ** 20, 0)} MiB FLAC, ${big.segments} segments): peak RSS | ${f(big.maxRssMb, 0)} MiB | 1 |`);
    console.log(`| same: wall / CPU time | ${f(big.wall)} s / ${f(big.cpu)} s (${f((longHours * 3600) / big.wall, 0)}× real time by wall, ${f((longHours * 3600) / big.cpu, 0)}× by CPU) | 1 |`);
    console.log(`| ${f(hourHours, 2)} h recording, end to end: wall / CPU time (median) | ${f(median(hour.map((h) => h.wall)))} s / ${f(median(hour.map((h) => h.cpu)))} s | ${runs} |`);
    console.log(`| same: times faster than real time (median) | ${f((hourHours * 3600) / median(hour.map((h) => h.wall)), 0)}× by wall, ${f((hourHours * 3600) / median(hour.map((h) => h.cpu)), 0)}× by CPU | ${runs} |`);
    console.log(`| same: peak RSS (median) | ${f(median(hour.map((h) => h.maxRssMb)), 0)} MiB | ${runs} |`);
  }
  // The defaults, then the context after waited for in real audio (the defaults before
  // --context-fill), then that with half a second of it.
  for (const extra of [[], ['--context-fill', 'wait'], ['--context-fill', 'wait', '--context-after', '0.5']]) {
    const delays = await live(short ? 12 : 40, extra);
    const how = extra.length ? ` with ${extra.join(' ')}` : '';
    console.log(`| live${how}, raw PCM on stdin in real time: end of an utterance's speech → its JSON line, median | ${f(median(delays) / 1000, 2)} s | ${delays.length} utterances |`);
    console.log(`| same, 95th percentile | ${f(percentile95(delays) / 1000, 2)} s | ${delays.length} utterances |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
