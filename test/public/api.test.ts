// The public API, imported as a user imports it: through the package entry point
// ('emovox' resolves to dist/ by the package's own "exports").
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EmotionRecognizer,
  EmovoxError,
  FeatureExtractor,
  crossValidate,
  evaluateCrossCorpus,
  loadDataset,
  makeRecipe,
  train,
  EMOTIONS,
  SAMPLE_RATE,
  loadAudio,
  type BatchResult,
  type Dataset,
} from 'emovox';
import { actorFiles, smallRavdessCorpus, sum } from '../helpers.js';

const root = mkdtempSync(join(tmpdir(), 'emovox-api-'));
after(() => rmSync(root, { recursive: true, force: true }));
const cacheDir = join(root, 'cache');
// Four actors, two takes of each emotion: 64 files, enough to learn something in seconds.
const corpus = smallRavdessCorpus(join(root, 'corpus'), [1, 2, 3, 4], 2);
const quick = makeRecipe({ head: { ensemble: 2, maxEpochs: 40 } });
let data: Dataset;

test('loadDataset reads a corpus into items with label, speaker and split group, the labels present and a summary', async () => {
  data = await loadDataset(corpus);
  assert.equal(data.items.length, 64);
  assert.deepEqual(data.labels, [...EMOTIONS]);
  assert.deepEqual(new Set(data.speakers), new Set(['01', '02', '03', '04']));
  assert.equal(data.groups.length, 64);
  // A group never spans two speakers: splits by group keep speakers apart.
  for (let i = 0; i < 64; i++) for (let j = 0; j < 64; j++) if (data.groups[i] === data.groups[j]) assert.equal(data.speakers[i], data.speakers[j]);
  assert.equal(data.summary.files, 64);
  assert.equal(data.summary.labels.calm, 8);
  const it = data.items.find((x) => x.relPath.endsWith('03-01-05-01-01-01-02.flac'));
  assert.equal(it?.label, 'angry');
  assert.equal(it?.speaker, '02');
});

test('several corpora load as one dataset, speakers prefixed by corpus, labels the union of theirs', async () => {
  const both = await loadDataset([{ path: join(corpus, 'Actor_01'), name: 'a' }, { path: join(corpus, 'Actor_02'), name: 'b' }]);
  assert.equal(both.items.length, 32);
  assert.deepEqual([...new Set(both.speakers)].sort(), ['a:01', 'b:02']);
  assert.deepEqual(both.summary.corpora, { a: 16, b: 16 });
  assert.equal(both.summary.corpus, 'a+b');
});

test('the feature extractor gives the same vectors from one file, from its samples, and from many files on worker threads, and uses its cache', async () => {
  const files = actorFiles(5).slice(0, 10);
  const inThread = new FeatureExtractor(quick, { cacheDir, workers: 1 });
  const pooled = new FeatureExtractor(quick, { cacheDir, workers: 2 });
  const one = await inThread.processFile(files[3]);
  const progress: number[] = [];
  const many = await pooled.processFiles([...files, join(root, 'missing.wav')], { onProgress: (done) => progress.push(done) });
  assert.equal(many.X.rows, 10);
  assert.equal(many.failures.length, 1);
  assert.equal(many.failures[0].error.code, 'E_NOT_FOUND');
  assert.ok(many.failures[0].error instanceof EmovoxError);
  assert.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual(Array.from(many.kept), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const row3 = many.X.data.subarray(3 * many.X.cols, 4 * many.X.cols);
  assert.deepEqual(Array.from(row3), Array.from(one.values), 'a worker thread makes the same vector');
  assert.equal(many.names.length, one.names.length);
  const again = await inThread.processFiles(files);
  assert.equal(again.cacheHits, 10);
  assert.deepEqual(Array.from(again.X.data), Array.from(many.X.data));
});

test('processFiles can be cancelled with an AbortSignal', async () => {
  const controller = new AbortController();
  const extractor = new FeatureExtractor(quick, { cacheDir: null, workers: 2 });
  const run = extractor.processFiles(actorFiles(6).slice(0, 20), { signal: controller.signal, onProgress: (done) => done === 2 && controller.abort() });
  await assert.rejects(run, { code: 'E_ABORTED' });
});

test('train returns a recogniser that beats chance on actors it never heard, saves a bundle, and loads back identical', async () => {
  const six = await loadDataset(smallRavdessCorpus(join(root, 'six'), [1, 2, 3, 4, 5, 6], 8));
  assert.equal(six.items.length, 360);
  const rec = await train(six, { recipe: quick, cacheDir, seed: 3 });
  assert.deepEqual(rec.labels, [...EMOTIONS]);
  assert.ok(rec.training && rec.training.history.length > 0);
  const unseen = [7, 8, 9].flatMap(actorFiles);
  let right = 0;
  for await (const r of rec.classifyBatch(unseen, { ordered: true })) {
    assert.ok('predictions' in r, 'a real clip is classified');
    if ('predictions' in r && r.predictions[0].label === EMOTIONS[Number(unseen[r.index].split('-').at(-5)) - 1]) right++;
  }
  // Chance is 12.5%; three unseen actors with only six to learn from.
  assert.ok(right / unseen.length > 0.3, `accuracy on unseen actors ${right}/${unseen.length}`);
  const dir = join(root, 'model');
  await rec.save(dir);
  for (const f of ['config.json', 'head.json', 'history.json', 'MODEL_CARD.md']) assert.ok(existsSync(join(dir, f)), f);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).features, quick.features);
  const loaded = await EmotionRecognizer.load(dir);
  assert.deepEqual(loaded.recipe.head, rec.recipe.head);
  for (const f of unseen.slice(0, 3)) assert.deepEqual(await loaded.classify(f), await rec.classify(f));
});

test('crossValidate returns the full grouped result: folds by speaker, accuracy, UAR, confusion matrix, per-speaker scores', async () => {
  const result = await crossValidate(data, { recipe: quick, folds: 4, cacheDir });
  assert.equal(result.protocol.kind, 'grouped-kfold');
  assert.equal(result.protocol.leaky, false);
  assert.equal(result.folds.length, 4);
  for (const f of result.folds) assert.equal(f.testSpeakers.length, 1);
  assert.equal(result.pooled?.confusion.length, 8);
  assert.equal(sum(result.pooled!.confusion.flat()), 64);
  assert.ok(result.summary!.uar.mean > 0.125, `UAR ${result.summary!.uar.mean}`);
  assert.equal(result.pooled?.perSpeaker.length, 4);
  const leaky = await crossValidate(data, { recipe: quick, folds: 4, cacheDir, protocol: 'random' });
  assert.equal(leaky.protocol.leaky, true);
});

test('evaluateCrossCorpus trains on one corpus and tests on another over the labels both have', async () => {
  const other = await loadDataset({ path: smallRavdessCorpus(join(root, 'other'), [7, 8], 1), name: 'other' });
  const noCalm = { ...data, labels: data.labels.filter((l) => l !== 'calm') };
  const result = await evaluateCrossCorpus(noCalm, other, { recipe: quick, cacheDir });
  assert.equal(result.protocol.kind, 'cross-corpus');
  assert.ok(!result.labels.includes('calm'));
  assert.equal(result.pooled?.n, 14);
  assert.deepEqual(result.folds[0].testSpeakers, ['07', '08']);
});

test('classifyBatch gives each input its result or typed error, and the same answers as classify one by one or all at once', async () => {
  const rec = await EmotionRecognizer.load();
  const files = actorFiles(10).slice(0, 9);
  const inputs = [...files.slice(0, 4), join(root, 'nope.wav'), ...files.slice(4)];
  const sequential = [];
  for (const f of files) sequential.push(await rec.classify(f));
  const together = await Promise.all(files.map((f) => rec.classify(f)));
  assert.deepEqual(together, sequential);
  const batch: BatchResult[] = [];
  for await (const r of rec.classifyBatch(inputs, { workers: 2 })) batch.push(r);
  batch.sort((a, b) => a.index - b.index);
  assert.equal(batch.length, 10);
  assert.ok('error' in batch[4] && batch[4].error.code === 'E_NOT_FOUND');
  const good = batch.filter((r) => !('error' in r)).map((r) => ('predictions' in r ? r.predictions : []));
  assert.deepEqual(good, sequential);
});

test('classifySpeakers scores each speaker over its own clips; a speaker with one clip gets a typed error', async () => {
  const rec = await EmotionRecognizer.load((await import('emovox')).SPEAKER_NORMALIZED_MODEL_DIR);
  const a = actorFiles(12).filter((_, i) => i % 12 === 0);
  const items = [...a.map((input) => ({ input, speaker: '12' })), { input: actorFiles(13)[0], speaker: '13' }];
  const results = await rec.classifySpeakers(items);
  assert.equal(results.length, items.length);
  const viaOne = await rec.classifySpeaker(a);
  results.slice(0, a.length).forEach((r, i) => assert.deepEqual('predictions' in r && r.predictions, viaOne[i]));
  const last = results.at(-1)!;
  assert.ok('error' in last && last.error.code === 'E_USAGE');
  await assert.rejects(rec.classify(a[0]), { code: 'E_USAGE' });
});

test('the shipped model returns all 8 emotions, sorted, summing to 1, the same from a path, its bytes and its samples', async () => {
  const rec = await EmotionRecognizer.load();
  assert.deepEqual([...rec.labels].sort(), [...EMOTIONS].sort());
  const file = actorFiles(2)[10];
  const fromPath = await rec.classify(file);
  assert.equal(fromPath.length, 8);
  assert.ok(Math.abs(sum(fromPath.map((p) => p.score)) - 1) < 1e-5);
  for (let i = 1; i < 8; i++) assert.ok(fromPath[i - 1].score >= fromPath[i].score, 'sorted by score');
  assert.deepEqual(await rec.classify(new Uint8Array(readFileSync(file))), fromPath);
  assert.deepEqual(await rec.classify({ samples: await loadAudio(file), sampleRate: SAMPLE_RATE }), fromPath);
  assert.equal((await rec.classify(file, { topK: 3 })).length, 3);
});
