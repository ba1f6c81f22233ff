/**
 * The hostile-input corpus, made at test time (no binaries are committed): broken, odd and
 * malicious inputs, one per class of failure, each with the error code emovox must give
 * ('ok' for inputs that must be classified). Used by test/hostile.test.ts and by
 * bench/memory.ts.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, openSync, closeSync, readFileSync, symlinkSync, writeFileSync, ftruncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorCode } from '../src/errors.js';
import { encodeWav16 } from '../src/audio/wav-writer.js';
import { ffmpegPath } from '../src/audio/ffmpeg.js';
import { writeFlac } from './flac-writer.js';
import { actorFiles } from './helpers.js';
import { mulberry32 } from '../src/util/random.js';

export interface HostileEntry {
  /** The path given to emovox. */
  path: string;
  expect: ErrorCode | 'ok';
  /** What the entry is, for test messages. */
  note: string;
  /** A folder: the CLI walks it (finding nothing) instead of decoding it, so it prints no line. */
  folder?: boolean;
}

/** A WAV with every header field settable, including impossible ones. */
export function wavBytes(o: {
  tag?: number;
  channels?: number;
  rate?: number;
  bits?: number;
  data: Uint8Array;
  claimBytes?: number;
  fmtSize?: number;
  dataFirst?: boolean;
  extraChunks?: Uint8Array[];
}): Uint8Array {
  const channels = o.channels ?? 1;
  const rate = o.rate ?? 16000;
  const bits = o.bits ?? 16;
  const fmtSize = o.fmtSize ?? 16;
  const fmt = new Uint8Array(8 + fmtSize);
  const fv = new DataView(fmt.buffer);
  fmt.set(Buffer.from('fmt '), 0);
  fv.setUint32(4, fmtSize, true);
  if (fmtSize >= 16) {
    fv.setUint16(8, o.tag ?? 1, true);
    fv.setUint16(10, channels, true);
    fv.setUint32(12, rate, true);
    fv.setUint32(16, (rate * channels * bits) / 8 >>> 0, true);
    fv.setUint16(20, (channels * bits) / 8, true);
    fv.setUint16(22, bits, true);
  }
  const dataHead = new Uint8Array(8);
  dataHead.set(Buffer.from('data'), 0);
  new DataView(dataHead.buffer).setUint32(4, o.claimBytes ?? o.data.length, true);
  const chunks = [...(o.extraChunks ?? []), ...(o.dataFirst ? [dataHead, o.data, fmt] : [fmt, dataHead, o.data])];
  const body = Buffer.concat([Buffer.from('WAVE'), ...chunks]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0);
  riff.writeUInt32LE(Math.min(body.length, 0xffffffff), 4);
  return new Uint8Array(Buffer.concat([riff, body]));
}

/** Float32 little-endian bytes of the given values. */
export function f32(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

/** The project's seeded generator (mulberry32): every "random" entry is the same each run. */
export const rng = mulberry32;

export function randomBytes(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
}

/** A speech-like test signal: a 150 Hz voice-like tone with harmonics and a slow envelope. */
export function voiceLike(seconds: number, rate = 16000): Float32Array {
  const out = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < out.length; i++) {
    const t = i / rate;
    const env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t);
    out[i] = 0.3 * env * (Math.sin(2 * Math.PI * 150 * t) + 0.5 * Math.sin(2 * Math.PI * 300 * t) + 0.25 * Math.sin(2 * Math.PI * 450 * t));
  }
  return out;
}

/** Runs the ffmpeg that emovox uses (to make test files), throwing on failure. */
export function runFfmpeg(args: string[]): void {
  const r = spawnSync(ffmpegPath(), ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr}`);
}

const SIXTEEN_BIT_SECOND = (n = 16000) => encodeWav16([voiceLike(n / 16000)], 16000);

/**
 * Writes the corpus into `dir` and returns its entries. `withFfmpeg` adds the entries that
 * need ffmpeg to make (transcoded files with hostile names, a video without audio).
 */
export function writeHostileCorpus(dir: string, opts: { withFfmpeg?: boolean } = {}): HostileEntry[] {
  mkdirSync(dir, { recursive: true });
  const entries: HostileEntry[] = [];
  const put = (name: string, bytes: Uint8Array | string, expect: HostileEntry['expect'], note: string) => {
    writeFileSync(join(dir, name), bytes);
    entries.push({ path: join(dir, name), expect, note });
  };
  const good = actorFiles(3)[10];
  const goodWav = SIXTEEN_BIT_SECOND(32000);

  // Special files and links.
  spawnSync('mkfifo', [join(dir, 'fifo.wav')]);
  entries.push({ path: join(dir, 'fifo.wav'), expect: 'E_NOT_REGULAR', note: 'a named pipe' });
  entries.push({ path: '/dev/zero', expect: 'E_NOT_REGULAR', note: 'an endless device of zeros' });
  entries.push({ path: '/dev/urandom', expect: 'E_NOT_REGULAR', note: 'an endless device of random bytes' });
  symlinkSync('/dev/zero', join(dir, 'zero-link.wav'));
  entries.push({ path: join(dir, 'zero-link.wav'), expect: 'E_NOT_REGULAR', note: 'a link to /dev/zero' });
  symlinkSync(join(dir, 'nowhere.wav'), join(dir, 'dangling.wav'));
  entries.push({ path: join(dir, 'dangling.wav'), expect: 'E_NOT_FOUND', note: 'a link to nothing' });
  symlinkSync(join(dir, 'loop-b.wav'), join(dir, 'loop-a.wav'));
  symlinkSync(join(dir, 'loop-a.wav'), join(dir, 'loop-b.wav'));
  entries.push({ path: join(dir, 'loop-a.wav'), expect: 'E_LINK_LOOP', note: 'a link loop' });
  mkdirSync(join(dir, 'folder.wav'));
  entries.push({ path: join(dir, 'folder.wav'), expect: 'E_UNSUPPORTED', note: 'a folder named like audio', folder: true });
  entries.push({ path: join(dir, 'missing.wav'), expect: 'E_NOT_FOUND', note: 'a path that does not exist' });

  // Non-audio with audio extensions: refused by the magic-byte sniffer, without ffmpeg.
  put('empty.wav', '', 'E_EMPTY_AUDIO', 'zero bytes');
  put('text.wav', 'just some words, renamed to .wav\n', 'E_DECODE', 'text');
  put('page.mp3', '<!doctype html><html><body>not audio</body></html>\n', 'E_DECODE', 'HTML');
  put('playlist.m4a', '#EXTM3U\n#EXTINF:10,\nhttp://127.0.0.1:9/a.mp3\n', 'E_DECODE', 'an M3U playlist pointing at a URL');
  put('concat.ogg', "ffconcat version 1.0\nfile '/etc/passwd'\n", 'E_DECODE', 'an ffconcat script');
  put('image.wav', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(randomBytes(2000, 1))]), 'E_DECODE', 'a PNG image');
  put('photo.flac', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(randomBytes(2000, 2))]), 'E_DECODE', 'a JPEG image');
  put('archive.mp4', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from(randomBytes(2000, 3))]), 'E_DECODE', 'a ZIP archive');
  put('archive.wav', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from(randomBytes(2000, 4))]), 'E_DECODE', 'a gzip archive');
  put('program.ogg', readFileSync(process.execPath).subarray(0, 4096), 'E_DECODE', 'an ELF program');
  put('random.wav', randomBytes(100_000, 5), 'E_DECODE', 'random bytes');
  put('zeros.mp3', new Uint8Array(100_000), 'E_DECODE', 'zero bytes only');
  put('id3-random.mp3', Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00'), Buffer.from(randomBytes(20_000, 6))]), 'E_DECODE', 'an ID3 tag and random bytes (goes to ffmpeg)');
  put('ogg-random.ogg', Buffer.concat([Buffer.from('OggS'), Buffer.from(randomBytes(20_000, 7))]), 'E_DECODE', 'an Ogg signature and random bytes (goes to ffmpeg)');

  // WAV header fields at their extremes.
  const pcm = goodWav.subarray(44);
  put('riff-only.wav', Buffer.from('RIFF\x04\x00\x00\x00WAVE'), 'E_DECODE', 'RIFF/WAVE and nothing else');
  put('fmt-short.wav', wavBytes({ data: pcm, fmtSize: 8 }), 'E_DECODE', 'a fmt chunk of 8 bytes');
  put('channels-0.wav', wavBytes({ data: pcm, channels: 0 }), 'E_DECODE', '0 channels');
  put('rate-0.wav', wavBytes({ data: pcm, rate: 0 }), 'E_DECODE', '0 Hz');
  put('bits-12.wav', wavBytes({ data: pcm, bits: 12 }), 'E_UNSUPPORTED', '12-bit PCM');
  put('float-16.wav', wavBytes({ data: pcm, tag: 3, bits: 16 }), 'E_UNSUPPORTED', '16-bit float');
  put('codec-mp3.wav', wavBytes({ data: pcm, tag: 0x55 }), 'E_UNSUPPORTED', 'an MP3 codec tag in WAV');
  put('data-first.wav', wavBytes({ data: pcm, dataFirst: true }), 'E_DECODE', 'data chunk before fmt');
  put('claims-4gb.wav', wavBytes({ data: pcm.subarray(0, 100), claimBytes: 0xfffffffe }), 'E_DECODE', 'a data chunk claiming 4 GB with 100 bytes');
  put('rate-max.wav', wavBytes({ data: pcm, rate: 0xffffffff }), 'E_TOO_SHORT', 'a rate of 4.29 GHz: 1 s of samples lasts 7 µs');
  put('rate-1hz.wav', wavBytes({ data: pcm.subarray(0, 2000), rate: 1 }), 'E_TOO_LONG', 'a rate of 1 Hz: 1000 samples last 1000 s');
  put('channels-65535.wav', wavBytes({ data: new Uint8Array(65535 * 2 * 4), channels: 65535 }), 'E_TOO_SHORT', '65,535 channels, 4 frames');
  put('chunks-5000.wav', wavBytes({ data: pcm, extraChunks: Array.from({ length: 5000 }, () => Uint8Array.from([0x6a, 0x75, 0x6e, 0x6b, 0, 0, 0, 0])) }), 'E_DECODE', '5000 empty chunks before the audio');
  put('too-long-header.wav', encodeWav16([new Float32Array(601 * 8000)], 8000), 'E_TOO_LONG', '601 s of silence at 8 kHz');
  put('streaming-size.wav', wavBytes({ data: pcm, claimBytes: 0xffffffff }), 'ok', 'a data size of 0xFFFFFFFF (a streaming writer): read to the end');

  // Truncation at every structural boundary of a WAV.
  for (const at of [4, 8, 11, 12, 20, 36, 40, 43, 44, 45, 1000, goodWav.length - 1]) {
    put(`truncated-wav-${at}.wav`, goodWav.subarray(0, at), 'E_DECODE', `a WAV cut after ${at} bytes`);
  }

  // FLAC: truncation, damage, absurd claimed lengths.
  const flac = new Uint8Array(readFileSync(good));
  for (const at of [4, 8, 41, 42, 8192, flac.length >> 1, flac.length - 1]) {
    put(`truncated-flac-${at}.flac`, flac.subarray(0, at), 'E_DECODE', `a FLAC cut after ${at} bytes`);
  }
  const damaged = flac.slice();
  for (let i = flac.length >> 2; i < (flac.length >> 2) + 64; i++) damaged[i] ^= 0x5a;
  put('damaged-frames.flac', damaged, 'E_DECODE', 'a FLAC with 64 corrupted bytes in its frames');
  const silence3h = 3 * 3600 * 16000;
  put('bomb-3h.flac', writeFlac({ sampleRate: 16000, channels: 1, bitsPerSample: 16, samples: silence3h }), 'E_TOO_LONG', 'three hours of silence in 37 kB, said in STREAMINFO');
  put('bomb-3h-unknown.flac', writeFlac({ sampleRate: 16000, channels: 1, bitsPerSample: 16, samples: silence3h, claimedTotal: 0 }), 'E_TOO_LONG', 'three hours of silence, STREAMINFO says "unknown length"');
  put('bomb-3h-claims-2s.flac', writeFlac({ sampleRate: 16000, channels: 1, bitsPerSample: 16, samples: silence3h, claimedTotal: 32000 }), 'E_TOO_LONG', 'three hours of silence, STREAMINFO says 2 s');
  put('bomb-12h-8ch.flac', writeFlac({ sampleRate: 48000, channels: 8, bitsPerSample: 24, samples: 12 * 3600 * 48000, claimedTotal: 0 }), 'E_TOO_LONG', '12 hours of 8-channel silence, unknown length');
  const rate0 = flac.slice();
  rate0[18] = 0;
  rate0[19] = 0;
  rate0[20] &= 0x0f;
  put('flac-rate-0.flac', rate0, 'E_DECODE', 'a FLAC whose STREAMINFO says 0 Hz');
  const claimsHuge = flac.slice();
  claimsHuge[21] |= 0x0f;
  claimsHuge.fill(0xff, 22, 26);
  put('flac-claims-2^36.flac', claimsHuge, 'E_TOO_LONG', 'a FLAC claiming 2^36 samples');
  put('flac-no-streaminfo.flac', Buffer.concat([Buffer.from('fLaC'), Buffer.from([0x81, 0, 0, 4, 0, 0, 0, 0]), Buffer.from(flac.subarray(42))]), 'E_DECODE', 'a FLAC whose first block is not STREAMINFO');

  // Sample values: non-finite, extreme, silent, too short.
  const speech = voiceLike(2);
  const withNaN = Float32Array.from(speech);
  for (let i = 0; i < withNaN.length; i += 997) withNaN[i] = NaN;
  const withInf = Float32Array.from(speech);
  withInf[12345] = Infinity;
  put('all-nan.wav', wavBytes({ tag: 3, bits: 32, data: f32(new Float32Array(32000).fill(NaN)) }), 'E_DECODE', 'float samples all NaN');
  put('all-inf.wav', wavBytes({ tag: 3, bits: 32, data: f32(new Float32Array(32000).fill(Infinity)) }), 'E_DECODE', 'float samples all +Inf');
  put('some-nan.wav', wavBytes({ tag: 3, bits: 32, data: f32(withNaN) }), 'E_DECODE', 'speech with some NaN samples');
  put('one-inf.wav', wavBytes({ tag: 3, bits: 32, data: f32(withInf) }), 'E_DECODE', 'speech with one +Inf sample');
  put('float64-overflow.wav', wavBytes({ tag: 3, bits: 64, data: new Uint8Array(Float64Array.from(speech, (v) => v * 1e300).buffer) }), 'E_DECODE', 'float64 samples beyond float32 range');
  put('huge-values.wav', wavBytes({ tag: 3, bits: 32, data: f32(Array.from(speech, (v) => v * 1e6)) }), 'E_DECODE', 'float samples a million times full scale');
  put('int-as-float.wav', wavBytes({ tag: 3, bits: 32, data: f32(Array.from(speech, (v) => Math.round(v * 32767))) }), 'E_DECODE', '16-bit integer values written as float');
  put('full-scale-square.wav', encodeWav16([Float32Array.from(speech, (v) => (v >= 0 ? 1 : -1))], 16000), 'ok', 'a clipped full-scale square wave');
  put('silence.wav', encodeWav16([new Float32Array(32000)], 16000), 'E_EMPTY_AUDIO', 'two seconds of digital silence');
  put('one-sample.wav', encodeWav16([Float32Array.of(0.5)], 16000), 'E_TOO_SHORT', 'one sample');
  put('10ms.wav', encodeWav16([voiceLike(0.01)], 16000), 'E_TOO_SHORT', '10 ms');
  put('50ms.wav', encodeWav16([voiceLike(0.05)], 16000), 'E_TOO_SHORT', '50 ms');
  put('half-second.wav', encodeWav16([voiceLike(0.5)], 16000), 'E_TOO_SHORT', '0.5 s');
  put('one-second.wav', encodeWav16([voiceLike(1)], 16000), 'ok', '1 s, above the minimum');

  // Sizes: sparse files bigger than 2 GiB cost no disk.
  const sparse = (name: string, size: number, head: Uint8Array) => {
    const fd = openSync(join(dir, name), 'w');
    writeSync(fd, head, 0, head.length, 0);
    ftruncateSync(fd, size);
    closeSync(fd);
  };
  sparse('sparse-1gib.wav', 2 ** 30, wavBytes({ data: new Uint8Array(0), claimBytes: 2 ** 30 - 44 }).subarray(0, 44));
  entries.push({ path: join(dir, 'sparse-1gib.wav'), expect: 'E_TOO_LONG', note: 'a 1 GiB sparse WAV (9 hours at 16 kHz)' });
  sparse('sparse-3gib.wav', 3 * 2 ** 30, wavBytes({ data: new Uint8Array(0), claimBytes: 0xffffffff }).subarray(0, 44));
  entries.push({ path: join(dir, 'sparse-3gib.wav'), expect: 'E_TOO_LONG', note: 'a 3 GiB sparse WAV (over 2 GiB)' });
  sparse('sparse-3gib.flac', 3 * 2 ** 30, writeFlac({ sampleRate: 16000, channels: 1, bitsPerSample: 16, samples: 16000, claimedTotal: 0 }));
  entries.push({ path: join(dir, 'sparse-3gib.flac'), expect: 'E_TOO_LONG', note: 'a 3 GiB FLAC of unknown length' });
  sparse('sparse-3gib.mp4', 3 * 2 ** 30, new Uint8Array(0));
  entries.push({ path: join(dir, 'sparse-3gib.mp4'), expect: 'E_DECODE', note: 'a 3 GiB file of zeros named .mp4' });

  // Odd names, and the good file.
  copyFileSync(good, join(dir, '-dash.flac'));
  entries.push({ path: join(dir, '-dash.flac'), expect: 'ok', note: 'a name starting with "-"' });
  copyFileSync(good, join(dir, 'spaces and ünïcödé ✓.flac'));
  entries.push({ path: join(dir, 'spaces and ünïcödé ✓.flac'), expect: 'ok', note: 'spaces and non-ASCII in the name' });
  copyFileSync(good, join(dir, 'wrong-extension.mp3'));
  entries.push({ path: join(dir, 'wrong-extension.mp3'), expect: 'ok', note: 'a FLAC named .mp3' });
  entries.push({ path: good, expect: 'ok', note: 'a good RAVDESS recording' });

  if (opts.withFfmpeg) {
    const make = (name: string, args: string[]) => runFfmpeg([...args, `file:${join(dir, name)}`]);
    make('pipe:0.m4a', ['-i', `file:${good}`, '-c:a', 'aac']);
    entries.push({ path: join(dir, 'pipe:0.m4a'), expect: 'ok', note: 'a file named like ffmpeg\'s stdin protocol' });
    make('-x.mp3', ['-i', `file:${good}`, '-c:a', 'libmp3lame']);
    entries.push({ path: join(dir, '-x.mp3'), expect: 'ok', note: 'a file named like an ffmpeg option' });
    make('video-only.mp4', ['-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5', '-t', '1', '-c:v', 'mpeg4']);
    entries.push({ path: join(dir, 'video-only.mp4'), expect: 'E_UNSUPPORTED', note: 'a video with no audio track' });
    const m4a = readFileSync(join(dir, 'pipe:0.m4a'));
    put('truncated.m4a', m4a.subarray(0, m4a.length >> 1), 'E_DECODE', 'an M4A cut in half (moov atom at the end is lost)');
  }
  return entries;
}
