// Live latency: a segment goes out as soon as the silence after it closes it, its context
// after completed from that silence (--context-fill), not a second later.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EmotionRecognizer } from '../src/pipeline.js';
import { timeline, extendTail, TIMELINE_DEFAULTS, type ContextFill, type TimelineSegment } from '../src/timeline/index.js';
import { SAMPLE_RATE } from '../src/types.js';
import { actorFiles } from './helpers.js';
import { buildLongRecording, wavBytes } from './timeline-fixtures.js';

test('extendTail mirrors, repeats or matches the level of the audio it extends', () => {
  const tail = new Float32Array([1, 2, 3]);
  assert.deepEqual([...extendTail(tail, 7, 'mirror')], [1, 2, 3, 3, 2, 1, 1, 2, 3, 3]);
  assert.deepEqual([...extendTail(tail, 4, 'repeat')], [1, 2, 3, 1, 2, 3, 1]);
  assert.deepEqual([...extendTail(tail, 4, 'wait')], [1, 2, 3]);
  assert.equal(extendTail(new Float32Array(0), 4, 'mirror').length, 0);
  const quiet = new Float32Array(4000).map((_, i) => 0.01 * Math.sin(i / 3));
  const noise = extendTail(quiet, 16000, 'noise', 7).subarray(4000);
  const rms = (x: Float32Array): number => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
  assert.ok(Math.abs(rms(noise) / rms(quiet) - 1) < 0.05, `${rms(noise)} against ${rms(quiet)}`);
  assert.deepEqual(extendTail(quiet, 100, 'noise', 7), extendTail(quiet, 100, 'noise', 7));
});

/** Raw s16le PCM fed 20 ms per pull, as a sound card delivers it; `fed()` is the audio handed over so far (s). */
function liveStream(pcm: Uint8Array): { stream: ReadableStream<Uint8Array>; fed: () => number } {
  const step = (2 * SAMPLE_RATE) / 50;
  let at = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (at >= pcm.length) return controller.close();
        controller.enqueue(pcm.slice(at, at + step));
        at += step;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, fed: () => at / 2 / SAMPLE_RATE };
}

test('live, a filled segment comes out before its second of context after has arrived, and equals the library\'s answer on the same input', async () => {
  const rec = await EmotionRecognizer.load();
  const { samples: exact } = await buildLongRecording(actorFiles(18).filter((_, i) => i % 20 === 7), { seed: 6, gapMinSec: 1.5, gapMaxSec: 2.5 });
  const bytes = wavBytes(exact);
  const pcm = bytes.subarray(44);
  const samples = exact.map((v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768))) / 32768);
  const { contextBeforeSec: before, contextAfterSec: after, minSilenceSec, vadChunk } = TIMELINE_DEFAULTS;
  const live = async (fill: ContextFill): Promise<{ s: TimelineSegment; fedSec: number }[]> => {
    const { stream, fed } = liveStream(pcm);
    const out: { s: TimelineSegment; fedSec: number }[] = [];
    for await (const s of timeline(rec, stream, { raw: { encoding: 's16le', sampleRate: SAMPLE_RATE }, contextFill: fill })) out.push({ s, fedSec: fed() });
    return out;
  };

  // Audio time, not wall time: how much of the stream had been handed over when each segment came out.
  const mirrored = await live('mirror');
  assert.ok(mirrored.length >= 3, `${mirrored.length} segments`);
  const closing = Math.round((minSilenceSec * SAMPLE_RATE) / vadChunk) * (vadChunk / SAMPLE_RATE);
  for (const { s, fedSec } of mirrored) assert.ok(fedSec - s.end < closing + 0.1, `segment ending at ${s.end} s came out after ${fedSec} s of audio`);
  const waited = await live('wait');
  // Waiting, a segment goes out once its context after has arrived, or the next speech has begun.
  waited.forEach(({ s, fedSec }, i) => assert.ok(fedSec >= Math.min(s.end + after, waited[i + 1]?.s.start ?? Infinity), `waiting: segment ending at ${s.end} s came out after only ${fedSec} s`));
  assert.ok(waited.some(({ s, fedSec }) => fedSec - s.end >= after));

  // The same segments from the whole recording at once, file or live.
  const whole: TimelineSegment[] = [];
  for await (const s of timeline(rec, bytes, { contextFill: 'mirror' })) whole.push(s);
  assert.deepEqual(mirrored.map((m) => m.s), whole);

  // Each is classify() on: context before (from the previous segment's end at the most), the
  // speech, the silence that closed it, and that silence reflected until the context after is a full second.
  for (const [i, s] of whole.entries()) {
    const [a, e] = [Math.round(Math.max(0, s.start - before, whole[i - 1]?.end ?? 0) * SAMPLE_RATE), Math.round(s.end * SAMPLE_RATE)];
    const tail = samples.slice(e, e + Math.round(closing * SAMPLE_RATE));
    const need = Math.round(after * SAMPLE_RATE) - tail.length;
    const padded = [...samples.slice(a, e), ...tail, ...[...tail].reverse().slice(0, need), ...tail.slice(0, Math.max(0, need - tail.length))];
    const alone = await rec.classify({ samples: Float32Array.from(padded), sampleRate: SAMPLE_RATE });
    assert.equal(s.label, alone[0].label);
    assert.ok(Math.abs(s.score - alone[0].score) < 1e-5, `${s.score} against ${alone[0].score}`);
  }
});
