import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { EMOTIONS } from '../../src/types.js';
import { actorFiles } from '../helpers.js';
import { buildLongRecording, wavBytes } from '../timeline-fixtures.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');
const root = mkdtempSync(join(tmpdir(), 'emovox-timeline-cli-'));
const emovox = (args: string[], input?: Uint8Array) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, timeout: 120_000, maxBuffer: 1 << 24 });
let wav: Uint8Array;
let file: string;

before(async () => {
  const { samples } = await buildLongRecording(actorFiles(20).filter((_, i) => i % 15 === 2), { seed: 1, gapMinSec: 0.5, gapMaxSec: 1.5 });
  wav = wavBytes(samples);
  file = join(root, 'talk.wav');
  writeFileSync(file, wav);
});
after(() => rmSync(root, { recursive: true, force: true }));

test('timeline writes well-formed WebVTT, SRT, CSV and Audacity labels, with the same segments in each', () => {
  const vtt = emovox(['timeline', file, '--format', 'vtt']);
  assert.equal(vtt.status, 0, vtt.stderr);
  assert.match(vtt.stdout, /^WEBVTT\n\n/);
  const cues = [...vtt.stdout.matchAll(/^(\d+)\n(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\n(\w+\??) \((0\.\d\d|1\.00)\)\n$/gm)];
  assert.ok(cues.length >= 3, vtt.stdout);
  assert.deepEqual(cues.map((c) => Number(c[1])), cues.map((_, i) => i + 1));
  for (const c of cues) assert.ok(c[2] < c[3] && EMOTIONS.includes(c[4].replace('?', '') as (typeof EMOTIONS)[number]));
  assert.match(vtt.stderr, /speech [\d.]+ s of [\d.]+ s in \d+ segments: \w+ \d+%/);

  const out = join(root, 'out');
  const srt = emovox(['timeline', file, '--format', 'srt', '--out', out + '/']);
  assert.equal(srt.status, 0, srt.stderr);
  const srtText = readFileSync(join(out, 'talk.srt'), 'utf8');
  const srtCues = srtText.trim().split('\n\n');
  assert.equal(srtCues.length, cues.length);
  srtCues.forEach((cue, i) => assert.match(cue, new RegExp(`^${i + 1}\\n\\d\\d:\\d\\d:\\d\\d,\\d{3} --> \\d\\d:\\d\\d:\\d\\d,\\d{3}\\n\\w+\\??\\s\\(`)));

  const csv = emovox(['timeline', file, '--format', 'csv']);
  assert.equal(csv.status, 0, csv.stderr);
  const [header, ...rows] = csv.stdout.trim().split('\n');
  assert.deepEqual(header.split(','), ['start', 'end', 'label', 'score', 'uncertain', ...EMOTIONS]);
  assert.equal(rows.length, cues.length);
  for (const r of rows) {
    const f = r.split(',');
    assert.equal(f.length, 5 + EMOTIONS.length);
    const scores = f.slice(5).map(Number);
    assert.ok(Math.abs(scores.reduce((a, b) => a + b, 0) - 1) < 1e-4);
    assert.equal(Number(f[3]), Math.max(...scores));
  }

  const aud = emovox(['timeline', file, '--format', 'audacity']);
  assert.equal(aud.status, 0, aud.stderr);
  const labels = aud.stdout.trim().split('\n').map((l) => l.split('\t'));
  assert.equal(labels.length, cues.length);
  for (const [s, e, l] of labels) assert.ok(Number(s) < Number(e) && /^\w+\??\s\(/.test(l));
});

test('timeline - reads raw PCM and WAV on standard input, and prints JSON Lines with a summary', () => {
  const raw = emovox(['timeline', '-', '--raw', 's16le', '--rate', '16000', '--json'], wav.subarray(44));
  assert.equal(raw.status, 0, raw.stderr);
  const lines = raw.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const segments = lines.filter((l) => 'label' in l);
  const summary = lines[lines.length - 1].summary;
  assert.ok(segments.length >= 3);
  for (const s of segments) {
    assert.equal(s.file, 'stdin');
    assert.equal(s.scores.length, 8);
    assert.equal(typeof s.uncertain, 'boolean');
  }
  assert.equal(summary.segments, segments.length);
  assert.equal(summary.noSpeech, false);
  const viaWav = emovox(['timeline', '-', '--format', 'jsonl'], wav);
  assert.equal(viaWav.status, 0, viaWav.stderr);
  assert.equal(viaWav.stdout, raw.stdout);
  const json = JSON.parse(emovox(['timeline', file, '--format', 'json']).stdout);
  assert.deepEqual(json.segments.map((s: { start: number }) => s.start), segments.map((s) => s.start));
});

test('timeline over a folder writes one file per input; silence gives an empty timeline that says so; bad usage exits 2', () => {
  const dir = join(root, 'folder');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.wav'), wav);
  writeFileSync(join(dir, 'quiet.wav'), wavBytes(new Float32Array(16000 * 5)));
  const r = emovox(['timeline', dir, '--format', 'jsonl', '--out', join(root, 'folder-out')]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(join(root, 'folder-out')).sort(), ['a.jsonl', 'quiet.jsonl']);
  const quiet = readFileSync(join(root, 'folder-out', 'quiet.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(quiet.length, 1);
  assert.equal(quiet[0].summary.noSpeech, true);
  assert.match(r.stderr, /no speech found in 5\.0 s of audio/);
  const bad = emovox(['timeline', '-', '--raw', 's16le']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /E_USAGE: --raw needs --rate/);
});

test('a folder walk reports a named pipe and a dangling link among the files, and the timeline of the good file still comes', () => {
  const dir = join(root, 'walk');
  mkdirSync(dir);
  writeFileSync(join(dir, 'good.flac'), readFileSync(actorFiles(17)[3]));
  spawnSync('mkfifo', [join(dir, 'pipe.wav')]);
  spawnSync('ln', ['-s', join(dir, 'nowhere.wav'), join(dir, 'dangling.wav')]);
  const r = emovox(['timeline', dir, '--json']);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const errors = Object.fromEntries(lines.filter((l) => l.error).map((l) => [l.file.split('/').pop(), l.error.code]));
  assert.deepEqual(errors, { 'dangling.wav': 'E_NOT_FOUND', 'pipe.wav': 'E_NOT_REGULAR' });
  assert.ok(lines.some((l) => !l.error && l.label), 'a segment of the good file');
});
