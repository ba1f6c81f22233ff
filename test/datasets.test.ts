import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, copyFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NAME_PARSERS, normalizeLabel, parseRavdessName, readManifestCsv, scanDataset } from '../src/datasets/index.js';
import { groupKFold } from '../src/datasets/splits.js';
import { EMOTIONS } from '../src/types.js';
import { actorFiles, RAVDESS_16K } from './helpers.js';

test('the RAVDESS parser reads all seven fields and the sex from the actor number', () => {
  const r = parseRavdessName('/x/Actor_12/03-01-06-02-02-01-12.wav');
  assert.deepEqual(r, {
    modality: 'audio-only',
    vocalChannel: 'speech',
    emotion: 'fearful',
    intensity: 'strong',
    statement: 'Dogs are sitting by the door',
    repetition: 1,
    actor: '12',
    sex: 'female',
  });
  assert.equal(parseRavdessName('01-02-08-01-01-02-07.mp4').modality, 'full-av');
  assert.equal(parseRavdessName('01-02-08-01-01-02-07.mp4').vocalChannel, 'song');
  assert.equal(parseRavdessName('01-02-08-01-01-02-07.mp4').sex, 'male');
});

test('a malformed RAVDESS name is E_BAD_FILENAME naming the field and the allowed values', () => {
  assert.throws(() => parseRavdessName('03-01-09-01-01-01-01.wav'), (e: Error & { code?: string }) => e.code === 'E_BAD_FILENAME' && /emotion/.test(e.message) && /01 neutral/.test(e.message));
  assert.throws(() => parseRavdessName('03-01-05-01-01-01-25.wav'), (e: Error & { code?: string }) => e.code === 'E_BAD_FILENAME' && /actor/.test(e.message) && /01–24/.test(e.message));
  assert.throws(() => parseRavdessName('03-01-05-01-01.wav'), (e: Error & { code?: string }) => e.code === 'E_BAD_FILENAME' && /7 two-digit fields/.test(e.message));
  // The dataset's own rule: neutral has no strong intensity.
  assert.throws(() => parseRavdessName('03-01-01-02-01-01-01.wav'), (e: Error & { code?: string }) => e.code === 'E_BAD_FILENAME' && /neutral has no strong intensity/.test(e.message));
});

test('other corpora map onto the 8 classes, and labels without a counterpart are dropped', () => {
  assert.equal(NAME_PARSERS.tess('OAF_back_angry.wav').label, 'angry');
  assert.equal(NAME_PARSERS.tess('YAF_dog_ps.wav').label, 'surprised');
  assert.equal(NAME_PARSERS.tess('YAF_dog_ps.wav').speaker, 'YAF');
  const c = NAME_PARSERS['crema-d']('1001_DFA_ANG_XX.wav');
  assert.deepEqual([c.label, c.speaker, c.fields.sentence, c.fields.level], ['angry', '1001', 'DFA', 'XX']);
  const e = NAME_PARSERS.emodb('03a01Fa.wav');
  assert.deepEqual([e.label, e.speaker, e.fields.text], ['happy', '03', 'a01']);
  assert.equal(NAME_PARSERS.emodb('03a01La.wav').label, null, 'boredom has no counterpart');
  assert.deepEqual([NAME_PARSERS.savee('DC_a01.wav').label, NAME_PARSERS.savee('DC_a01.wav').speaker], ['angry', 'DC']);
  assert.equal(NAME_PARSERS.savee('JK_su12.wav').label, 'surprised');
  assert.equal(NAME_PARSERS.savee('JK_sa12.wav').label, 'sad');
  assert.throws(() => NAME_PARSERS.savee('XX_a01.wav'), { code: 'E_BAD_FILENAME' });
  assert.equal(normalizeLabel('Happiness'), 'happy');
  assert.equal(normalizeLabel('contempt'), null);
});

test('scanning the shared RAVDESS finds 1200 files, 20 speakers, the exact label counts and the identical pair', async () => {
  const m = await scanDataset(RAVDESS_16K);
  assert.equal(m.corpus, 'ravdess');
  assert.equal(m.rows.length, 1200);
  const speakers = new Set(m.rows.map((r) => r.speaker));
  assert.equal(speakers.size, 20);
  for (const s of speakers) assert.equal(m.rows.filter((r) => r.speaker === s).length, 60, `actor ${s}`);
  for (const label of EMOTIONS) {
    assert.equal(m.rows.filter((r) => r.label === label).length, label === 'neutral' ? 80 : 160, label);
  }
  const dups = m.problems.filter((p) => p.code === 'DUPLICATE_PERFORMANCE');
  assert.equal(dups.length, 1, JSON.stringify(dups));
  assert.deepEqual(
    dups[0].files.map((f) => f.split('/').pop()).sort(),
    ['03-01-03-01-02-01-07.flac', '03-01-03-01-02-02-07.flac'],
  );
  const [a, b] = m.rows.filter((r) => dups[0].files.includes(r.relPath));
  assert.equal(a.performance, b.performance);
  assert.equal(m.problems.filter((p) => p.code !== 'DUPLICATE_PERFORMANCE').length, 0);
});

test('the audio-only file and the audio of its video are one performance, and a split keeps them together', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emovox-ds-'));
  const src = actorFiles(1);
  // Actor 01's first 8 takes as audio-only, plus the "from video" (01-…) copy of two of them.
  for (const f of src.slice(0, 8)) copyFileSync(f, join(dir, f.split('/').pop() as string));
  copyFileSync(src[8], join(dir, '01-' + (src[0].split('/').pop() as string).slice(3)));
  copyFileSync(src[9], join(dir, '01-' + (src[1].split('/').pop() as string).slice(3)));
  for (const f of actorFiles(2).slice(0, 8)) copyFileSync(f, join(dir, f.split('/').pop() as string));
  const m = await scanDataset(dir);
  assert.equal(m.rows.length, 18);
  const dup = m.problems.filter((p) => p.code === 'DUPLICATE_PERFORMANCE');
  assert.equal(dup.length, 2);
  for (const p of dup) assert.equal(p.files.length, 2);
  const key = (name: string): string => (m.rows.find((r) => r.relPath === name) as { performance: string }).performance;
  const first = src[0].split('/').pop() as string;
  assert.equal(key(first), key('01-' + first.slice(3)));
  // Even a split that ignores speakers (one group per performance) cannot separate the copies.
  const ids = [...new Set(m.rows.map((r) => r.performance))];
  const folds = groupKFold(Int32Array.from(m.rows, (r) => ids.indexOf(r.performance)), 3, { seed: 1 });
  for (const f of folds) {
    const testSet = new Set(Array.from(f.test, (i) => m.rows[i].performance));
    for (const i of f.train) assert.ok(!testSet.has(m.rows[i].performance));
  }
});

test('folders per label with a speaker regex, a CSV manifest, and unreadable files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emovox-folders-'));
  const [f1, f2, f3] = actorFiles(3);
  for (const [label, spk, f] of [['angry', 'anna', f1], ['Happiness', 'bob', f2], ['angry', 'bob', f3], ['boredom', 'anna', f1]] as const) {
    mkdirSync(join(dir, label), { recursive: true });
    copyFileSync(f, join(dir, label, `${spk}_take.flac`));
  }
  writeFileSync(join(dir, 'angry', 'carl_empty.wav'), '');
  const m = await scanDataset(dir, { speakerRegex: '/(\\w+?)_' });
  assert.equal(m.corpus, 'folders');
  assert.deepEqual(m.rows.map((r) => [r.label, r.speaker]).sort(), [['angry', 'anna'], ['angry', 'bob'], ['happy', 'bob']]);
  assert.deepEqual(m.dropped.map((d) => d.file), [join('boredom', 'anna_take.flac')]);
  const unreadable = m.problems.find((p) => p.code === 'E_UNREADABLE');
  assert.deepEqual(unreadable?.files, [join('angry', 'carl_empty.wav')]);
  assert.ok(m.problems.some((p) => p.code === 'SINGLE_LABEL_SPEAKER' && p.files.every((f) => f.includes('anna'))));

  const csv = join(dir, 'manifest.csv');
  writeFileSync(csv, `path,label,speaker\n"angry/anna_take.flac",anger,anna\nangry/bob_take.flac,angry,bob\nHappiness/bob_take.flac,happy,bob\n`);
  const c = await scanDataset(csv);
  assert.equal(c.corpus, 'csv');
  assert.deepEqual(c.rows.map((r) => `${r.label}/${r.speaker}`).sort(), ['angry/anna', 'angry/bob', 'happy/bob']);
  assert.throws(() => readManifestCsv('a.wav\n', 'm.csv'), { code: 'E_BAD_DATASET' });
});

test('a corpus assembled from symbolic links is scanned through them, and a link loop ends', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emovox-links-'));
  symlinkSync(join(RAVDESS_16K, 'Actor_01'), join(dir, 'Actor_01'));
  symlinkSync(join(RAVDESS_16K, 'Actor_02'), join(dir, 'Actor_02'));
  symlinkSync(dir, join(dir, 'loop'));
  symlinkSync(join(dir, 'missing'), join(dir, 'dangling'));
  const m = await scanDataset(dir);
  assert.equal(m.corpus, 'ravdess');
  assert.equal(m.rows.length, 120);
  assert.deepEqual([...new Set(m.rows.map((r) => r.speaker))].sort(), ['01', '02']);
});
