import type { ResolvedTimelineOptions } from './types.js';

/**
 * The defaults of `timeline()`, chosen by measurement on long recordings made of RAVDESS
 * clips of actors 01–15 (bench/timeline-tune.ts; docs/BENCHMARKS.md, "Timeline"). The
 * accuracy figures are then measured on actors 16–20.
 */
export const TIMELINE_DEFAULTS: Omit<ResolvedTimelineOptions, 'raw' | 'maxDurationSec' | 'file' | 'negThreshold'> = {
  threshold: 0.5,
  minSilenceSec: 0.5,
  minSpeechSec: 0.25,
  maxSegmentSec: 10,
  padSec: 0,
  contextBeforeSec: 1,
  contextAfterSec: 1,
  smoothing: 0,
  smoothingGapSec: 2,
  uncertainBelow: 0.5,
  vadChunk: 1536,
};
