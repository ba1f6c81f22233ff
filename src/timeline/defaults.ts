import type { ResolvedTimelineOptions } from './types.js';

/**
 * The defaults of `timeline()`, chosen by measurement on long recordings made of RAVDESS
 * clips, never on the actors the accuracy is reported on (docs/BENCHMARKS.md, "Timeline"):
 * - segmentation (chunk, thresholds, min silence, min speech) on actors 01–15,
 *   bench/timeline-tune.ts: 96% of clips with both edges within 250 ms;
 * - context and smoothing on actors 01–05 with a model trained on 06–20,
 *   bench/timeline-accuracy.ts: clips right 42% with no context, 71% with 0.5 s each
 *   side, 80% with 1 s each side (predict on the clips alone: 77%); 1 s before and 0.5 s
 *   after gave 72%, so the context after stays 1 s although it costs live latency.
 * The accuracy against the truth is then measured on actors 16–20 with a model trained
 * on 01–15.
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
