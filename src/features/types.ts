/** Types that the front-ends, the cache and the pipeline share, below all of them. */

/**
 * The feature part of a pipeline, as saved in a model bundle's config.json. Every
 * front-end sees the same 16 kHz mono signal and the same speech span, so training
 * and prediction cannot drift apart.
 */
export interface FeatureConfig {
  /**
   * Trim leading and trailing silence with Silero VAD before every front-end. `chunk` is
   * the samples per VAD call (512 when absent, as in bundles made before it existed).
   */
  vad: { enabled: boolean; threshold: number; padMs: number; chunk?: number };
  /** Front-ends whose utterance vectors are concatenated, in this order. */
  frontEnds: FrontEnd[];
  /**
   * Scale every recording to one level of loud speech before the VAD and the front-ends
   * (level.ts). Absent: the samples as recorded (every model made before it existed).
   */
  level?: LevelConfig;
}

/** Level normalisation (level.ts): which frame is the reference, and where it is put. */
export interface LevelConfig {
  /** Which percentile of the clip's 25 ms frame RMS values is the reference (95: loud speech). */
  percentile: number;
  /** The reference frame's RMS after scaling, in dB relative to full scale. */
  targetDbfs: number;
}

/**
 * The same configuration for some of its front-ends only: how the extractor keys its cache
 * and asks its workers, one front-end at a time. The keys keep their order (vad,
 * frontEnds, level), and `level` is left out when off, so cache keys made before it
 * existed still match.
 */
export function withFrontEnds(config: FeatureConfig, frontEnds: FrontEnd[]): FeatureConfig {
  return { vad: config.vad, frontEnds, ...(config.level ? { level: config.level } : {}) };
}

export type FrontEnd =
  | { name: 'handcrafted' } // MFCC/log-mel/spectral/prosody/voice-quality functionals
  | { name: 'mfcc-mean' } // the original Python project's 40 averaged MFCCs (librosa defaults)
  | { name: 'embedding'; layers: string[] } // pooled intermediate layers of Google's speech_embedding
  | { name: 'yamnet' }; // YAMNet's 1024-dim embedding, mean and std over 0.975 s patches

/** One utterance's features: a value per name, in a fixed order. */
export interface FeatureVector {
  names: string[];
  values: Float32Array;
}
