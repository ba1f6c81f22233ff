import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { EmotionRecognizer } from '../src/pipeline.js';
import { decodeAudio, ffmpegPath, findMediaFiles, sniff } from '../src/audio/index.js';
import { EmovoxError } from '../src/errors.js';
import { runFfmpeg, writeHostileCorpus, type HostileEntry } from './hostile-corpus.js';
import { actorFiles, RAVDESS_16K } from './helpers.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');
/** A stack trace line, as Node prints them: "    at fn (file:line:col)". */
const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

// One corpus for the tests of this file, made once.
let corpusDir = '';
let corpus: HostileEntry[] = [];
before(() => {
  corpusDir = mkdtempSync(join(tmpdir(), 'emovox-hostile-'));
  corpus = writeHostileCorpus(join(corpusDir, 'corpus'), { withFfmpeg: true });
});
after(() => rmSync(corpusDir, { recursive: true, force: true }));

function withCorpus(fn: (dir: string, entries: HostileEntry[]) => Promise<void>): () => Promise<void> {
  return () => fn(corpusDir, corpus);
}

test(
  'every hostile input gets its own error code from the library, each within 10 s',
  withCorpus(async (_dir, entries) => {
    const rec = await EmotionRecognizer.load();
    const wrong: string[] = [];
    for (const e of entries) {
      const t0 = performance.now();
      let got: string;
      try {
        const predictions = await rec.classify(e.path);
        got = predictions.length === 8 ? 'ok' : `${predictions.length} predictions`;
      } catch (err) {
        got = err instanceof EmovoxError ? err.code : `untyped ${String(err)}`;
      }
      const ms = performance.now() - t0;
      if (got !== e.expect || ms > 10_000) wrong.push(`${e.path} (${e.note}): expected ${e.expect}, got ${got} in ${ms.toFixed(0)} ms`);
    }
    assert.deepEqual(wrong, []);
    assert.ok(entries.length >= 90, `the corpus has ${entries.length} entries`);
  }),
);

test(
  'one `predict --json` over the whole hostile corpus: one line per input with its code, the good file predicted, no stack trace, within 90 s',
  withCorpus(async (_dir, entries) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [BIN, 'predict', '--json', '--', ...entries.map((e) => e.path)], { encoding: 'utf8', timeout: 90_000, maxBuffer: 1 << 24 });
    const seconds = (performance.now() - t0) / 1000;
    assert.equal(r.signal, null, `predict was killed after ${seconds.toFixed(0)} s (a hang?)`);
    assert.equal(r.status, 1, r.stderr);
    assert.doesNotMatch(r.stderr, STACK_LINE);
    assert.equal(r.stderr.trim(), '', 'nothing on stderr with --json');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; predictions?: { label: string; score: number }[]; error?: { code: string; message: string } });
    // An empty folder is walked and yields no file, hence no line.
    assert.equal(lines.length, entries.filter((e) => !e.folder).length, 'one line per input');
    const byFile = new Map(lines.map((l) => [l.file, l]));
    const wrong = entries.filter((e) => !e.folder && (byFile.get(e.path)?.error?.code ?? (byFile.get(e.path)?.predictions?.length === 8 ? 'ok' : 'missing')) !== e.expect);
    assert.deepEqual(wrong.map((e) => `${e.path}: expected ${e.expect}, got ${JSON.stringify(byFile.get(e.path))}`), []);
    const good = byFile.get(actorFiles(3)[10]);
    assert.equal(good?.predictions?.length, 8);
    for (const l of lines) if (l.error) assert.ok(l.error.message.length > 20 && !STACK_LINE.test(l.error.message), l.error.message);
  }),
);

test(
  'a folder walk reports named pipes, links to devices, dangling links and link loops instead of skipping them',
  withCorpus(async (dir) => {
    const { files, problems } = await findMediaFiles([join(dir, 'corpus')]);
    const codes = Object.fromEntries(problems.map((p) => [p.file.split('/').pop(), p.error.code]));
    assert.deepEqual(codes, { 'dangling.wav': 'E_NOT_FOUND', 'fifo.wav': 'E_NOT_REGULAR', 'loop-a.wav': 'E_LINK_LOOP', 'loop-b.wav': 'E_LINK_LOOP', 'zero-link.wav': 'E_NOT_REGULAR' });
    assert.ok(files.some((f) => f.endsWith('text.wav')));
    assert.ok(!files.some((f) => /fifo|dangling|loop-|zero-link/.test(f)));
  }),
);

test('the magic-byte sniffer tells media from text, images, archives and random bytes', () => {
  const b = (s: string | number[]) => (typeof s === 'string' ? new Uint8Array(Buffer.from(s, 'latin1')) : Uint8Array.from(s));
  assert.deepEqual(sniff(b('RIFF\0\0\0\0WAVEfmt ')), { kind: 'wav' });
  assert.deepEqual(sniff(b('fLaC\0\0\0\x22')), { kind: 'flac' });
  for (const media of ['OggS\0\x02', 'ID3\x04\0', '\0\0\0\x20ftypM4A ', '\x1a\x45\xdf\xa3\x01', 'RIFF\0\0\0\0AVI LIST']) assert.equal(sniff(b(media)).kind, 'media', media);
  assert.equal(sniff(b([0xff, 0xfb, 0x90, 0x64])).kind, 'media'); // an MP3 frame header
  assert.deepEqual(sniff(b('hello, world\n')), { kind: 'other', what: 'text' });
  assert.deepEqual(sniff(b('\x89PNG\r\n\x1a\n')), { kind: 'other', what: 'a PNG image' });
  assert.equal(sniff(b('\0\0\0\x18ftypheic')).kind, 'other'); // an iPhone photo, in an MP4-like box
  assert.match((sniff(b([0x13, 0x37, 0xde, 0xad, 0xbe, 0xef, 0, 1])) as { what: string }).what, /13 37 de ad/);
});

test('ffmpeg output stops at the duration limit, and a file named pipe:0 is read as a file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emovox-ff-'));
  try {
    const m4a = join(dir, 'pipe:0.m4a');
    runFfmpeg(['-i', `file:${actorFiles(7)[0]}`, '-c:a', 'aac', `file:${m4a}`]);
    const full = await decodeAudio(m4a);
    assert.ok(full.samples.length / full.sampleRate > 3, 'the whole clip decodes through ffmpeg');
    await assert.rejects(decodeAudio(m4a, { maxDurationSec: 1 }), { code: 'E_TOO_LONG' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('`predict … | head -1`: a reader closing the pipe early ends emovox normally (exit 0, no EPIPE trace)', async () => {
  const child = spawn(process.execPath, [BIN, 'predict', '--json', ...actorFiles(5).slice(0, 12)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const first = await new Promise<string>((resolve) => child.stdout.once('data', (c: Buffer) => resolve(c.toString())));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.match(first, /"predictions"/);
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /EPIPE|STACK/);
  assert.doesNotMatch(stderr, STACK_LINE);
});

test('after classify(), an unrelated error in the host program exits the normal way (code 1, its own message), not through tfjs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emovox-host-'));
  try {
    const script = join(dir, 'host.mts');
    writeFileSync(
      script,
      `import { EmotionRecognizer } from ${JSON.stringify(join(PACKAGE_ROOT, 'src', 'pipeline.ts'))};
const rec = await EmotionRecognizer.load();
await rec.classify(${JSON.stringify(actorFiles(6)[0])});
console.log('listeners', process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection'));
setTimeout(() => { throw new Error('the host program failed on its own'); }, 10);
`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: PACKAGE_ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.match(r.stdout, /listeners 0 0/);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /the host program failed on its own/);
    assert.doesNotMatch(r.stderr, /tfjs|tf-backend-wasm/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a FLAC whose last frame is short decodes whole: the same sample count as ffmpeg gives', async () => {
  // These five RAVDESS files end in a 314-sample frame, which codec-parser dropped at flush.
  const names = ['Actor_08/03-01-02-01-01-01-08', 'Actor_09/03-01-08-01-02-02-09', 'Actor_11/03-01-04-02-01-02-11', 'Actor_20/03-01-01-01-02-01-20', 'Actor_20/03-01-08-02-02-02-20'];
  for (const name of names) {
    const file = join(RAVDESS_16K, `${name}.flac`);
    const ours = (await decodeAudio(file)).samples.length;
    const ff = spawnSync(ffmpegPath(), ['-nostdin', '-v', 'error', '-i', `file:${file}`, '-f', 'f32le', '-'], { maxBuffer: 1 << 24 });
    assert.equal(ours, ff.stdout.length / 4, name);
  }
});
