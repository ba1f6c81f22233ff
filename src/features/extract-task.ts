import type { AugmentSpec } from '../audio/augment-spec.js';
import type { ErrorCode } from '../errors.js';
import type { AudioSignal } from '../types.js';
import type { FeatureConfig, FeatureVector } from './types.js';

/** What the main thread sends a feature worker: one input, and the front-ends still missing for it. */
export interface ExtractTask {
  source: string | Uint8Array | AudioSignal;
  config: FeatureConfig;
  sampleRate: number;
  maxDurationSec?: number;
  /** An augmented copy of the input (training only): applied to the decoded samples before the front-ends. */
  augment?: AugmentSpec;
}

/** One vector per front-end asked for, in order, or the error that stopped the file. */
export type ExtractReply = { parts: FeatureVector[] } | { error: { code: ErrorCode; message: string } };
