import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudio, decodeChannels, loadAudio, encodeWav16, listMediaFiles } from '../src/audio/index.js';
import { parseWavHeader } from '../src/audio/wav.js';
import { EmovoxError } from '../src/errors.js';
import { actorFiles, RAVDESS_16K, RAVDESS_48K } from './helpers.js';

/** A WAV file built byte by byte, so the test does not trust the code under test. */
function wav(opts: { tag: number; bits: number; channels: number; rate: number; data: Uint8Array; extensible?: boolean; extraChunk?: Uint8Array; claimBytes?: number }): Uint8Array {
  const fmtSize = opts.extensible ? 40 : 16;
  const extra = opts.extraChunk ?? new Uint8Array(0);
  const pad = extra.length & 1;
  const total = 12 + 8 + fmtSize + (extra.length ? 8 + extra.length + pad : 0) + 8 + opts.data.length;
  const buf = new Uint8Array(total);
  const v = new DataView(buf.buffer);
  const str = (at: number, s: string) => [...s].forEach((c, i) => (buf[at + i] = c.charCodeAt(0)));
  str(0, 'RIFF');
  v.setUint32(4, total - 8, true);
  str(8, 'WAVE');
  let p = 12;
  if (extra.length) {
    // An odd-sized unknown chunk before fmt, with its RIFF pad byte.
    str(p, 'junk');
    v.setUint32(p + 4, extra.length, true);
    buf.set(extra, p + 8);
    p += 8 + extra.length + pad;
  }
  str(p, 'fmt ');
  v.setUint32(p + 4, fmtSize, true);
  v.setUint16(p + 8, opts.extensible ? 0xfffe : opts.tag, true);
  v.setUint16(p + 10, opts.channels, true);
  v.setUint32(p + 12, opts.rate, true);
  v.setUint32(p + 16, (opts.rate * opts.channels * opts.bits) / 8, true);
  v.setUint16(p + 20, (opts.channels * opts.bits) / 8, true);
  v.setUint16(p + 22, opts.bits, true);
  if (opts.extensible) {
    v.setUint16(p + 24, 22, true);
    v.setUint16(p + 26, opts.bits, true);
    v.setUint32(p + 28, 0, true);
    v.setUint16(p + 32, opts.tag, true); // the sub-format GUID starts with the plain tag
  }
  p += 8 + fmtSize;
  str(p, 'data');
  v.setUint32(p + 4, opts.claimBytes ?? opts.data.length, true);
  buf.set(opts.data, p + 8);
  return buf;
}

const bytesOf = (fill: (v: DataView) => void, n: number) => {
  const b = new Uint8Array(n);
  fill(new DataView(b.buffer));
  return b;
};

test('16-bit PCM decodes as v / 32768', async () => {
  const data = bytesOf((v) => [0, 16384, -32768, 32767].forEach((x, i) => v.setInt16(2 * i, x, true)), 8);
  const { samples, sampleRate } = await decodeAudio(wav({ tag: 1, bits: 16, channels: 1, rate: 22050, data }));
  assert.equal(sampleRate, 22050);
  assert.deepEqual([...samples], [0, 0.5, -1, 32767 / 32768]);
});

test('8-bit (unsigned), 24-bit and 32-bit PCM scale as v / 2^(bits-1)', async () => {
  const s8 = await decodeAudio(wav({ tag: 1, bits: 8, channels: 1, rate: 8000, data: Uint8Array.of(128, 192, 0, 255) }));
  assert.deepEqual([...s8.samples], [0, 0.5, -1, 127 / 128]);
  const d24 = Uint8Array.of(0x00, 0x00, 0x40, 0x00, 0x00, 0x80, 0xff, 0xff, 0xff); // 0.5, -1, -1/2^23
  const s24 = await decodeAudio(wav({ tag: 1, bits: 24, channels: 1, rate: 8000, data: d24 }));
  assert.deepEqual([...s24.samples], [0.5, -1, Math.fround(-1 / 8388608)]);
  const d32 = bytesOf((v) => [1 << 30, -(2 ** 31)].forEach((x, i) => v.setInt32(4 * i, x, true)), 8);
  const s32 = await decodeAudio(wav({ tag: 1, bits: 32, channels: 1, rate: 8000, data: d32 }));
  assert.deepEqual([...s32.samples], [0.5, -1]);
});

test('IEEE float 32 and 64 bit, and WAVE_FORMAT_EXTENSIBLE, decode exactly', async () => {
  const f32 = bytesOf((v) => [0.25, -0.75].forEach((x, i) => v.setFloat32(4 * i, x, true)), 8);
  assert.deepEqual([...(await decodeAudio(wav({ tag: 3, bits: 32, channels: 1, rate: 8000, data: f32 }))).samples], [0.25, -0.75]);
  const f64 = bytesOf((v) => [0.125, -0.5].forEach((x, i) => v.setFloat64(8 * i, x, true)), 16);
  assert.deepEqual([...(await decodeAudio(wav({ tag: 3, bits: 64, channels: 1, rate: 8000, data: f64 }))).samples], [0.125, -0.5]);
  const pcm = bytesOf((v) => [8192, -8192].forEach((x, i) => v.setInt16(2 * i, x, true)), 4);
  assert.deepEqual([...(await decodeAudio(wav({ tag: 1, bits: 16, channels: 1, rate: 8000, data: pcm, extensible: true }))).samples], [0.25, -0.25]);
});

test('stereo and multichannel are downmixed by averaging; channels can be kept apart', async () => {
  // frames: (0.5, -0.5), (1.0 ≈ 32767, 0) as 16-bit stereo
  const d = bytesOf((v) => [16384, -16384, 16384, 0].forEach((x, i) => v.setInt16(2 * i, x, true)), 8);
  const mono = await decodeAudio(wav({ tag: 1, bits: 16, channels: 2, rate: 8000, data: d }));
  assert.deepEqual([...mono.samples], [0, 0.25]);
  const kept = await decodeChannels(wav({ tag: 1, bits: 16, channels: 2, rate: 8000, data: d }), { keepChannels: true });
  assert.deepEqual(kept.channels.map((c) => [...c]), [[0.5, 0.5], [-0.5, 0]]);
  const six = bytesOf((v) => [6, 0, 0, 0, 0, 0].forEach((x, i) => v.setInt16(2 * i, x * 4096, true)), 12);
  assert.deepEqual([...(await decodeAudio(wav({ tag: 1, bits: 16, channels: 6, rate: 8000, data: six }))).samples], [0.125]);
});

test('unknown chunks are skipped, odd-sized ones with their pad byte', async () => {
  const data = bytesOf((v) => v.setInt16(0, 16384, true), 2);
  const r = await decodeAudio(wav({ tag: 1, bits: 16, channels: 1, rate: 8000, data, extraChunk: Uint8Array.of(1, 2, 3) }));
  assert.deepEqual([...r.samples], [0.5]);
});

test('a RAVDESS original (FLLR chunk before data; LIST, bext, _PMX after) decodes to the right samples', async () => {
  const path = join(RAVDESS_48K, 'Actor_01', '03-01-01-01-01-01-01.wav');
  const bytes = new Uint8Array(await readFile(path));
  const info = parseWavHeader(bytes);
  assert.equal(info.sampleRate, 48000);
  assert.equal(info.bitsPerSample, 16);
  // Locate the data chunk independently and compare a few samples.
  const text = Buffer.from(bytes).toString('latin1');
  assert.ok(text.indexOf('FLLR') > 0 && text.indexOf('FLLR') < text.indexOf('data'));
  const dataAt = text.indexOf('data') + 8;
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const { samples } = await decodeAudio(path);
  for (const i of [0, 1000, 50000, 100000]) assert.equal(samples[i], view.getInt16(dataAt + 2 * i, true) / 32768);
  // The trailing chunks are not read as audio.
  assert.equal(samples.length, view.getUint32(dataAt - 4, true) / 2);
});

test('the stereo originals are mixed down and resampled to 16 kHz', async () => {
  const files = await listMediaFiles([RAVDESS_48K]);
  const stereo = [];
  for (const f of files) {
    const info = parseWavHeader(new Uint8Array(await readFile(f)));
    if (info.channels === 2) stereo.push(f);
  }
  // Three from Actor_05 and Actor_20, and the rest of the five stereo originals in Actor_01.
  assert.equal(stereo.filter((f) => /Actor_(05|20)/.test(f)).length, 3);
  const out = await loadAudio(stereo[0]);
  const info = parseWavHeader(new Uint8Array(await readFile(stereo[0])));
  assert.ok(Math.abs(out.length - info.frames / 3) <= 1);
});

test('FLAC decodes in-process to int16 / 32768 values at 16 kHz', async () => {
  const r = await decodeAudio(join(RAVDESS_16K, 'Actor_02', '03-01-01-01-01-01-02.flac'));
  assert.equal(r.sampleRate, 16000);
  assert.ok(r.samples.length > 40000);
  for (const i of [0, 10000, 20000, 30000]) assert.equal(r.samples[i] * 32768, Math.round(r.samples[i] * 32768));
  assert.ok(r.samples.some((x) => Math.abs(x) > 0.01));
});

test('encodeWav16 round-trips through the decoder', async () => {
  const x = Float32Array.from([0, 0.5, -0.5, 0.25, -1]);
  assert.deepEqual([...(await decodeAudio(encodeWav16(x, 16000))).samples], [...x]);
});

async function expectCode(p: Promise<unknown>, code: string): Promise<EmovoxError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof EmovoxError, `expected an EmovoxError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

test('bad files get typed errors whose messages say what to do', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emovox-bad-'));
  try {
    const good = encodeWav16(new Float32Array(16000).fill(0.1), 16000);
    await writeFile(join(dir, 'empty.wav'), new Uint8Array(0));
    await writeFile(join(dir, 'text.wav'), 'just some text, renamed to .wav\n');
    await writeFile(join(dir, 'truncated.wav'), good.subarray(0, 1000));
    const lying = wav({ tag: 1, bits: 16, channels: 1, rate: 16000, data: new Uint8Array(100), claimBytes: 100000 });
    await writeFile(join(dir, 'lying.wav'), lying);
    await writeFile(join(dir, 'nosamples.wav'), wav({ tag: 1, bits: 16, channels: 1, rate: 16000, data: new Uint8Array(0) }));
    await writeFile(join(dir, 'long.wav'), good);

    assert.match((await expectCode(decodeAudio(join(dir, 'missing.wav')), 'E_NOT_FOUND')).message, /check the path/);
    assert.match((await expectCode(decodeAudio(join(dir, 'empty.wav')), 'E_EMPTY_AUDIO')).message, /0 bytes/);
    await expectCode(decodeAudio(join(dir, 'nosamples.wav')), 'E_EMPTY_AUDIO');
    assert.match((await expectCode(decodeAudio(join(dir, 'text.wav')), 'E_DECODE')).message, /really is media|not a readable/);
    assert.match((await expectCode(decodeAudio(join(dir, 'truncated.wav')), 'E_DECODE')).message, /truncated/);
    assert.match((await expectCode(decodeAudio(join(dir, 'lying.wav')), 'E_DECODE')).message, /100000 bytes/);
    assert.match((await expectCode(decodeAudio(join(dir, 'long.wav'), { maxDurationSec: 0.5 }), 'E_TOO_LONG')).message, /limit/);
    await expectCode(decodeAudio(wav({ tag: 2, bits: 4, channels: 1, rate: 8000, data: new Uint8Array(4) })), 'E_UNSUPPORTED');
    const saved = process.env.FFMPEG_PATH;
    process.env.FFMPEG_PATH = join(dir, 'no-ffmpeg-here');
    try {
      // A file that looks like media goes to ffmpeg, whose absence is E_FFMPEG; text is refused without it.
      await writeFile(join(dir, 'media.ogg'), 'OggS and then nothing that ffmpeg could read');
      assert.match((await expectCode(decodeAudio(join(dir, 'media.ogg')), 'E_FFMPEG')).message, /FFMPEG_PATH/);
      await expectCode(decodeAudio(join(dir, 'text.wav')), 'E_DECODE');
    } finally {
      if (saved === undefined) delete process.env.FFMPEG_PATH;
      else process.env.FFMPEG_PATH = saved;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('FLAC files decoded concurrently come out the same as one at a time', async () => {
  const files = actorFiles(4).slice(0, 6);
  const sequential: Float32Array[] = [];
  for (const f of files) sequential.push((await decodeAudio(f)).samples);
  const concurrent = await Promise.all(files.map((f) => decodeAudio(f)));
  concurrent.forEach((c, i) => assert.deepEqual(c.samples, sequential[i], files[i]));
});
