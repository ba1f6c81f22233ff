// The README's library examples, run as written (as .mjs, with `emovox` installed as a
// dependency would be) and type-checked as TypeScript against the package's types.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav16, loadAudio } from 'emovox';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { ffmpegPath } from '../../src/audio/ffmpeg.js';
import { actorFiles, smallRavdessCorpus } from '../helpers.js';

const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
const library = readme.slice(readme.indexOf('## Library\n'), readme.indexOf('\n## ', readme.indexOf('## Library\n') + 5));
const blocks = [...library.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

const dir = mkdtempSync(join(tmpdir(), 'emovox-readme-'));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(PACKAGE_ROOT, join(dir, 'node_modules', 'emovox'));
writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
const run = (file: string) => spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', env: { ...process.env, EMOVOX_CACHE_DIR: join(dir, 'cache') }, timeout: 600_000 });

test('the README has the two library examples', () => {
  assert.equal(blocks.length, 2);
  assert.match(blocks[1], /loadDataset[\s\S]*crossValidate[\s\S]*train[\s\S]*save[\s\S]*EmotionRecognizer\.load[\s\S]*classifyBatch/);
});

test('the README examples type-check against the published types', () => {
  blocks.forEach((b, i) => writeFileSync(join(dir, `example${i}.mts`), b));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(PACKAGE_ROOT, 'node_modules', '@types')] }, include: ['*.mts'] }));
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('the README\'s training program runs as written: trains, cross-validates, saves, loads and classifies a batch', async () => {
  smallRavdessCorpus(join(dir, 'my-corpus'), [1, 2, 3, 4], 2);
  const source = actorFiles(9)[40];
  writeFileSync(join(dir, 'clip.wav'), encodeWav16([await loadAudio(source)], 16000));
  const mp3 = spawnSync(ffmpegPath(), ['-v', 'error', '-i', join(dir, 'clip.wav'), '-b:a', '64k', join(dir, 'clip.mp3')]);
  assert.equal(mp3.status, 0, String(mp3.stderr));
  writeFileSync(join(dir, 'broken.wav'), 'RIFF, but then only text\n');
  writeFileSync(join(dir, 'example1.mjs'), blocks[1]);
  const r = run('example1.mjs');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^64 files, labels neutral calm happy sad angry fearful disgust surprised, problems: none$/);
  assert.match(lines[1], /^accuracy \d+\.\d%, UAR \d+\.\d%$/);
  const confusion = JSON.parse(lines[2].replace('confusion (rows: true label): ', ''));
  assert.equal(confusion.flat().reduce((a: number, b: number) => a + b), 64);
  assert.equal(lines[3], 'features of 64 files');
  assert.match(lines[4], /^0 (neutral|calm|happy|sad|angry|fearful|disgust|surprised) 0\.\d\d$/);
  assert.match(lines[5], /^1 (neutral|calm|happy|sad|angry|fearful|disgust|surprised) 0\.\d\d$/);
  assert.equal(lines[6], '2 E_DECODE');
  assert.ok(existsSync(join(dir, 'my-model', 'config.json')));
});

test('the README\'s first example classifies a clip with the shipped model', () => {
  writeFileSync(join(dir, 'example0.mjs'), blocks[0]);
  if (!existsSync(join(dir, 'clip.wav'))) writeFileSync(join(dir, 'clip.wav'), readFileSync(actorFiles(9)[40]));
  const r = run('example0.mjs');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /label: '(neutral|calm|happy|sad|angry|fearful|disgust|surprised)', score: 0\.\d+/);
  assert.equal((r.stdout.match(/label:/g) ?? []).length, 3);
});
