import type { Prediction } from '../types.js';
import type { RawPcmFormat } from '../audio/stream.js';
import type { SegmentationOptions } from './segment.js';
import type { ContextFill } from './fill.js';

/** One analysed stretch of speech in a long recording or a live stream. */
export interface TimelineSegment {
  /** Seconds from the start of the stream. */
  start: number;
  end: number;
  /** The most likely emotion and its score. */
  label: string;
  score: number;
  /** Every label, sorted by score, summing to 1. */
  scores: Prediction[];
  /** True when `score` is below `uncertainBelow`. */
  uncertain: boolean;
}

/** What `timeline()` needs of a recogniser: an `EmotionRecognizer` is one. */
export interface SegmentClassifier {
  readonly config: { sampleRate: number; labels: string[]; speakerNormalize?: boolean };
  features(samples: Float32Array): Promise<{ values: Float32Array }>;
  probabilities(values: Float32Array, rows?: number): Float32Array;
}

export interface TimelineOptions extends Partial<SegmentationOptions> {
  /** Audio before each segment's speech given to the classifier with it (s). */
  contextBeforeSec?: number;
  /** Audio after each segment's speech given to the classifier with it (s); a segment waits for it. */
  contextAfterSec?: number;
  /**
   * How the context after a segment is completed when the segment goes out as soon as the
   * silence after it has closed it: 'wait' for the real audio, or fill it from the
   * background already seen after the speech ('mirror', 'repeat', 'noise'; see fill.ts).
   */
  contextFill?: ContextFill;
  /** Weight of the previous segment's smoothed scores in a segment's scores (0 = off, < 1). */
  smoothing?: number;
  /** Smoothing resets across a silence longer than this (s). */
  smoothingGapSec?: number;
  /** A segment whose best score is below this is marked uncertain. */
  uncertainBelow?: number;
  /** Samples per Silero VAD call at 16 kHz: 512, 1024 or 1536. */
  vadChunk?: number;
  /** Read the input as headerless PCM of this format. */
  raw?: RawPcmFormat;
  /** Refuse streams longer than this (E_TOO_LONG), checked while streaming. Default: no limit. */
  maxDurationSec?: number;
  /** The name used in error messages. */
  file?: string;
}

export type ResolvedTimelineOptions = Required<Omit<TimelineOptions, 'raw' | 'maxDurationSec' | 'file' | 'negThreshold'>> & Pick<TimelineOptions, 'raw' | 'maxDurationSec' | 'file' | 'negThreshold'>;
