/**
 * An experiment that chose the timeline's context and smoothing (TIMELINE_DEFAULTS), and
 * measures its accuracy against the truth: a long recording of all RAVDESS clips of actors
 * 16–20 in a shuffled order with random silences (0.2–3 s) between them, through
 * `timeline()` with a model trained on actors 01–15 only, so that no test voice was heard
 * in training. Each clip gets the label of the segment that covers most of its speech, and
 * is compared with its true emotion and with `classify()` on the clip alone (what
 * `emovox predict` answers). Make the model first:
 *   emovox train --data DIR_WITH_ACTORS_01_TO_15 --out /tmp/model-1-15 --seed 1
 *   node --import tsx bench/timeline-accuracy.ts /tmp/model-1-15
 * TIMELINE_SET=fill compares only the ways of completing the context after a segment
 * (--context-fill) against waiting for it, and skips the long-stretch table.
 */
import { EmotionRecognizer } from '../src/pipeline.js';
import { timeline, type TimelineOptions, type TimelineSegment } from '../src/timeline/index.js';
import { SAMPLE_RATE } from '../src/types.js';
import { actorFiles } from '../test/helpers.js';
import { buildLongRecording, mixedClips, rng, wavBytes, type PlacedClip } from '../test/timeline-fixtures.js';
import { basename } from 'node:path';
import { loadAudio } from '../src/audio/index.js';
import { trimSilence } from '../src/features/vad.js';
import { parseRavdessName } from '../src/datasets/index.js';
import { boundaryHits, clipLabel, frameAccuracy } from './timeline-eval.js';
import { machine } from './util.js';

const modelDir = process.argv[2];
if (!modelDir) {
  console.error('usage: node --import tsx bench/timeline-accuracy.ts MODEL_DIR (a model trained on actors 01–15)');
  process.exit(2);
}
const actors = (process.env.TIMELINE_ACTORS ?? '16,17,18,19,20').split(',').map(Number);
const rec = await EmotionRecognizer.load(modelDir);
const trained = Object.keys(rec.config.training.speakers).map(Number);
if (actors.some((a) => trained.includes(a))) throw new Error(`the model was trained on some of actors ${actors.join(',')}: the figures would not be honest`);
const files = mixedClips(actors.map(actorFiles), 23);
const { samples, clips } = await buildLongRecording(files, { seed: 29, gapMinSec: 0.2, gapMaxSec: 3 });
const bytes = wavBytes(samples);

const alone = new Map<string, string>();
for (const c of clips) alone.set(c.file, (await rec.classify(c.file))[0].label);
const predictRight = clips.filter((c) => alone.get(c.file) === c.emotion).length;

console.log(`## Timeline accuracy against the truth (${machine()})`);
console.log(`command: \`TIMELINE_ACTORS=${actors.join(',')} node --import tsx bench/timeline-accuracy.ts MODEL\` with a model trained on actors ${Object.keys(rec.config.training.speakers).sort().join(', ')} (\`emovox train --seed 1\`); the recording: ${clips.length} clips of actors ${actors.join(', ')}, ${(samples.length / SAMPLE_RATE / 60).toFixed(1)} min, silences of 0.2–3 s between clips. \`predict\` on the clips alone: ${pct(predictRight, clips.length)}% right.`);
console.log('| context before s | context after s | context fill | smoothing (gap s) | clips right % | agrees with predict on the clip % | speech frames right % | boundary hits % | CPU s per minute of audio |');
console.log('|---|---|---|---|---|---|---|---|---|');
const fillOnly = process.env.TIMELINE_SET === 'fill';
const fills: TimelineOptions[] = [
  { contextBeforeSec: 1, contextAfterSec: 1, contextFill: 'wait' },
  { contextBeforeSec: 1, contextAfterSec: 0.5, contextFill: 'wait' },
  { contextBeforeSec: 1, contextAfterSec: 1, contextFill: 'mirror' },
  { contextBeforeSec: 1, contextAfterSec: 1, contextFill: 'repeat' },
  { contextBeforeSec: 1, contextAfterSec: 1, contextFill: 'noise' },
  { contextBeforeSec: 1, contextAfterSec: 0.75, contextFill: 'mirror' },
  { contextBeforeSec: 1, contextAfterSec: 1.25, contextFill: 'mirror' },
  { contextBeforeSec: 1, contextAfterSec: 1.5, contextFill: 'mirror' },
];
const settings: TimelineOptions[] = fillOnly ? fills : [
  { contextBeforeSec: 0, contextAfterSec: 0 },
  { contextBeforeSec: 0.5, contextAfterSec: 0.5 },
  { contextBeforeSec: 1, contextAfterSec: 1 },
  { contextBeforeSec: 1, contextAfterSec: 0.5 },
  { contextBeforeSec: 1, contextAfterSec: 0.25 },
  { contextBeforeSec: 1.5, contextAfterSec: 0.5 },
  // Smoothing across up to 10 s of silence, so that it acts between these clips.
  { contextBeforeSec: 1, contextAfterSec: 0.5, smoothing: 0.3, smoothingGapSec: 10 },
];
for (const opts of settings) {
  const segments: TimelineSegment[] = [];
  const c0 = process.cpuUsage();
  for await (const s of timeline(rec, bytes, { contextFill: 'wait', ...opts })) segments.push(s);
  const cpu = process.cpuUsage(c0);
  const labels = clips.map((c) => clipLabel(c, segments));
  const right = clips.filter((c, i) => labels[i] === c.emotion).length;
  const agree = clips.filter((c, i) => labels[i] === alone.get(c.file)).length;
  const hits = boundaryHits(clips, segments).hits;
  const cpuPerMin = (cpu.user + cpu.system) / 1e6 / (samples.length / SAMPLE_RATE / 60);
  console.log(`| ${opts.contextBeforeSec} | ${opts.contextAfterSec} | ${opts.contextFill ?? 'wait'} | ${opts.smoothing ? `${opts.smoothing} (${opts.smoothingGapSec})` : 0} | ${pct(right, clips.length)} | ${pct(agree, clips.length)} | ${(100 * frameAccuracy(clips, segments)).toFixed(1)} | ${pct(hits, clips.length)} | ${cpuPerMin.toFixed(2)} |`);
}

if (fillOnly) process.exit(0);

// Long stretches of speech in one emotion: each actor's takes of one emotion, cut to their
// speech and joined with 0.2 s pauses (shorter than --min-silence, so one region of 8–20 s),
// 2 s of silence between stretches. This is where --max-segment matters.
const stretches: PlacedClip[] = [];
const parts: Float32Array[] = [];
let at = 0;
const groups = new Map<string, string[]>();
for (const f of actors.flatMap(actorFiles)) {
  const key = `${parseRavdessName(basename(f)).actor}-${parseRavdessName(basename(f)).emotion}`;
  groups.set(key, [...(groups.get(key) ?? []), f]);
}
const noise = rng(3);
const pause = (sec: number): Float32Array => new Float32Array(Math.round(sec * SAMPLE_RATE)).map(() => (noise() - 0.5) * 2e-4);
for (const [key, group] of groups) {
  parts.push(pause(2));
  at += 2 * SAMPLE_RATE;
  const start = at / SAMPLE_RATE;
  for (const f of group.slice(0, 6)) {
    const x = await loadAudio(f);
    const span = await trimSilence(x, { threshold: 0.5, padMs: 50, chunk: 512 });
    parts.push(x.slice(span.start, span.end), pause(0.2));
    at += span.end - span.start + Math.round(0.2 * SAMPLE_RATE);
  }
  const emotion = key.split('-')[1];
  stretches.push({ file: key, emotion, actor: key.split('-')[0], start, end: at / SAMPLE_RATE, speechStart: start, speechEnd: at / SAMPLE_RATE - 0.2, energyStart: start, energyEnd: at / SAMPLE_RATE });
}
const stretchAudio = new Float32Array(at);
let off = 0;
for (const p of parts) {
  stretchAudio.set(p, off);
  off += p.length;
}
const stretchBytes = wavBytes(stretchAudio);
console.log('');
console.log(`Long stretches of one emotion (${stretches.length} stretches, each actor's first 6 takes of one emotion cut to their speech and joined by 0.2 s pauses, ${(at / SAMPLE_RATE / 60).toFixed(1)} min), by --max-segment:`);
console.log('| max segment s | speech frames right % | segments | CPU s per minute of audio |');
console.log('|---|---|---|---|');
for (const maxSegmentSec of [3, 5, 10, 20]) {
  const segments: TimelineSegment[] = [];
  const c0 = process.cpuUsage();
  for await (const s of timeline(rec, stretchBytes, { maxSegmentSec })) segments.push(s);
  const cpu = process.cpuUsage(c0);
  console.log(`| ${maxSegmentSec} | ${(100 * frameAccuracy(stretches, segments)).toFixed(1)} | ${segments.length} | ${((cpu.user + cpu.system) / 1e6 / (at / SAMPLE_RATE / 60)).toFixed(2)} |`);
}

function pct(k: number, n: number): string {
  return ((100 * k) / n).toFixed(1);
}
