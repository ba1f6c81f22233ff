/**
 * Speech regions from Silero VAD probabilities, one per chunk of `hop` samples, decided
 * as the probabilities arrive. The rules follow Silero's own `get_speech_timestamps`
 * (snakers4/silero-vad, utils_vad.py): speech starts at a chunk at or above `threshold`,
 * goes on while chunks stay at or above `negThreshold`, and ends once `minSilenceSec` of
 * chunks fall below it, so shorter gaps are merged. Silero lowers the threshold by 0.15 to
 * end speech; here that made the ends 165 ms late (median) and halved the boundary hits,
 * so the default is no hysteresis (bench/timeline-tune.ts). regions shorter than
 * `minSpeechSec` are dropped, and a region that reaches `maxSegmentSec` is cut at its
 * least speech-like chunk in the second half, and goes on as a new piece.
 */
export interface SegmentationOptions {
  /** A chunk at or above this speech probability starts speech. */
  threshold: number;
  /** Speech goes on while chunks stay at or above this (default: `threshold`). */
  negThreshold?: number;
  /** Silence shorter than this inside speech is merged into it (s). */
  minSilenceSec: number;
  /** Speech regions shorter than this are dropped: too short to judge (s). */
  minSpeechSec: number;
  /** Regions are cut into pieces no longer than this (s). */
  maxSegmentSec: number;
  /** Each region is widened by this much on both sides (s), as Silero's speech_pad_ms. */
  padSec: number;
}

/** A stretch of speech, in samples from the start of the stream. */
export interface SpeechRegion {
  start: number;
  end: number;
  /** True when the region is the continuation of one cut at `maxSegmentSec`. */
  continued: boolean;
  /** True when it was cut at `maxSegmentSec` and the next region continues it. */
  cut: boolean;
  /**
   * The end of the audio the segmenter had seen when it closed the region: for a region
   * closed by silence, `minSilenceSec` past its last speech chunk; everything after `end`
   * up to here is known not to be speech.
   */
  closedAt: number;
}

export class SpeechSegmenter {
  private frame = 0;
  private start = -1;
  private lastSpeech = -1;
  private continued = false;
  private probs: number[] = [];
  private readonly neg: number;
  private readonly minSilence: number;
  private readonly minSpeech: number;
  private readonly maxFrames: number;
  private readonly pad: number;

  /**
   * @example
   * const seg = new SpeechSegmenter(TIMELINE_DEFAULTS, 1536, 16000);
   * for (const p of probabilities) for (const r of seg.push(p)) console.log(r.start / 16000, r.end / 16000);
   * for (const r of seg.flush(totalSamples)) console.log(r);
   */
  constructor(
    private readonly opts: SegmentationOptions,
    readonly hop: number,
    readonly sampleRate: number,
  ) {
    this.neg = opts.negThreshold ?? opts.threshold;
    const frames = (sec: number): number => Math.round((sec * sampleRate) / hop);
    this.minSilence = Math.max(1, frames(opts.minSilenceSec));
    this.minSpeech = frames(opts.minSpeechSec);
    this.maxFrames = Math.max(2, frames(opts.maxSegmentSec));
    this.pad = Math.round(opts.padSec * sampleRate);
  }

  /**
   * The first sample (before padding) of the speech going on now once it has lasted
   * `minSpeechSec`, so that it will be a region of its own; null otherwise.
   */
  get speechStart(): number | null {
    if (this.start < 0 || (!this.continued && this.lastSpeech + 1 - this.start < this.minSpeech)) return null;
    return this.start * this.hop;
  }

  /** Takes the next chunk's probability; returns the regions it closes. */
  push(p: number): SpeechRegion[] {
    const i = this.frame++;
    const out: SpeechRegion[] = [];
    if (this.start < 0) {
      if (p >= this.opts.threshold) {
        this.start = i;
        this.lastSpeech = i;
        this.probs = [p];
      }
      return out;
    }
    this.probs.push(p);
    if (p >= this.neg) this.lastSpeech = i;
    else if (i - this.lastSpeech >= this.minSilence) {
      this.close(out, Infinity, (i + 1) * this.hop);
      return out;
    }
    if (i + 1 - this.start >= this.maxFrames) this.cut(out);
    return out;
  }

  /** Closes the speech still open at the end of the stream (`total` samples long). */
  flush(total: number): SpeechRegion[] {
    const out: SpeechRegion[] = [];
    if (this.start >= 0) this.close(out, total, total);
    return out;
  }

  private close(out: SpeechRegion[], total: number, closedAt: number): void {
    const end = this.lastSpeech + 1;
    if (end > this.start && (this.continued || end - this.start >= this.minSpeech)) out.push(this.region(this.start, end, false, total, closedAt));
    this.start = -1;
    this.continued = false;
    this.probs = [];
  }

  /** Cuts at the least speech-like chunk in the second half, where a pause most likely is. */
  private cut(out: SpeechRegion[]): void {
    const half = Math.floor(this.probs.length / 2);
    let k = half;
    for (let j = half; j < this.probs.length; j++) if (this.probs[j] <= this.probs[k]) k = j;
    if (k === 0) k = this.probs.length;
    out.push(this.region(this.start, this.start + k, true, Infinity, this.frame * this.hop));
    this.start += k;
    this.continued = true;
    this.probs = this.probs.slice(k);
    if (this.probs.length === 0) {
      this.start = -1;
      this.continued = false;
    }
  }

  private region(startFrame: number, endFrame: number, cut: boolean, total: number, closedAt: number): SpeechRegion {
    // Padding widens only the outer edges of a region, never the cut between two pieces.
    const start = startFrame * this.hop - (this.continued ? 0 : this.pad);
    const end = Math.min(total, endFrame * this.hop + (cut ? 0 : this.pad));
    return { start: Math.max(0, start), end, continued: this.continued, cut, closedAt: Math.min(total, Math.max(end, closedAt)) };
  }
}

/**
 * The speech regions of a whole list of probabilities at once.
 * @example
 * const { probs, hop } = await speechProbabilities(samples, 1536);
 * speechRegions(probs, hop, 16000, TIMELINE_DEFAULTS, samples.length);
 */
export function speechRegions(probs: ArrayLike<number>, hop: number, sampleRate: number, opts: SegmentationOptions, total: number): SpeechRegion[] {
  const seg = new SpeechSegmenter(opts, hop, sampleRate);
  const out: SpeechRegion[] = [];
  for (let i = 0; i < probs.length; i++) out.push(...seg.push(probs[i]));
  out.push(...seg.flush(total));
  return out;
}
