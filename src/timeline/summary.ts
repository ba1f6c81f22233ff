import type { TimelineSegment } from './types.js';

export interface TimelineSummary {
  /** Seconds of audio read. */
  durationSec: number;
  /** Seconds inside segments, and their number. */
  speechSec: number;
  segments: number;
  /** True when no segment was found: the recording holds no speech the VAD could hear. */
  noSpeech: boolean;
  /** Each emotion's share of the speech time (by the segments' best labels), largest first. */
  emotions: { label: string; seconds: number; share: number }[];
}

/**
 * The share of speech time per emotion over a timeline's segments.
 * @example
 * const run = timeline(rec, 'call.wav');
 * const segments = []; for await (const s of run) segments.push(s);
 * summarizeTimeline(segments, run.durationSec); // { speechSec, emotions: [{ label: 'neutral', share: 0.62, … }] }
 */
export function summarizeTimeline(segments: TimelineSegment[], durationSec: number): TimelineSummary {
  const acc = new SummaryAccumulator();
  for (const s of segments) acc.add(s);
  return acc.summary(durationSec);
}

/**
 * The same summary kept as segments stream past, without holding them.
 * @example
 * const acc = new SummaryAccumulator();
 * for await (const s of run) acc.add(s);
 * acc.summary(run.durationSec);
 */
export class SummaryAccumulator {
  private readonly seconds = new Map<string, number>();
  private speech = 0;
  private count = 0;

  add(s: TimelineSegment): void {
    const d = s.end - s.start;
    this.speech += d;
    this.count++;
    this.seconds.set(s.label, (this.seconds.get(s.label) ?? 0) + d);
  }

  summary(durationSec: number): TimelineSummary {
    const r3 = (x: number): number => Math.round(x * 1000) / 1000;
    const speech = this.speech;
    const emotions = [...this.seconds].map(([label, sec]) => ({ label, seconds: r3(sec), share: speech > 0 ? r3(sec / speech) : 0 })).sort((a, b) => b.seconds - a.seconds);
    return { durationSec: r3(durationSec), speechSec: r3(speech), segments: this.count, noSpeech: this.count === 0, emotions };
  }
}
