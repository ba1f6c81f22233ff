import type { ResolvedTimelineOptions } from './types.js';

/**
 * The defaults of `timeline()`, chosen by measurement on long recordings made of RAVDESS
 * clips, never on the actors the accuracy is reported on (docs/BENCHMARKS.md, "Timeline"):
 * - segmentation (chunk, thresholds, min silence, min speech) on actors 01–15,
 *   bench/timeline-tune.ts: 96% of clips with both edges within 250 ms;
 * - context and smoothing on actors 01–05 with a model trained on 06–20,
 *   bench/timeline-accuracy.ts: clips right 42% with no context, 71% with 0.5 s each
 *   side, 80% with 1 s each side (predict on the clips alone: 77%); 1 s before and 0.5 s
 *   after gave 72%, so the context after stays 1 s; live, it is completed from the
 *   silence that closed the segment instead of waited for (LIVE_CONTEXT_FILL, below).
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
  contextFill: 'wait',
  smoothing: 0,
  smoothingGapSec: 2,
  uncertainBelow: 0.5,
  vadChunk: 1536,
};

/**
 * The context fill `emovox timeline -` uses on standard input, where a segment waiting
 * for its second of context after is a second of latency. Measured on actors 01–05 with a
 * model trained on 06–20 (bench/timeline-accuracy.ts, TIMELINE_SET=fill): clips right
 * 79.3% waiting for 1 s of real audio after the speech, 77.7% with the 0.48 s of silence
 * that closed the segment mirrored to 1 s (the same 89.0% agreement with `predict` on the
 * clip), 76.7% (noise at its level), 75.0% (repeated), 72.0% waiting for 0.5 s only. Files
 * keep waiting (`contextFill: 'wait'`), as the audio after is there anyway.
 */
export const LIVE_CONTEXT_FILL = 'mirror' as const;
