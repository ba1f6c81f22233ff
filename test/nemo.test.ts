import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NAME_PARSERS, scanDataset } from '../src/datasets/index.js';
import { groupKFold, performanceGroups } from '../src/datasets/splits.js';
import { SHARED_DATA } from '../src/paths.js';

const NEMO_16K = join(SHARED_DATA, 'nemo-16k');

test('the nEMO parser reads speaker, emotion and sentence, and maps the six labels onto the eight', () => {
  const r = NAME_PARSERS.nemo('nemo-16k/WR0_surprised_64.flac');
  assert.deepEqual(r, { label: 'surprised', sourceLabel: 'surprised', speaker: 'WR0', fields: { sentence: 64 }, performance: 'nemo:WR0:surprised:64' });
  const mapped = ['anger', 'fear', 'happiness', 'neutral', 'sadness', 'surprised'].map((e) => NAME_PARSERS.nemo(`EB0_${e}_10.wav`).label);
  assert.deepEqual(mapped, ['angry', 'fearful', 'happy', 'neutral', 'sad', 'surprised']);
});

test('a name that is not nEMO is E_BAD_FILENAME with the expected pattern', () => {
  assert.throws(() => NAME_PARSERS.nemo('WR0_calm_64.flac'), (e: Error & { code?: string }) => e.code === 'E_BAD_FILENAME' && /anger\|fear\|happiness/.test(e.message));
  assert.throws(() => NAME_PARSERS.nemo('03-01-05-02-01-01-13.flac'), { code: 'E_BAD_FILENAME' });
  assert.throws(() => NAME_PARSERS.nemo('WR0_anger.flac'), { code: 'E_BAD_FILENAME' });
  // A RAVDESS name is not taken for nEMO, nor the reverse, so auto-detection cannot confuse them.
  assert.throws(() => NAME_PARSERS.ravdess('WR0_anger_64.flac'), { code: 'E_BAD_FILENAME' });
});

test('scanning the shared nEMO half detects the corpus: 2246 files, 9 speakers, 6 labels, no calm or disgust', async () => {
  const m = await scanDataset(NEMO_16K);
  assert.equal(m.corpus, 'nemo');
  assert.equal(m.rows.length, 2246);
  assert.deepEqual(m.dropped, []);
  const bySpeaker = new Map<string, number>();
  for (const r of m.rows) bySpeaker.set(r.speaker as string, (bySpeaker.get(r.speaker as string) ?? 0) + 1);
  assert.deepEqual([...bySpeaker.keys()].sort(), ['EB0', 'IC0', 'KD0', 'KS0', 'MK0', 'MP0', 'SM0', 'TP0', 'WR0']);
  // The shared README: MK0 and MP0 recorded fewer sentences.
  assert.equal(bySpeaker.get('WR0'), 270);
  assert.equal(bySpeaker.get('MP0'), 133);
  const byLabel = new Map<string, number>();
  for (const r of m.rows) byLabel.set(r.label, (byLabel.get(r.label) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries([...byLabel].sort()), { angry: 378, fearful: 366, happy: 373, neutral: 405, sad: 386, surprised: 338 });
  // Grouped folds keep every nEMO speaker on one side.
  const groups = performanceGroups(m.rows);
  for (const { train, test: held } of groupKFold(groups, 3, { seed: 1 })) {
    const trainSpeakers = new Set(Array.from(train, (i) => m.rows[i].speaker));
    for (const i of held) assert.ok(!trainSpeakers.has(m.rows[i].speaker), `speaker ${m.rows[i].speaker} on both sides`);
  }
});

test('a folder of a few nEMO files is auto-detected as nemo, and a name with a label nEMO lacks is reported as a problem', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emovox-nemo-'));
  try {
    mkdirSync(join(dir, 'sub'));
    for (const f of ['EB0_anger_10.flac', 'EB0_sadness_10.flac', 'KD0_fear_10.flac']) copyFileSync(join(NEMO_16K, f), join(dir, 'sub', f));
    copyFileSync(join(NEMO_16K, 'EB0_anger_12.flac'), join(dir, 'sub', 'EB0_boredom_12.flac'));
    const m = await scanDataset(dir);
    assert.equal(m.corpus, 'nemo');
    assert.deepEqual(m.rows.map((r) => `${r.speaker}:${r.label}`).sort(), ['EB0:angry', 'EB0:sad', 'KD0:fearful']);
    const bad = m.problems.find((p) => p.code === 'E_BAD_FILENAME');
    assert.deepEqual(bad?.files, [join('sub', 'EB0_boredom_12.flac')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
