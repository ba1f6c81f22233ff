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
