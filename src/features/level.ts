import type { LevelConfig } from './types.js';

/**
 * Level normalisation: every recording is scaled so that its loud speech sits at one level
 * before any front-end sees it.
 *
 * Why: how loud a file is says as much about the microphone, its distance, the recorder's
 * gain and any automatic gain control as about the voice. The RAVDESS keeps the studio's
 * levels, so its angry clips are 11 dB louder than its neutral ones (rms_db_mean), and a
 * model trained on it leans on that. nEMO's files were levelled (the same mean level,
 * ±1 dB, for every emotion), as a phone's AGC or a podcast's loudness pass would do, and
 * there the cue says nothing (docs/ACCURACY.md, "Level normalisation").
 *
 * The reference is the RMS of the 25 ms frame at the 95th percentile of the clip's frames:
 * loud speech, whatever the amount of silence around it (a mean over the clip would move
 * with the length of the pauses, a peak with one click). It was fixed before measuring,
 * not tuned.
 */

/** The setting of `--level-normalize`. */
export const DEFAULT_LEVEL: LevelConfig = { percentile: 95, targetDbfs: -20 };

const FRAME = 400; // 25 ms at 16 kHz
const HOP = 160; // 10 ms

/**
 * The RMS of the frame at `percentile` of the clip's 25 ms frames (10 ms hop); a clip
 * shorter than one frame is one frame.
 * @example
 * referenceRms(Float32Array.from({ length: 16000 }, (_, i) => 0.5 * Math.sin(i / 5))); // ≈ 0.354
 */
export function referenceRms(samples: Float32Array, percentile: number): number {
  const rms: number[] = [];
  const frame = Math.min(FRAME, samples.length);
  for (let start = 0; start + frame <= samples.length; start += HOP) {
    let energy = 0;
    for (let i = start; i < start + frame; i++) energy += samples[i] * samples[i];
    rms.push(Math.sqrt(energy / frame));
  }
  rms.sort((a, b) => a - b);
  return rms[Math.min(rms.length - 1, Math.floor((percentile / 100) * rms.length))];
}

/**
 * A copy of `samples` scaled so that its reference frame has the target RMS. The result is
 * float and may exceed ±1 (nothing is clipped: the front-ends read floats). The caller has
 * already refused silent input, so the reference is above zero; a reference of zero (a clip
 * silent except for a few frames) is left as it is.
 * @example
 * const levelled = normalizeLevel(samples, DEFAULT_LEVEL);
 */
export function normalizeLevel(samples: Float32Array, config: LevelConfig): Float32Array {
  const ref = referenceRms(samples, config.percentile);
  if (!(ref > 0)) return samples;
  const gain = Math.pow(10, config.targetDbfs / 20) / ref;
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i] * gain;
  return out;
}
