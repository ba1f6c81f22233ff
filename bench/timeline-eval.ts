/**
 * Scoring a timeline against the truth of a long recording made of RAVDESS clips:
 * shared by the timeline benchmarks and tests.
 */
import type { PlacedClip } from '../test/timeline-fixtures.js';

export interface Span {
  start: number;
  end: number;
}

/** Per clip: the segments overlapping its speech, and whether their outer edges fall within `tolSec` of its speech's. */
export function boundaryHits<S extends Span>(clips: PlacedClip[], segments: S[], tolSec = 0.25): { hits: number; startErr: number[]; endErr: number[]; pieces: number[]; spurious: number; missed: number } {
  const startErr: number[] = [];
  const endErr: number[] = [];
  const pieces: number[] = [];
  let hits = 0;
  let missed = 0;
  const used = new Set<number>();
  for (const c of clips) {
    const idx = segments.map((s, i) => (s.end > c.speechStart && s.start < c.speechEnd ? i : -1)).filter((i) => i >= 0);
    pieces.push(idx.length);
    if (idx.length === 0) {
      missed++;
      continue;
    }
    idx.forEach((i) => used.add(i));
    const start = Math.min(...idx.map((i) => segments[i].start));
    const end = Math.max(...idx.map((i) => segments[i].end));
    startErr.push(start - c.speechStart);
    endErr.push(end - c.speechEnd);
    if (Math.abs(start - c.speechStart) <= tolSec && Math.abs(end - c.speechEnd) <= tolSec) hits++;
  }
  return { hits, startErr, endErr, pieces, spurious: segments.length - used.size, missed };
}

/** The label a timeline gives a clip: the label of the segment that overlaps its speech the longest. */
export function clipLabel<S extends Span & { label: string }>(clip: PlacedClip, segments: S[]): string | null {
  let best: S | null = null;
  let bestOverlap = 0;
  for (const s of segments) {
    const overlap = Math.min(s.end, clip.speechEnd) - Math.max(s.start, clip.speechStart);
    if (overlap > bestOverlap) {
      best = s;
      bestOverlap = overlap;
    }
  }
  return best?.label ?? null;
}

/** Share of the clips' speech time (in 10 ms frames) whose covering segment has the clip's true label. */
export function frameAccuracy<S extends Span & { label: string }>(clips: PlacedClip[], segments: S[]): number {
  let right = 0;
  let total = 0;
  let j = 0;
  const sorted = [...segments].sort((a, b) => a.start - b.start);
  for (const c of clips) {
    for (let t = c.speechStart + 0.005; t < c.speechEnd; t += 0.01) {
      total++;
      while (j > 0 && sorted[j - 1].end > t) j--;
      while (j < sorted.length && sorted[j].end <= t) j++;
      if (j < sorted.length && sorted[j].start <= t && sorted[j].label === c.emotion) right++;
    }
  }
  return total ? right / total : 0;
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}
