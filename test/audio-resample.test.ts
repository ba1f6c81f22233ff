import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { memoryUsage } from 'node:process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { decodeAudio, loadAudio, resample } from '../src/audio/index.js';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE, ResampleStream } from '../src/audio/resample.js';
import { EmovoxError } from '../src/errors.js';
import { mulberry32 } from '../src/util/random.js';
import { RAVDESS_16K, RAVDESS_48K, snrDb } from './helpers.js';

test('resampling the 48 kHz originals matches sox VHQ: median SNR ≥ 35 dB, every file ≥ 30 dB', async () => {
  const dir48 = join(RAVDESS_48K, 'Actor_01');
  const names = readdirSync(dir48).filter((f) => f.endsWith('.wav')).sort();
  assert.equal(names.length, 60);
  const snrs: number[] = [];
  for (const name of names) {
    const original = await decodeAudio(join(dir48, name));
    assert.equal(original.sampleRate, 48000);
    const ours = await resample(original.samples, 48000, 16000);
    const sox = await loadAudio(join(RAVDESS_16K, 'Actor_01', name.replace('.wav', '.flac')));
    assert.ok(Math.abs(ours.length - sox.length) <= 2, `${name}: ${ours.length} vs ${sox.length} samples`);
    snrs.push(snrDb(sox, ours));
  }
  snrs.sort((a, b) => a - b);
  const median = snrs[snrs.length >> 1];
  assert.ok(median >= 35, `median SNR ${median.toFixed(1)} dB`);
  assert.ok(snrs[0] >= 30, `worst SNR ${snrs[0].toFixed(1)} dB`);
});

test('naive decimation (every third sample) scores clearly worse than the resampler', async () => {
  const name = '03-01-05-02-01-01-01';
  const original = await decodeAudio(join(RAVDESS_48K, 'Actor_01', `${name}.wav`));
  const sox = await loadAudio(join(RAVDESS_16K, 'Actor_01', `${name}.flac`));
  const naive = Float32Array.from({ length: Math.floor(original.samples.length / 3) }, (_, i) => original.samples[3 * i]);
  const ours = await resample(original.samples, 48000, 16000);
  assert.ok(snrDb(sox, ours) > snrDb(sox, naive) + 5);
});

/** A sum of two sines at `fs`, sampled from time offset 0; both well inside the passband of every pair below. */
function tones(n: number, fs: number, freqs = [440, 2500]): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) for (const f of freqs) x[i] += 0.4 * Math.sin((2 * Math.PI * f * i) / fs);
  return x;
}

/** SNR of `y` against the same tones sampled at `fs`, away from the first and last 50 ms (where zeros stand beyond the ends). */
function toneSnr(y: Float32Array, fs: number, freqs?: number[]): number {
  const edge = Math.round(0.05 * fs);
  const ref = tones(y.length, fs, freqs);
  return snrDb(ref.subarray(edge, y.length - edge), y.subarray(edge, y.length - edge));
}

test('every rate pair gives round(n·to/from) samples, time-aligned: tones come out at the output times within 60 dB', async () => {
  const pairs: Array<[number, number]> = [
    [48000, 16000], [44100, 16000], [22050, 16000], [11025, 16000], [8000, 16000], [24000, 16000],
    [16000, 48000], [16000, 44100], [352800, 16000], [384000, 16000], [768000, 16000], [1000, 16000],
    [44101, 16000], [16000, 22051], // ratios with more than 1024 phases: the interpolated table
  ];
  for (const [from, to] of pairs) {
    const n = Math.round(0.4 * from);
    const freqs = from < 2000 ? [110, 320] : [440, 2500];
    const y = await resample(tones(n, from, freqs), from, to);
    assert.equal(y.length, Math.round((n * to) / from), `${from}→${to} length`);
    const snr = toneSnr(y, to, freqs);
    assert.ok(snr > 60, `${from}→${to}: ${snr.toFixed(1)} dB`);
  }
});

test('a tone above the output Nyquist frequency is removed, not folded back (anti-aliasing)', async () => {
  const y = await resample(tones(48000, 48000, [9000]), 48000, 16000); // would alias to 7 kHz
  let energy = 0;
  for (let i = 800; i < y.length - 800; i++) energy += y[i] * y[i];
  const rms = Math.sqrt(energy / (y.length - 1600));
  assert.ok(20 * Math.log10(rms / (0.4 / Math.SQRT2)) < -60, `leak ${(20 * Math.log10(rms / (0.4 / Math.SQRT2))).toFixed(1)} dB`);
});

test('an 11,025 Hz recording of 70 s resamples whole (issue 13: it used to throw a RangeError past 63 s)', async () => {
  const n = 70 * 11025;
  const y = await resample(tones(n, 11025), 11025, 16000);
  assert.equal(y.length, Math.round((n * 16000) / 11025));
  assert.ok(toneSnr(y, 16000) > 60);
});

test('a subarray view at an odd offset is resampled from its own samples, the same as a copy of them', async () => {
  const long = tones(1_500_001, 44100); // long enough for a chunked converter to go through several chunks
  for (const [start, end] of [[1, 1_400_001], [12345, 50000], [3, 4]]) {
    const view = long.subarray(start, end);
    const copy = long.slice(start, end);
    assert.deepEqual(await resample(view, 44100, 16000), await resample(copy, 44100, 16000));
  }
});

test('rates outside 1000–768000 whole Hz are E_UNSUPPORTED, other misuse E_USAGE; the same rate returns the samples', async () => {
  const x = tones(1000, 16000);
  for (const rate of [0, -16000, NaN, Infinity, 44100.5, 999, 768001, 1e12]) {
    await assert.rejects(resample(x, rate, 16000), (e: unknown) => e instanceof EmovoxError && e.code === 'E_UNSUPPORTED', `from ${rate}`);
    await assert.rejects(resample(x, 16000, rate), (e: unknown) => e instanceof EmovoxError && e.code === 'E_UNSUPPORTED', `to ${rate}`);
  }
  await assert.rejects(resample(Array.from(x) as unknown as Float32Array, 48000, 16000), (e: unknown) => e instanceof EmovoxError && e.code === 'E_USAGE');
  assert.equal(await resample(x, 16000, 16000), x);
  assert.equal((await resample(new Float32Array(0), 48000, 16000)).length, 0);
});

test('memory does not grow with the number of distinct rates (issue 13: one converter per rate was kept forever)', async () => {
  setFlagsFromString('--expose-gc');
  const vmGc = runInNewContext('gc') as () => void;
  // Array buffers are released after a full collection and a turn of the event loop.
  const gc = async (): Promise<void> => {
    vmGc();
    await new Promise((r) => setTimeout(r, 20));
    vmGc();
  };
  // 16·m Hz with m prime to 1000 → 16 kHz is an exact ratio of 1000 phases × 1152 taps: a 4.4 MiB bank each.
  const rates = [23999, 24001, 24003, 24007, 24009, 24011, 24013, 24017, 24019].map((m) => 16 * m);
  const x = tones(4000, rates[0]);
  await resample(x, rates[0], 16000);
  await gc();
  const before = memoryUsage().arrayBuffers;
  for (const r of rates.slice(1)) await resample(x, r, 16000);
  await gc();
  const grown = (memoryUsage().arrayBuffers - before) / 2 ** 20;
  assert.ok(grown < 16, `array buffers grew by ${grown.toFixed(1)} MiB over 8 new rates (4.4 MiB each)`);
});

test('fuzz, seeded: 300 random rates, lengths and subarray offsets each give the right samples or an EmovoxError', async () => {
  const rand = mulberry32(17);
  const common = [8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000, 176400, 192000, 352800, 384000];
  const pickRate = (): number => {
    const u = rand();
    if (u < 0.45) return common[Math.floor(rand() * common.length)];
    if (u < 0.9) return MIN_SAMPLE_RATE + Math.floor(rand() * (MAX_SAMPLE_RATE - MIN_SAMPLE_RATE + 1));
    return [0, -1, NaN, 0.5, 999, 768001, 2 ** 31, 44100.1][Math.floor(rand() * 8)];
  };
  let ok = 0;
  let refused = 0;
  for (let c = 0; c < 300; c++) {
    const from = pickRate();
    const to = rand() < 0.7 ? 16000 : pickRate();
    // Keep every case small: at most about 200k output samples.
    const maxN = Number.isFinite(from / to) && to > 0 && from > 0 ? Math.max(1, Math.floor((2e5 * from) / to)) : 5000;
    const n = Math.floor(rand() * Math.min(maxN, 40000));
    const offset = Math.floor(rand() * 7);
    const backing = new Float32Array(n + offset + 3);
    for (let i = 0; i < backing.length; i++) backing[i] = rand() * 2 - 1;
    const x = backing.subarray(offset, offset + n);
    try {
      const y = await resample(x, from, to);
      assert.equal(y.length, from === to ? n : Math.round((n * to) / from), `${from}→${to}, n=${n}`);
      const bad = y.findIndex((v) => !(Math.abs(v) < 4)); // finite, and bounded by the filter's gain
      assert.equal(bad, -1, `${from}→${to}: sample ${bad} is ${y[bad]}`);
      ok++;
    } catch (e) {
      assert.ok(e instanceof EmovoxError, `${from}→${to}, n=${n}: ${String(e)}`);
      refused++;
    }
  }
  assert.ok(ok > 200 && refused > 10, `${ok} resampled, ${refused} refused`);
});

test('ResampleStream fed in blocks of any size gives exactly what resample() gives on the whole signal', async () => {
  const rand = mulberry32(5);
  for (const [from, to] of [[48000, 16000], [44100, 16000], [44101, 16000], [16000, 48000], [16000, 16000]]) {
    const x = tones(Math.round(0.7 * from) + 17, from);
    const whole = await resample(x, from, to);
    const rs = new ResampleStream(from, to);
    const parts: Float32Array[] = [];
    for (let i = 0; i < x.length; ) {
      const size = [0, 1, 7, 3001, 20000][Math.floor(rand() * 5)];
      parts.push(rs.push(x.subarray(i, i + size)));
      i += size;
    }
    parts.push(rs.end());
    const streamed = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      streamed.set(p, o);
      o += p.length;
    }
    assert.deepEqual(streamed, whole, `${from}→${to}`);
  }
});
