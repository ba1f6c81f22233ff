import { handcraftedFeatures } from './handcrafted.js';
import { mfccMean } from './mfcc.js';
import { speechEmbedding } from './embedding.js';
import { yamnetEmbedding } from './yamnet.js';
import { trimSilence } from './vad.js';
import { normalizeLevel } from './level.js';
import { EmovoxError } from '../errors.js';
import type { FeatureConfig, FeatureVector, FrontEnd } from './types.js';

export type { FeatureConfig, FeatureVector, FrontEnd };

export const SILENCE_PEAK = 1e-4;

export const FRONT_END_NAMES = ['handcrafted', 'mfcc-mean', 'embedding', 'yamnet'] as const;

/** Turns `--features handcrafted,embedding` into front-ends with their defaults. */
export function parseFrontEnds(spec: string, embeddingLayers: string[]): FrontEnd[] {
  return spec.split(',').map((raw) => {
    const name = raw.trim();
    if (name === 'handcrafted' || name === 'mfcc-mean' || name === 'yamnet') return { name };
    if (name === 'embedding') return { name, layers: embeddingLayers };
    throw new EmovoxError('E_USAGE', `unknown front-end "${name}": use a comma-separated list of ${FRONT_END_NAMES.join(', ')}`);
  });
}

/** Runs the configured front-ends on one 16 kHz signal and concatenates their vectors. */
export async function extractFeatures(samples: Float32Array, config: FeatureConfig): Promise<FeatureVector> {
  return concatVectors(await extractFeatureParts(samples, config));
}

/**
 * The vector of each configured front-end, in order, from one levelling and one VAD pass:
 * the extractor caches each front-end apart, and asking for them one at a time would level
 * the signal and run the VAD once per front-end.
 */
export async function extractFeatureParts(samples: Float32Array, config: FeatureConfig): Promise<FeatureVector[]> {
  if (samples.length === 0) throw new EmovoxError('E_EMPTY_AUDIO', 'the audio has no samples: check that the file holds sound');
  let peak = 0;
  for (const v of samples) peak = Math.max(peak, Math.abs(v));
  // Below -80 dBFS (about 3 steps of 16-bit PCM) there is no voice to hear.
  if (peak < SILENCE_PEAK) throw new EmovoxError('E_EMPTY_AUDIO', 'the audio is silent (peak below -80 dBFS): check the microphone or the recording level');
  // After the silence check, so that levelling cannot lift a silent file into sound.
  if (config.level) samples = normalizeLevel(samples, config.level);
  let speech = { start: 0, end: samples.length };
  if (config.vad.enabled) {
    const span = await trimSilence(samples, config.vad);
    speech = { start: span.start, end: span.end };
  }
  const parts: FeatureVector[] = [];
  for (const fe of config.frontEnds) {
    if (fe.name === 'handcrafted') parts.push(handcraftedFeatures(samples, { range: speech }));
    else if (fe.name === 'mfcc-mean') parts.push(namedMfccMean(samples.subarray(speech.start, speech.end)));
    else if (fe.name === 'yamnet') parts.push(await yamnetEmbedding(samples, { speech }));
    else parts.push(await speechEmbedding(samples, { layers: fe.layers, speech }));
  }
  return parts;
}

function namedMfccMean(samples: Float32Array): FeatureVector {
  const values = mfccMean(samples);
  return { names: Array.from(values, (_, i) => `mfcc${i}_mean_seed`), values };
}

export function concatVectors(parts: FeatureVector[]): FeatureVector {
  const total = parts.reduce((n, p) => n + p.values.length, 0);
  const values = new Float32Array(total);
  const names: string[] = [];
  let offset = 0;
  for (const p of parts) {
    values.set(p.values, offset);
    offset += p.values.length;
    names.push(...p.names);
  }
  return { names, values };
}
