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
  const seconds = new Map<string, number>();
  let speech = 0;
  for (const s of segments) {
    const d = s.end - s.start;
    speech += d;
    seconds.set(s.label, (seconds.get(s.label) ?? 0) + d);
  }
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  const emotions = [...seconds].map(([label, sec]) => ({ label, seconds: r3(sec), share: speech > 0 ? r3(sec / speech) : 0 })).sort((a, b) => b.seconds - a.seconds);
  return { durationSec: r3(durationSec), speechSec: r3(speech), segments: segments.length, noSpeech: segments.length === 0, emotions };
}
