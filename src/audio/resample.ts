import { createRequire } from 'node:module';
import type { SRC } from '@alexanderolsen/libsamplerate-js/dist/src.js';

const require = createRequire(import.meta.url);
const libsamplerate = require('@alexanderolsen/libsamplerate-js') as typeof import('@alexanderolsen/libsamplerate-js');

// One converter per rate pair, created once: the wasm module is costly to instantiate.
const converters = new Map<string, Promise<SRC>>();

function converter(fromRate: number, toRate: number): Promise<SRC> {
  const key = `${fromRate}>${toRate}`;
  let c = converters.get(key);
  if (!c) {
    c = libsamplerate.create(1, fromRate, toRate, { converterType: libsamplerate.ConverterType.SRC_SINC_BEST_QUALITY });
    converters.set(key, c);
  }
  return c;
}

/**
 * The one resampler of emovox, for every rate, in training and prediction alike:
 * libsamplerate's SRC_SINC_BEST_QUALITY (band-limited sinc, 97 dB SNR, 97% bandwidth;
 * Castro Lopo, "Secret Rabbit Code"). The output is time-aligned with the input and
 * has round(n × toRate / fromRate) samples.
 */
export async function resample(samples: Float32Array, fromRate: number, toRate: number): Promise<Float32Array> {
  if (fromRate === toRate || samples.length === 0) return samples;
  const src = await converter(fromRate, toRate);
  const out = src.simple(samples);
  const expected = Math.round((samples.length * toRate) / fromRate);
  if (out.length === expected) return out;
  const fixed = new Float32Array(expected);
  fixed.set(out.subarray(0, expected));
  return fixed;
}
