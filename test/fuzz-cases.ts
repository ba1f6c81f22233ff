/**
 * Deterministic fuzzing of the in-process decoders (WAV and FLAC): seed files mutated by
 * bit flips, extreme integers in header fields, truncation, insertion, deletion and
 * splicing. The property: every input gives samples or an EmovoxError, in bounded time
 * and memory. Shared by test/fuzz.test.ts (a few thousand cases) and bench/fuzz.ts
 * (100,000, with the rate and the peak memory).
 */
import { readFileSync } from 'node:fs';
import { decodeChannels } from '../src/audio/decode.js';
import { sniff } from '../src/audio/sniff.js';
import { EmovoxError } from '../src/errors.js';
import { writeFlac } from './flac-writer.js';
import { f32, rng, voiceLike, wavBytes } from './hostile-corpus.js';
import { actorFiles } from './helpers.js';

/** The duration limit the fuzzed decodes run under, as `predict` does. */
export const FUZZ_MAX_DURATION_SEC = 600;

/** Small valid files of every layout the decoders read. */
export function fuzzSeeds(): Uint8Array[] {
  const tone = voiceLike(0.25, 8000);
  const int = (bits: number) => Int32Array.from(tone, (v) => Math.round(v * (2 ** (bits - 1) - 1)));
  const pcm = (bits: 8 | 16 | 24 | 32, channels = 1): Uint8Array => {
    const n = tone.length * channels;
    const out = new Uint8Array(n * (bits / 8));
    const view = new DataView(out.buffer);
    for (let i = 0; i < n; i++) {
      const v = tone[Math.floor(i / channels)];
      if (bits === 8) out[i] = Math.round(v * 127) + 128;
      else if (bits === 16) view.setInt16(i * 2, Math.round(v * 32767), true);
      else if (bits === 24) {
        const x = Math.round(v * 8388607);
        out[i * 3] = x & 0xff;
        out[i * 3 + 1] = (x >> 8) & 0xff;
        out[i * 3 + 2] = (x >> 16) & 0xff;
      } else view.setInt32(i * 4, Math.round(v * 2147483647), true);
    }
    return out;
  };
  const list = Uint8Array.from([0x4c, 0x49, 0x53, 0x54, 3, 0, 0, 0, 1, 2, 3, 0]); // an odd-sized LIST chunk with its pad byte
  return [
    wavBytes({ rate: 8000, bits: 8, data: pcm(8) }),
    wavBytes({ rate: 8000, bits: 16, data: pcm(16) }),
    wavBytes({ rate: 8000, bits: 16, channels: 2, data: pcm(16, 2), extraChunks: [list] }),
    wavBytes({ rate: 8000, bits: 24, data: pcm(24) }),
    wavBytes({ rate: 8000, bits: 32, data: pcm(32) }),
    wavBytes({ rate: 8000, tag: 3, bits: 32, data: f32(tone) }),
    wavBytes({ rate: 8000, tag: 3, bits: 64, data: new Uint8Array(Float64Array.from(tone).buffer) }),
    writeFlac({ sampleRate: 8000, channels: 1, bitsPerSample: 16, samples: [int(16)], blockSize: 512 }),
    writeFlac({ sampleRate: 44100, channels: 2, bitsPerSample: 24, samples: [int(24), int(24)], blockSize: 1024 }),
    writeFlac({ sampleRate: 8000, channels: 1, bitsPerSample: 8, samples: [int(8)], blockSize: 256, claimedTotal: 0 }),
    new Uint8Array(readFileSync(actorFiles(9)[0])), // a real libFLAC file (LPC subframes, metadata blocks)
  ];
}

const EXTREMES = [0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 44100, 192000, 65535];

/** Case `i` of the run with `seed`: one seed file with one to four mutations. */
export function fuzzCase(seeds: Uint8Array[], seed: number, i: number): Uint8Array {
  const r = rng(seed * 1_000_003 + i);
  const pick = (n: number) => Math.floor(r() * n);
  let b: Uint8Array = seeds[pick(seeds.length)].slice();
  const mutations = 1 + pick(4);
  for (let m = 0; m < mutations; m++) {
    // Header bytes are hit far more often than their share: that is where the structure is.
    const at = r() < 0.6 ? pick(Math.min(b.length, 96)) : pick(b.length);
    switch (pick(7)) {
      case 0:
        b[at] ^= 1 << pick(8);
        break;
      case 1:
        b[at] = [0, 0xff, 0x7f, 0x80][pick(4)];
        break;
      case 2: {
        const v = EXTREMES[pick(EXTREMES.length)];
        const width = [1, 2, 3, 4][pick(4)];
        for (let k = 0; k < width && at + k < b.length; k++) b[at + k] = (v >>> (8 * k)) & 0xff;
        break;
      }
      case 3:
        b = b.subarray(0, pick(b.length + 1));
        break;
      case 4: {
        const ins = Uint8Array.from({ length: 1 + pick(64) }, () => pick(256));
        b = concat(b.subarray(0, at), ins, b.subarray(at));
        break;
      }
      case 5:
        b = concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + pick(256))));
        break;
      default: {
        const other = seeds[pick(seeds.length)];
        const from = pick(other.length);
        b = concat(b.subarray(0, at), other.subarray(from, from + pick(4096)));
      }
    }
  }
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export interface FuzzOutcome {
  cases: number;
  decoded: number;
  /** Inputs that no longer look like WAV or FLAC: skipped, they would go to ffmpeg. */
  skipped: number;
  errors: Map<string, number>;
  untyped: { i: number; error: string }[];
  slowest: { i: number; ms: number };
}

/** Runs cases `from`..`to` of `seed` through decodeChannels (the file's own rate, no resampling). */
export async function runFuzz(seed: number, from: number, to: number, seeds = fuzzSeeds(), onCase?: (i: number) => void): Promise<FuzzOutcome> {
  const out: FuzzOutcome = { cases: 0, decoded: 0, skipped: 0, errors: new Map(), untyped: [], slowest: { i: -1, ms: 0 } };
  for (let i = from; i < to; i++) {
    const bytes = fuzzCase(seeds, seed, i);
    if (bytes.length > 0 && sniff(bytes.subarray(0, 1024)).kind === 'media') {
      out.skipped++;
      continue;
    }
    out.cases++;
    const t0 = performance.now();
    try {
      const d = await decodeChannels(bytes, { maxDurationSec: FUZZ_MAX_DURATION_SEC, keepChannels: i % 2 === 0 });
      if (!(d.channels.length > 0 && d.channels[0].length > 0 && d.sampleRate > 0)) out.untyped.push({ i, error: 'decoded without samples and without an error' });
      out.decoded++;
    } catch (e) {
      if (e instanceof EmovoxError) out.errors.set(e.code, (out.errors.get(e.code) ?? 0) + 1);
      else out.untyped.push({ i, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
    const ms = performance.now() - t0;
    if (ms > out.slowest.ms) out.slowest = { i, ms };
    onCase?.(i);
  }
  return out;
}
