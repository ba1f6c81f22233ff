import { decodePcmStream, type ByteSource } from '../audio/stream.js';
import { StreamingVad } from '../features/vad.js';
import { EmovoxError, toEmovoxError } from '../errors.js';
import { toPredictions } from '../pipeline.js';
import { SAMPLE_RATE } from '../types.js';
import { AudioRing } from './ring.js';
import { SpeechSegmenter, type SpeechRegion } from './segment.js';
import { TIMELINE_DEFAULTS } from './defaults.js';
import { CONTEXT_FILLS, extendTail } from './fill.js';
import type { ResolvedTimelineOptions, SegmentClassifier, TimelineOptions, TimelineSegment } from './types.js';

export { TIMELINE_DEFAULTS, LIVE_CONTEXT_FILL } from './defaults.js';
export { CONTEXT_FILLS, extendTail, type ContextFill } from './fill.js';
export { speechRegions, SpeechSegmenter, type SpeechRegion, type SegmentationOptions } from './segment.js';
export { summarizeTimeline, SummaryAccumulator, type TimelineSummary } from './summary.js';
export type { TimelineSegment, TimelineOptions, SegmentClassifier } from './types.js';

/** Audio is fed to the VAD and the segmenter in blocks of at most this many samples (1 s). */
const BLOCK = SAMPLE_RATE;

/**
 * The emotion timeline of a long recording or a live stream, as an async iterable of
 * segments that come out as soon as each closes (and its context after it has arrived),
 * while later audio is still being read. Audio is decoded, resampled and segmented as it
 * arrives (see `decodePcmStream`); only the open segment and its context are held, so
 * memory does not grow with the length. `durationSec` is the audio read so far. A stream
 * that stops short yields the segments decoded until then and throws an EmovoxError; a
 * stream with no speech yields nothing.
 * @example
 * const rec = await EmotionRecognizer.load();
 * for await (const s of timeline(rec, 'interview.mp4')) console.log(s.start, s.end, s.label, s.score);
 */
export function timeline(recognizer: SegmentClassifier, input: ByteSource, options: TimelineOptions = {}): TimelineRun {
  return new TimelineRun(recognizer, input, options);
}

export class TimelineRun implements AsyncIterable<TimelineSegment> {
  /** Samples read so far (at 16 kHz). */
  private samples = 0;
  readonly options: ResolvedTimelineOptions;

  constructor(
    private readonly recognizer: SegmentClassifier,
    private readonly input: ByteSource,
    options: TimelineOptions,
  ) {
    this.options = resolveOptions(options);
    if (recognizer.config.sampleRate !== SAMPLE_RATE) throw new EmovoxError('E_MODEL', `the timeline runs Silero VAD at ${SAMPLE_RATE} Hz, but this model works at ${recognizer.config.sampleRate} Hz: use a 16 kHz model`);
    if (recognizer.config.speakerNormalize) throw new EmovoxError('E_USAGE', 'this model was trained on features standardised per speaker, which a timeline cannot provide: use a model trained without --speaker-normalize');
  }

  /** Seconds of audio read so far; the whole length once iteration has finished. */
  get durationSec(): number {
    return this.samples / SAMPLE_RATE;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TimelineSegment> {
    const o = this.options;
    const sr = SAMPLE_RATE;
    const vad = new StreamingVad(o.vadChunk);
    const seg = new SpeechSegmenter(o, o.vadChunk, sr);
    const before = Math.round(o.contextBeforeSec * sr);
    const after = Math.round(o.contextAfterSec * sr);
    // The open segment (at most maxSegmentSec), its context and padding on both sides, the
    // silence that closes it, and one block of slack.
    const ring = new AudioRing(Math.ceil((o.maxSegmentSec + o.contextBeforeSec + Math.max(o.contextAfterSec, o.minSilenceSec) + 2 * o.padSec) * sr) + 2 * BLOCK + o.vadChunk);
    // `right` is where the real audio given with a segment ends; up to `fillTo`, the
    // context after it is made from the non-speech audio seen after the speech.
    const pending: { region: SpeechRegion; left: number; right: number; fillTo: number }[] = [];
    let previousEnd = 0;
    let previous: { end: number; probs: Float32Array } | null = null;
    const classify = async (p: (typeof pending)[number]): Promise<TimelineSegment | null> => {
      const tail = ring.slice(p.region.end, p.right);
      const audio = concat(ring.slice(p.left, p.region.end), extendTail(tail, p.fillTo - p.right, o.contextFill, p.region.end));
      let values: Float32Array;
      try {
        values = (await this.recognizer.features(audio)).values;
      } catch (e) {
        if ((e as EmovoxError).code === 'E_EMPTY_AUDIO') return null; // digital silence the VAD let through
        throw e;
      }
      let probs = this.recognizer.probabilities(values, 1);
      if (o.smoothing > 0 && previous && p.region.start - previous.end <= o.smoothingGapSec * sr) {
        const prev = previous.probs;
        probs = probs.map((v, i) => (1 - o.smoothing) * v + o.smoothing * prev[i]);
      }
      previous = { end: p.region.end, probs };
      return toSegment(p.region, probs, this.recognizer.config.labels, o.uncertainBelow);
    };
    const accept = (regions: SpeechRegion[]): void => {
      for (const region of regions) {
        // Context stops where the neighbouring utterance's speech starts or ends.
        const left = region.continued ? region.start - before : Math.max(region.start - before, previousEnd);
        const full = region.end + after;
        // Filled, a segment closed by silence goes out at once instead of waiting for its
        // context after; a piece cut from longer speech still waits: what follows it is speech.
        const right = o.contextFill !== 'wait' && !region.cut ? Math.min(full, region.closedAt) : full;
        pending.push({ region, left: Math.max(0, left), right, fillTo: full });
        previousEnd = region.end;
      }
    };
    let failure: unknown = null;
    try {
      for await (const decoded of decodePcmStream(this.input, { raw: o.raw, file: o.file })) {
        for (let i = 0; i < decoded.length; i += BLOCK) {
          const block = decoded.subarray(i, i + BLOCK);
          ring.push(block);
          this.samples += block.length;
          if (o.maxDurationSec !== undefined && this.samples > o.maxDurationSec * sr) {
            throw new EmovoxError('E_TOO_LONG', `${o.file ?? 'the stream'} is longer than the limit of ${o.maxDurationSec} s: raise the limit or leave it out`, { file: o.file });
          }
          for (const prob of await vad.push(block)) accept(seg.push(prob));
          const onset = seg.speechStart;
          while (pending.length) {
            const p = pending[0];
            if (onset !== null && onset > p.region.end && !p.region.cut) p.right = Math.min(p.right, onset);
            if (ring.end < p.right) break;
            pending.shift();
            const s = await classify(p);
            if (s) yield s;
          }
        }
      }
    } catch (e) {
      failure = e;
    }
    if (!(failure instanceof EmovoxError && failure.code === 'E_TOO_LONG')) {
      for (const prob of await vad.flush()) accept(seg.push(prob));
      accept(seg.flush(this.samples));
      while (pending.length) {
        const s = await classify(pending.shift()!);
        if (s) yield s;
      }
    }
    if (failure) throw toEmovoxError(failure, 'E_DECODE', o.file);
  }
}

function resolveOptions(options: TimelineOptions): ResolvedTimelineOptions {
  const o = { ...TIMELINE_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as ResolvedTimelineOptions;
  const check = (ok: boolean, what: string): void => {
    if (!ok) throw new EmovoxError('E_USAGE', `timeline option ${what}`);
  };
  check(o.threshold > 0 && o.threshold < 1, `threshold must be between 0 and 1, got ${o.threshold}`);
  check(o.minSilenceSec > 0, `minSilenceSec must be above 0, got ${o.minSilenceSec}`);
  check(o.minSpeechSec >= 0, `minSpeechSec must be 0 or more, got ${o.minSpeechSec}`);
  check(o.maxSegmentSec >= 1 && o.maxSegmentSec <= 600, `maxSegmentSec must be between 1 and 600, got ${o.maxSegmentSec}`);
  check(o.padSec >= 0 && o.padSec <= 2, `padSec must be between 0 and 2, got ${o.padSec}`);
  check(o.contextBeforeSec >= 0 && o.contextBeforeSec <= 10, `contextBeforeSec must be between 0 and 10, got ${o.contextBeforeSec}`);
  check(o.contextAfterSec >= 0 && o.contextAfterSec <= 10, `contextAfterSec must be between 0 and 10, got ${o.contextAfterSec}`);
  check(o.smoothing >= 0 && o.smoothing < 1, `smoothing must be in [0, 1), got ${o.smoothing}`);
  check(o.uncertainBelow >= 0 && o.uncertainBelow <= 1, `uncertainBelow must be between 0 and 1, got ${o.uncertainBelow}`);
  check((CONTEXT_FILLS as readonly string[]).includes(o.contextFill), `contextFill must be one of ${CONTEXT_FILLS.join(', ')}, got ${o.contextFill}`);
  check(o.maxDurationSec === undefined || o.maxDurationSec > 0, `maxDurationSec must be above 0, got ${o.maxDurationSec}`);
  return o;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const ms = (x: number): number => Math.round(x * 1000) / 1000;

function toSegment(region: SpeechRegion, probs: Float32Array, labels: string[], uncertainBelow: number): TimelineSegment {
  const scores = toPredictions(probs, labels).map((p) => ({ label: p.label, score: Math.round(p.score * 1e6) / 1e6 }));
  return { start: ms(region.start / SAMPLE_RATE), end: ms(region.end / SAMPLE_RATE), label: scores[0].label, score: scores[0].score, scores, uncertain: scores[0].score < uncertainBelow };
}
