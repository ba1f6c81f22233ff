import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAudio } from '../src/audio/index.js';
import { trackPitch } from '../src/features/pitch.js';
import { handcraftedFeatures } from '../src/features/handcrafted.js';
import { columnFunctionals, deltas } from '../src/features/functionals.js';
import { speechEmbedding, DEFAULT_EMBEDDING_LAYERS } from '../src/features/embedding.js';
import { speechProbabilities, trimSilence } from '../src/features/vad.js';
import { actorFiles } from './helpers.js';

const tone = (hz: number, seconds: number, amp = 0.5): Float32Array =>
  Float32Array.from({ length: seconds * 16000 }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / 16000));

test('YIN finds 220 Hz in a synthetic voiced signal, and nothing in silence', () => {
  // A voiced-like signal: 220 Hz with harmonics.
  const x = Float32Array.from(tone(220, 1), (v, i) => v + 0.3 * Math.sin((2 * Math.PI * 440 * i) / 16000) + 0.2 * Math.sin((2 * Math.PI * 660 * i) / 16000));
  const { f0 } = trackPitch(x, 160);
  const voiced = Array.from(f0).filter((f) => f > 0);
  assert.ok(voiced.length >= 0.9 * f0.length, `${voiced.length}/${f0.length} frames voiced`);
  for (const f of voiced) assert.ok(Math.abs(f - 220) < 2, `F0 ${f}`);
  assert.ok(Array.from(trackPitch(new Float32Array(16000), 160).f0).every((f) => f === 0));
});

test('the F0 of a real female and male clip lies in their expected ranges', async () => {
  // Actor 02 (female) and 01 (male), neutral statement 1.
  const female = await loadAudio(actorFiles(2)[0]);
  const male = await loadAudio(actorFiles(1)[0]);
  const median = (x: Float32Array): number => {
    const v = Array.from(x).filter((f) => f > 0).sort((a, b) => a - b);
    return v[v.length >> 1];
  };
  const fF = median(trackPitch(female, 320).f0);
  const fM = median(trackPitch(male, 320).f0);
  assert.ok(fF > 150 && fF < 320, `female median F0 ${fF}`);
  assert.ok(fM > 80 && fM < 180, `male median F0 ${fM}`);
});

test('functionals and deltas are what their definitions say', () => {
  const m = { rows: 5, cols: 1, data: Float32Array.from([1, 2, 3, 4, 5]) };
  const [mean, std, p50, slope] = columnFunctionals(m, 0, ['mean', 'std', 'p50', 'slope'], 0.01);
  assert.equal(mean, 3);
  assert.ok(Math.abs(std - Math.sqrt(2)) < 1e-12);
  assert.equal(p50, 3);
  assert.ok(Math.abs(slope - 100) < 1e-9, 'one unit per 10 ms frame is 100 per second');
  // A linear ramp has delta 1 away from the edges.
  assert.ok(Math.abs(deltas(m).data[2] - 1) < 1e-6);
});

test('handcrafted features of a real clip are finite, named, and differ between emotions', async () => {
  const files = actorFiles(3);
  const a = handcraftedFeatures(await loadAudio(files[0]));
  const b = handcraftedFeatures(await loadAudio(files[40]));
  assert.equal(a.names.length, a.values.length);
  assert.equal(new Set(a.names).size, a.names.length, 'names are unique');
  assert.ok(a.values.every(Number.isFinite));
  assert.notDeepEqual(a.values, b.values);
  for (const name of ['f0_st_mean', 'jitter', 'shimmer', 'hnr_db_mean', 'centroid_mean', 'flatness_mean', 'zcr_mean', 'rolloff_mean', 'flux_mean', 'bandwidth_mean', 'rms_db_mean']) {
    assert.ok(a.names.includes(name), name);
  }
});

test('Silero VAD keeps the speech of real clips and drops most of the silence around it, with 512- and 1536-sample chunks', async () => {
  for (const [file, chunk] of [512, 1536].flatMap((c) => [actorFiles(1)[10], actorFiles(8)[30], actorFiles(15)[55]].map((f) => [f, c] as const))) {
    const x = await loadAudio(file);
    const span = await trimSilence(x, { threshold: 0.5, padMs: 100, chunk });
    // Every loud 20 ms frame (above 10% of the loudest) lies inside the span.
    const frame = 320;
    const rms = Array.from({ length: Math.floor(x.length / frame) }, (_, t) => Math.sqrt(x.subarray(t * frame, (t + 1) * frame).reduce((s, v) => s + v * v, 0) / frame));
    const max = Math.max(...rms);
    rms.forEach((r, t) => {
      if (r > 0.1 * max) assert.ok(t * frame >= span.start && (t + 1) * frame <= span.end + frame, `${file}: loud frame at ${(t * frame) / 16000} s outside [${span.start / 16000}, ${span.end / 16000}]`);
    });
    assert.ok(span.start > 0.3 * 16000, `${file}: starts at ${span.start / 16000} s`);
    assert.ok(span.end - span.start <= 0.75 * x.length, `${file}: keeps ${(span.end - span.start) / x.length} of the clip`);
  }
  const silence = new Float32Array(32000);
  assert.ok(Array.from((await speechProbabilities(silence)).probs).every((p) => p < 0.5));
  assert.deepEqual(await trimSilence(silence, { threshold: 0.5, padMs: 100, chunk: 1536 }), { start: 0, end: 32000 });
});

test('speech_embedding gives deterministic pooled activations that differ between clips', async () => {
  const files = actorFiles(5);
  const x = await loadAudio(files[0]);
  const whole = { start: 0, end: x.length };
  const a = await speechEmbedding(x, { layers: DEFAULT_EMBEDDING_LAYERS, speech: whole });
  const again = await speechEmbedding(x, { layers: DEFAULT_EMBEDDING_LAYERS, speech: whole });
  assert.equal(a.names.length, a.values.length);
  assert.ok(a.values.every(Number.isFinite));
  assert.deepEqual(a.values, again.values);
  const y = await loadAudio(files[50]);
  const b = await speechEmbedding(y, { layers: DEFAULT_EMBEDDING_LAYERS, speech: { start: 0, end: y.length } });
  assert.notDeepEqual(a.values, b.values);
  // Shorter than one 760 ms window: zero-padded, still a full vector.
  const short = await speechEmbedding(x, { layers: DEFAULT_EMBEDDING_LAYERS, speech: { start: 20000, end: 24800 } });
  assert.equal(short.values.length, a.values.length);
  assert.ok(short.values.every(Number.isFinite));
});

test('the mel front end in one piece gives exactly the numbers of the whole graph, in pieces the same up to rounding, where clipping per piece would not', async () => {
  const ort = await import('onnxruntime-node');
  const { shippedModelPath } = await import('../src/features/onnx.js');
  const { speechMel } = await import('../src/features/embedding.js');
  // A loud clip, then the same clip 60 dB down, then near-silence: the pieces' loudest values differ by far more than top_db.
  const clip = await loadAudio(actorFiles(3)[20], { sampleRate: 16000 });
  const signal = new Float32Array(clip.length * 3 + 4000);
  signal.set(clip);
  for (let i = 0; i < clip.length; i++) signal[clip.length + i] = clip[i] * 0.001;
  for (let i = 2 * clip.length; i < signal.length; i++) signal[i] = 1e-7 * Math.sin(i);
  const whole = await ort.InferenceSession.create(shippedModelPath('melspectrogram.onnx'));
  const original = async (x: Float32Array) => {
    const out = await whole.run({ input: new ort.Tensor('float32', x.map((v) => v * 32768), [1, x.length]) });
    return Array.from(out.output.data as Float32Array, (v) => Math.fround(v / 10 + 2));
  };
  const expected = await original(signal);
  assert.deepEqual(Array.from((await speechMel(signal)).data), expected, 'one piece');
  for (const chunkFrames of [37, 300]) {
    const mel = await speechMel(signal, chunkFrames);
    assert.equal(mel.rows * 32, expected.length);
    const worst = expected.reduce((m, v, i) => Math.max(m, Math.abs(v - mel.data[i])), 0);
    assert.ok(worst < 1e-5, `chunks of ${chunkFrames} frames: max difference ${worst}`);
  }
  // The clip at (loudest − 80 dB) is global: the graph run on the quiet half alone clips elsewhere.
  const quietHalf = signal.subarray(clip.length);
  const alone = await original(quietHalf);
  const offset = (expected.length / 32 - alone.length / 32) * 32;
  assert.ok(alone.some((v, i) => Math.abs(v - expected[offset + i]) > 1), 'the quiet part alone clips differently');
});

test('run from source (as here, through tsx), the extractor\'s worker threads load and give the in-thread vectors', async () => {
  const { FeatureExtractor } = await import('../src/features/extractor.js');
  const { makeRecipe } = await import('../src/model/recipe.js');
  const files = actorFiles(2).slice(0, 8); // 8: the smallest batch that goes to the worker pool
  const pooled = await new FeatureExtractor(makeRecipe(), { cacheDir: null, workers: 2 }).processFiles(files);
  const inThread = await new FeatureExtractor(makeRecipe(), { cacheDir: null, workers: 1 }).processFiles(files);
  assert.equal(pooled.failures.length, 0);
  assert.equal(pooled.X.rows, 8);
  assert.deepEqual(Array.from(pooled.X.data), Array.from(inThread.X.data));
});
