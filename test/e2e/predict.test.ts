import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { actorFiles, sum } from '../helpers.js';
import { encodeWav16 } from '../../src/audio/index.js';

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
