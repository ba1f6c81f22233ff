import { mulberry32 } from '../util/random.js';

/**
 * How the context after a segment is completed when the segment is classified as soon as
 * it closes, before that much audio has arrived: `wait` does not fill, it waits for the
 * real audio (a second later, live); the others extend the non-speech audio the segmenter
 * has already seen after the speech (the `minSilenceSec` that closed it):
 * - `mirror`: reflected back and forth (as numpy's `pad(mode="symmetric")`), so the
 *   joins are continuous and the background keeps its spectrum and level;
 * - `repeat`: tiled as it is (a jump at each join);
 * - `noise`: white noise at the same RMS level, seeded, so a run is reproducible.
 */
export const CONTEXT_FILLS = ['wait', 'mirror', 'repeat', 'noise'] as const;
export type ContextFill = (typeof CONTEXT_FILLS)[number];

/**
 * `tail` followed by `n` samples made from it by `how`; `tail` alone when it is empty
 * (nothing is known of the background) or `how` is 'wait'.
 * @example
 * extendTail(new Float32Array([1, 2, 3]), 4, 'mirror'); // [1, 2, 3, 3, 2, 1, 1]
 */
export function extendTail(tail: Float32Array, n: number, how: ContextFill, seed = 1): Float32Array {
  if (tail.length === 0 || n <= 0 || how === 'wait') return tail;
  const out = new Float32Array(tail.length + n);
  out.set(tail);
  const m = tail.length;
  if (how === 'noise') {
    let energy = 0;
    for (const v of tail) energy += v * v;
    // Uniform noise on [-a, a] has an RMS of a / √3.
    const a = Math.sqrt((3 * energy) / m);
    const random = mulberry32(seed);
    for (let i = m; i < out.length; i++) out[i] = a * (2 * random() - 1);
    return out;
  }
  for (let i = 0; i < n; i++) {
    const k = i % m;
    // mirror: period 2m, backwards first (tail's last sample, then the one before …).
    out[m + i] = how === 'repeat' ? tail[k] : Math.floor(i / m) % 2 === 0 ? tail[m - 1 - k] : tail[k];
  }
  return out;
}
