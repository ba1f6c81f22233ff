/**
 * The last `capacity` samples of a stream, addressed by their position in the whole
 * stream: the timeline keeps only the audio of the segment being built and its context,
 * so memory does not grow with the length of the recording.
 * @example
 * const ring = new AudioRing(16000 * 30);
 * ring.push(block);
 * const clip = ring.slice(ring.end - 16000, ring.end); // the last second
 */
export class AudioRing {
  private readonly data: Float32Array;
  /** Samples pushed since the start of the stream: the position just past the newest. */
  end = 0;

  constructor(readonly capacity: number) {
    this.data = new Float32Array(capacity);
  }

  /** The position of the oldest sample still held. */
  get start(): number {
    return Math.max(0, this.end - this.capacity);
  }

  push(block: Float32Array): void {
    let src = block;
    if (src.length > this.capacity) {
      this.end += src.length - this.capacity;
      src = src.subarray(src.length - this.capacity);
    }
    const at = this.end % this.capacity;
    const first = Math.min(src.length, this.capacity - at);
    this.data.set(src.subarray(0, first), at);
    this.data.set(src.subarray(first), 0);
    this.end += src.length;
  }

  /** A copy of the samples in [from, to), clamped to what is still held. */
  slice(from: number, to: number): Float32Array {
    const a = Math.max(from, this.start);
    const b = Math.min(to, this.end);
    const out = new Float32Array(Math.max(0, b - a));
    for (let pos = a, o = 0; pos < b; ) {
      const at = pos % this.capacity;
      const n = Math.min(b - pos, this.capacity - at);
      out.set(this.data.subarray(at, at + n), o);
      o += n;
      pos += n;
    }
    return out;
  }
}
