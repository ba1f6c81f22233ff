import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegPath, loadAudio, decodeAudio, parseWavHeader } from '../../src/audio/index.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { RAVDESS_16K, RAVDESS_48K, snrDb } from '../helpers.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');
const emovox = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

/** Largest normalised cross-correlation of b against a over lags within ±maxLag samples. */
function bestCorrelation(a: Float32Array, b: Float32Array, maxLag: number): number {
  let best = -1;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = Math.max(0, -lag); i < a.length && i + lag < b.length; i++) {
      const x = a[i];
      const y = b[i + lag];
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    best = Math.max(best, ab / Math.sqrt(aa * bb));
  }
  return best;
}

test('extract-audio pulls the audio track out of an MP4, keeps the RAVDESS name, and skips a corrupt video', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emovox-extract-'));
  const name = '03-01-05-02-01-01-01';
  const source = join(RAVDESS_48K, 'Actor_01', `${name}.wav`);
  const videos = join(dir, 'videos');
  mkdirSync(join(videos, 'other'), { recursive: true });
  // A blank video with the shared recording as its AAC audio track, named as RAVDESS names its videos.
  const mp4 = join(videos, `01-01-05-02-01-01-01.mp4`);
  const made = spawnSync(ffmpegPath(), ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=64x64:r=10', '-i', source, '-shortest', '-c:v', 'libx264', '-c:a', 'aac', '-b:a', '128k', '-y', mp4]);
  assert.equal(made.status, 0, String(made.stderr));
  // Same base name in another folder, as a MOV: must not overwrite the first output.
  copyFileSync(mp4, join(videos, 'other', '01-01-05-02-01-01-01.mov'));
  writeFileSync(join(videos, 'broken.mp4'), Buffer.from('this is not a video at all'));
  const out = join(dir, 'wav');

  const r = emovox(['extract-audio', videos, '--out', out, '--json']);
  assert.equal(r.status, 1, 'one input failed, so the exit code is 1');
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 3);
  const failed = lines.filter((l) => l.error);
  assert.equal(failed.length, 1);
  assert.match(failed[0].input, /broken\.mp4$/);
  assert.match(failed[0].error.code, /^E_(DECODE|UNSUPPORTED|FFMPEG)$/);
  assert.deepEqual(readdirSync(out).sort(), ['01-01-05-02-01-01-01-2.wav', '01-01-05-02-01-01-01.wav']);

  const bytes = readFileSync(join(out, '01-01-05-02-01-01-01.wav'));
  const header = parseWavHeader(bytes);
  assert.deepEqual([header.format, header.bitsPerSample, header.sampleRate, header.channels], ['pcm', 16, 16000, 1]);
  return (async () => {
    const extracted = (await decodeAudio(bytes)).samples;
    const reference = await loadAudio(source);
    assert.ok(Math.abs(extracted.length - reference.length) < 16000 * 0.1, `${extracted.length} vs ${reference.length} samples`);
    const corr = bestCorrelation(reference, extracted, 1600);
    assert.ok(corr > 0.99, `correlation ${corr.toFixed(4)}`);
  })();
});

test('extract-audio turns the 48 kHz originals into the 16 kHz files of the shared set', async () => {
  const out = mkdtempSync(join(tmpdir(), 'emovox-extract48-'));
  const r = emovox(['extract-audio', join(RAVDESS_48K, 'Actor_01'), '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const names = readdirSync(out).sort();
  assert.equal(names.length, 60);
  const snrs: number[] = [];
  for (const n of names) {
    const ours = await decodeAudio(join(out, n));
    assert.equal(ours.sampleRate, 16000);
    const sox = await loadAudio(join(RAVDESS_16K, 'Actor_01', n.replace('.wav', '.flac')));
    assert.ok(Math.abs(ours.samples.length - sox.length) <= 2, n);
    snrs.push(snrDb(sox, ours.samples));
  }
  snrs.sort((a, b) => a - b);
  assert.ok(snrs[30] >= 35, `median SNR ${snrs[30].toFixed(1)} dB`);
  assert.ok(snrs[0] >= 30, `worst SNR ${snrs[0].toFixed(1)} dB`);
  // A second run leaves the outputs alone and says so.
  const again = emovox(['extract-audio', join(RAVDESS_48K, 'Actor_01'), '--out', out, '--json']);
  assert.equal(again.status, 0);
  assert.ok(again.stdout.trim().split('\n').every((l) => JSON.parse(l).status === 'exists'));
});

test('dataset scan --json prints counts per label and speaker and the problems', () => {
  const r = emovox(['dataset', 'scan', RAVDESS_16K, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.corpus, 'ravdess');
  assert.equal(s.files, 1200);
  assert.equal(Object.keys(s.speakers).length, 20);
  assert.equal(s.speakers['07'], 60);
  assert.deepEqual(s.labels, { angry: 160, calm: 160, disgust: 160, fearful: 160, happy: 160, neutral: 80, sad: 160, surprised: 160 });
  assert.equal(s.fields.intensity.strong, 560);
  assert.deepEqual(s.problems.map((p: { code: string }) => p.code), ['DUPLICATE_PERFORMANCE']);
  const human = emovox(['dataset', 'scan', RAVDESS_16K, '--corpus', 'ravdess']);
  assert.match(human.stdout, /1200 files, 20 speakers/);
  assert.match(human.stdout, /DUPLICATE_PERFORMANCE/);
  assert.equal(emovox(['dataset', 'scan', RAVDESS_16K, '--corpus', 'nonsense']).status, 2);
});
