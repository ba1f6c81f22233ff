import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { EmotionRecognizer } from '../src/pipeline.js';
import { loadAudio, resample } from '../src/audio/index.js';
import { ffmpegPath } from '../src/audio/ffmpeg.js';
import { decodePcmStream } from '../src/audio/stream.js';
import { ResampleStream } from '../src/audio/resample.js';
import { speechProbabilities, StreamingVad } from '../src/features/vad.js';
import { timeline, speechRegions, summarizeTimeline, TIMELINE_DEFAULTS, type TimelineSegment } from '../src/timeline/index.js';
import { AudioRing } from '../src/timeline/ring.js';
import { SAMPLE_RATE } from '../src/types.js';
import { actorFiles, RAVDESS_48K } from './helpers.js';
import { buildLongRecording, mixedClips, wavBytes } from './timeline-fixtures.js';
import { boundaryHits } from '../bench/timeline-eval.js';

async function collect(stream: AsyncIterable<Float32Array>): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const p of stream) parts.push(p);
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

test('the streaming resampler gives what resample() gives on the whole signal, block by block', async () => {
  const x = await loadAudio(`${RAVDESS_48K}/Actor_01/03-01-01-01-01-01-01.wav`, { sampleRate: 44100 });
  const rs = new ResampleStream(44100, 16000);
  const parts: Float32Array[] = [];
  for (let i = 0; i < x.length; i += 3001) parts.push(rs.push(x.subarray(i, i + 3001)));
  parts.push(rs.end());
  const streamed = await collect((async function* () { yield* parts; })());
  const whole = await resample(x, 44100, 16000);
  assert.equal(streamed.length, whole.length);
  assert.ok(maxDiff(streamed, whole) < 1e-6, `max difference ${maxDiff(streamed, whole)}`);
});

test('decodePcmStream decodes FLAC, WAV at 48 kHz, raw PCM and (through ffmpeg) MP3 as loadAudio does', async () => {
  const flac = actorFiles(16)[0];
  assert.equal(maxDiff(await collect(decodePcmStream(flac)), await loadAudio(flac)), 0);
  const wav48 = `${RAVDESS_48K}/Actor_01/03-01-02-01-01-01-01.wav`;
  const fromStream = await collect(decodePcmStream(Readable.from([readFileSync(wav48)])));
  const reference = await loadAudio(wav48);
  assert.equal(fromStream.length, reference.length);
  assert.ok(maxDiff(fromStream, reference) < 1e-6);
  // Raw s16le, cut at odd byte offsets so that samples straddle chunks.
  const pcm = wavBytes(reference).subarray(44);
  const pieces = [pcm.subarray(0, 1001), pcm.subarray(1001, 5000), pcm.subarray(5000)];
  const raw = await collect(decodePcmStream(Readable.from(pieces), { raw: { encoding: 's16le', sampleRate: 16000 } }));
  assert.equal(raw.length, reference.length);
  assert.ok(maxDiff(raw, reference) < 1 / 32768 + 1e-7);
  const mp3 = spawnSync(ffmpegPath(), ['-loglevel', 'error', '-i', flac, '-f', 'mp3', 'pipe:1'], { maxBuffer: 1 << 24 }).stdout;
  const viaFfmpeg = await collect(decodePcmStream(new Uint8Array(mp3)));
  assert.ok(Math.abs(viaFfmpeg.length - (await loadAudio(flac)).length) < 0.1 * SAMPLE_RATE, 'MP3 decodes to about the length of its source');
});

test('streaming Silero VAD gives the probabilities of the whole-signal VAD, whatever the block sizes', async () => {
  const x = await loadAudio(actorFiles(17)[5]);
  const whole = await speechProbabilities(x, 1536);
  const vad = new StreamingVad(1536);
  const got: number[] = [];
  for (let i = 0; i < x.length; i += 1000) got.push(...(await vad.push(x.subarray(i, i + 1000))));
  got.push(...(await vad.flush()));
  assert.equal(got.length, whole.probs.length);
  assert.ok(got.every((p, i) => Math.abs(p - whole.probs[i]) < 1e-6));
});

test('segmentation merges short gaps, drops short blips, and cuts long speech at its quietest chunk', () => {
  const hop = 1600; // 0.1 s per chunk at 16 kHz
  const opts = { threshold: 0.5, minSilenceSec: 0.3, minSpeechSec: 0.25, maxSegmentSec: 2, padSec: 0 };
  const p = (s: string): number[] => [...s].map((c) => (c === '#' ? 0.9 : c === '+' ? 0.6 : 0.1));
  // 1 s speech, 0.2 s gap (merged), 0.5 s speech, 1 s silence, 0.2 s blip (dropped), silence.
  const a = speechRegions(p('##########..#####..........##........'), hop, 16000, opts, 36 * hop);
  assert.deepEqual(a.map((r) => [r.start / hop, r.end / hop]), [[0, 17]]);
  // 3 s of speech with a weaker chunk at 1.5 s: cut there (within the 2 s limit), then the rest.
  const b = speechRegions(p('###############+##############.....'), hop, 16000, opts, 35 * hop);
  assert.deepEqual(b.map((r) => [r.start / hop, r.end / hop, r.cut, r.continued]), [[0, 15, true, false], [15, 30, false, true]]);
  for (const r of b) assert.ok(r.end - r.start <= 2 * 16000);
});

test('the audio ring returns what was pushed, addressed by stream position, and forgets the oldest', () => {
  const ring = new AudioRing(10);
  ring.push(Float32Array.from({ length: 7 }, (_, i) => i));
  ring.push(Float32Array.from({ length: 7 }, (_, i) => 7 + i));
  assert.equal(ring.end, 14);
  assert.equal(ring.start, 4);
  assert.deepEqual([...ring.slice(0, 14)], [4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  assert.deepEqual([...ring.slice(8, 11)], [8, 9, 10]);
});

test('on a long recording of clips with random silences, segment edges fall within 250 ms of each clip\'s speech, and each segment gets what classify() gives its audio with context', async () => {
  const rec = await EmotionRecognizer.load();
  const files = mixedClips([16, 17, 18, 19, 20].map((a) => actorFiles(a).filter((_, i) => i % 8 === 3)), 4);
  const { samples: exact, clips } = await buildLongRecording(files, { seed: 8, gapMinSec: 0.2, gapMaxSec: 3 });
  // The samples as the 16-bit WAV carries them, for classify() below.
  const samples = exact.map((v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768))) / 32768);
  const run = timeline(rec, wavBytes(exact));
  const segments: TimelineSegment[] = [];
  for await (const s of run) segments.push(s);
  assert.ok(Math.abs(run.durationSec - samples.length / SAMPLE_RATE) < 1e-3);
  const b = boundaryHits(clips, segments);
  assert.ok(b.hits >= 0.9 * clips.length, `${b.hits} of ${clips.length} clips have both edges within 250 ms`);
  assert.equal(b.missed, 0);

  // The classifier sees the segment with context on each side, stopping at the neighbours' speech.
  const { contextBeforeSec: before, contextAfterSec: after } = TIMELINE_DEFAULTS;
  let compared = 0;
  for (const [i, s] of segments.entries()) {
    const prev = segments[i - 1]?.end ?? 0;
    const next = segments[i + 1]?.start ?? Infinity;
    if (s.start - before < prev || s.end + after > next) continue; // context clipped by a neighbour
    const from = Math.round((s.start - before) * SAMPLE_RATE);
    const to = Math.min(samples.length, Math.round((s.end + after) * SAMPLE_RATE));
    const alone = await rec.classify({ samples: samples.slice(Math.max(0, from), to), sampleRate: SAMPLE_RATE });
    assert.equal(s.label, alone[0].label);
    assert.ok(Math.abs(s.score - alone[0].score) < 1e-5);
    compared++;
  }
  assert.ok(compared >= 0.8 * segments.length, `${compared} of ${segments.length} segments had unclipped context`);
  const summary = summarizeTimeline(segments, run.durationSec);
  assert.ok(Math.abs(summary.emotions.reduce((a, e) => a + e.share, 0) - 1) < 0.01);
});

test('Node Readable, web ReadableStream and Buffer inputs give the same segments', async () => {
  const rec = await EmotionRecognizer.load();
  const { samples } = await buildLongRecording(actorFiles(18).slice(20, 23), { seed: 3, gapMinSec: 0.5, gapMaxSec: 1 });
  const bytes = wavBytes(samples);
  const all = async (input: Parameters<typeof timeline>[1]): Promise<TimelineSegment[]> => {
    const out: TimelineSegment[] = [];
    for await (const s of timeline(rec, input)) out.push(s);
    return out;
  };
  const fromBuffer = await all(bytes);
  assert.ok(fromBuffer.length >= 3);
  assert.deepEqual(await all(Readable.from([bytes.subarray(0, 777), bytes.subarray(777)])), fromBuffer);
  const web = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 10_000) controller.enqueue(bytes.slice(i, i + 10_000));
      controller.close();
    },
  });
  assert.deepEqual(await all(web), fromBuffer);
});

test('a WAV or FLAC stream that stops mid-file yields the segments decoded so far, then E_DECODE; silence yields none', async () => {
  const rec = await EmotionRecognizer.load();
  const { samples } = await buildLongRecording(actorFiles(19).slice(0, 4), { seed: 2, gapMinSec: 0.5, gapMaxSec: 1 });
  const wav = wavBytes(samples);
  // Written to a file, so that the encoder can seek back and put the length in STREAMINFO.
  const dir = mkdtempSync(join(tmpdir(), 'emovox-timeline-'));
  let flac: Uint8Array;
  try {
    spawnSync(ffmpegPath(), ['-loglevel', 'error', '-f', 'wav', '-i', 'pipe:0', join(dir, 'x.flac')], { input: wav });
    flac = new Uint8Array(readFileSync(join(dir, 'x.flac')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const [name, bytes] of [['wav', wav], ['flac', flac]] as const) {
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    const got: TimelineSegment[] = [];
    await assert.rejects(async () => {
      for await (const s of timeline(rec, cut)) got.push(s);
    }, { code: 'E_DECODE', message: /truncated/ });
    assert.ok(got.length >= 2, `${name}: ${got.length} segments before the error`);
    assert.ok(got.every((s) => s.end <= 0.61 * (samples.length / SAMPLE_RATE)));
  }
  const silence = new Float32Array(20 * SAMPLE_RATE).map(() => (Math.random() - 0.5) * 1e-4);
  const run = timeline(rec, wavBytes(silence));
  const none: TimelineSegment[] = [];
  for await (const s of run) none.push(s);
  assert.equal(none.length, 0);
  assert.equal(summarizeTimeline(none, run.durationSec).noSpeech, true);
  assert.equal(run.durationSec, 20);
});
