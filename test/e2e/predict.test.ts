import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { actorFiles, RAVDESS_16K, sum } from '../helpers.js';
import { encodeWav16, ffmpegPath } from '../../src/audio/index.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');
const emovox = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

test('predict --json prints one line per file; a corrupt file yields one error line and exit 1 while the others succeed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emovox-predict-'));
  try {
    const good = actorFiles(11).slice(0, 3);
    for (const f of good) await copyFile(f, join(dir, f.split('/').pop()!));
    await writeFile(join(dir, 'broken.wav'), 'this is not audio at all, just text renamed to .wav\n');
    await writeFile(join(dir, 'empty.wav'), '');
    await writeFile(join(dir, 'silent.wav'), encodeWav16([new Float32Array(32000)], 16000));
    const r = emovox(['predict', dir, '--json']);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 6);
    const errors = Object.fromEntries(lines.filter((l) => l.error).map((l) => [l.file.split('/').pop(), l.error.code]));
    assert.deepEqual(errors, { 'broken.wav': 'E_DECODE', 'empty.wav': 'E_EMPTY_AUDIO', 'silent.wav': 'E_EMPTY_AUDIO' });
    for (const l of lines.filter((x) => !x.error)) {
      assert.equal(l.predictions.length, 8);
      assert.ok(Math.abs(sum(l.predictions.map((p: { score: number }) => p.score)) - 1) < 1e-4);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('predict prints a table per file and exits 0; --top-k limits the rows', () => {
  const file = actorFiles(12)[20];
  const r = emovox(['predict', file, '--top-k', '2']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes(file));
  const rows = r.stdout.split('\n').filter((l) => /^(neutral|calm|happy|sad|angry|fearful|disgust|surprised)\s/.test(l));
  assert.equal(rows.length, 2);
});

test('predict with a bad option value is a usage error (exit 2)', () => {
  const r = emovox(['predict', actorFiles(12)[0], '--top-k', 'zero']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /top-k/);
});

test('predict on a missing file reports E_NOT_FOUND and exits 1', () => {
  const r = emovox(['predict', '/nonexistent/clip.wav', '--json']);
  assert.equal(r.status, 1);
  assert.equal(JSON.parse(r.stdout.trim()).error.code, 'E_NOT_FOUND');
});

test('--uncertain-below marks exactly the files whose top score is below the threshold', () => {
  const files = actorFiles(14).slice(0, 6);
  for (const threshold of ['0.6', '1']) {
    const r = emovox(['predict', ...files, '--json', '--top-k', '1', '--uncertain-below', threshold]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 6);
    for (const l of lines) assert.equal(l.uncertain, l.predictions[0].score < Number(threshold));
    if (threshold === '1') assert.ok(lines.every((l) => l.uncertain === true));
  }
  assert.equal(emovox(['predict', files[0], '--uncertain-below', '1.5']).status, 2);
});

test('predict --speaker-normalize scores each speaker over its own clips; a speaker with one clip is an error line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emovox-spk-'));
  try {
    const clips = [...actorFiles(15).filter((_, i) => i % 6 === 0), ...actorFiles(16).filter((_, i) => i % 6 === 0), actorFiles(17)[0]];
    for (const f of clips) await copyFile(f, join(dir, f.split('/').pop()!));
    const r = emovox(['predict', dir, '--speaker-normalize', '--json']);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, clips.length);
    const bad = lines.filter((l) => l.error);
    assert.deepEqual(bad.map((l) => l.file.split('/').pop()), [actorFiles(17)[0].split('/').pop()]);
    assert.match(bad[0].error.message, /^speaker 17: speaker normalisation needs at least 2 clips of each speaker, got 1/);
    for (const l of lines.filter((x) => !x.error)) assert.ok(Math.abs(sum(l.predictions.map((p: { score: number }) => p.score)) - 1) < 1e-4);

    // The plain model refuses to be used that way, and the other way round.
    assert.equal(emovox(['predict', dir, '--speaker-normalize', '--model', join(PACKAGE_ROOT, 'models', 'default')]).status, 2);
    assert.equal(emovox(['predict', clips[0], '--model', join(PACKAGE_ROOT, 'models', 'speaker-normalized')]).status, 2);
    // Files that are not RAVDESS-named need --speaker or --speaker-regex.
    await copyFile(clips[0], join(dir, 'interview.flac'));
    const named = emovox(['predict', dir, '--speaker-normalize', '--json']);
    assert.match(named.stdout, /"file":"[^"]*interview.flac","error":\{"code":"E_USAGE","message":"cannot tell the speaker/);
    const one = emovox(['predict', join(dir, 'interview.flac'), clips[1], clips[2], '--speaker-normalize', '--speaker', 'me', '--json']);
    assert.equal(one.status, 0, one.stderr);
    assert.equal(one.stdout.trim().split('\n').length, 3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('predict reads the audio of a video and of an MP3, and gives the answer it gives for the original recording', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emovox-formats-'));
  try {
    const source = join(RAVDESS_16K, 'Actor_13', '03-01-05-02-01-01-13.flac');
    const mp4 = join(dir, 'clip.mp4');
    const mp3 = join(dir, 'clip.mp3');
    const video = spawnSync(ffmpegPath(), ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=64x64:r=10', '-i', source, '-shortest', '-c:v', 'libx264', '-c:a', 'aac', '-b:a', '128k', '-y', mp4]);
    assert.equal(video.status, 0, String(video.stderr));
    const audio = spawnSync(ffmpegPath(), ['-v', 'error', '-i', source, '-b:a', '128k', '-y', mp3]);
    assert.equal(audio.status, 0, String(audio.stderr));
    const r = emovox(['predict', source, mp4, mp3, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const [original, ...coded] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    for (const c of coded) {
      assert.equal(c.predictions[0].label, original.predictions[0].label, `${c.file} has the same top emotion`);
      assert.ok(Math.abs(c.predictions[0].score - original.predictions[0].score) < 0.1, `${c.file}: ${c.predictions[0].score} vs ${original.predictions[0].score}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
