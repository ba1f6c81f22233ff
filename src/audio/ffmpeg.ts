import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { EmovoxError } from '../errors.js';

const require = createRequire(import.meta.url);

/** The ffmpeg binary: `$FFMPEG_PATH`, else the static build shipped in @ffmpeg-installer/ffmpeg. */
export function ffmpegPath(): string {
  if (process.env.FFMPEG_PATH) return process.env.FFMPEG_PATH;
  try {
    return (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  } catch (e) {
    throw new EmovoxError('E_FFMPEG', 'no ffmpeg binary for this platform in @ffmpeg-installer/ffmpeg: install ffmpeg and set FFMPEG_PATH to it', { cause: e });
  }
}

export const DEFAULT_FFMPEG_TIMEOUT_MS = 120_000;

export interface FfmpegDecoded {
  channels: Float32Array[];
  sampleRate: number;
}

/** Before ffmpeg has said the stream's rate, at most this much output is accepted. */
const BYTES_BEFORE_RATE_KNOWN = 64 << 20;

/**
 * A path as ffmpeg must see it: `file:` and the absolute path, so that a file named
 * `pipe:0.mp3`, `http:x.wav` or `-i.wav` is read as that file, never as a protocol or
 * an option (https://ffmpeg.org/ffmpeg-protocols.html#file).
 *
 * @example
 * ffmpegInput('pipe:0.mp3') // 'file:/current/dir/pipe:0.mp3'
 */
export function ffmpegInput(path: string): string {
  return `file:${resolve(path)}`;
}

/**
 * Decodes the first audio stream of any container ffmpeg reads into float samples at
 * the stream's own rate: the rate conversion is left to emovox's one resampler.
 * Spawned with an argument array (no shell), with a time limit; only the `file` and
 * `pipe` protocols are allowed, so a playlist cannot make ffmpeg fetch or open anything
 * else. With `maxDurationSec`, ffmpeg stops a second past the limit (`-t`) and its output
 * is capped at that many seconds of samples, whatever the container claims.
 */
export async function decodeWithFfmpeg(
  source: string | Uint8Array,
  opts: { mono?: boolean; timeoutMs?: number; maxDurationSec?: number; file?: string } = {},
): Promise<FfmpegDecoded> {
  const bin = ffmpegPath();
  if (!existsSync(bin)) {
    throw new EmovoxError('E_FFMPEG', process.env.FFMPEG_PATH ? `FFMPEG_PATH points to ${bin}, which does not exist: fix or unset it` : `ffmpeg not found at ${bin}: set FFMPEG_PATH to an ffmpeg binary`);
  }
  const file = opts.file ?? (typeof source === 'string' ? source : undefined);
  const input = typeof source === 'string' ? ffmpegInput(source) : 'pipe:0';
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'info', '-protocol_whitelist', 'file,pipe', '-i', input, '-vn', '-sn', '-dn', '-map', '0:a:0'];
  // Read a little past the limit, so that "too long" is detected without decoding hours.
  if (opts.maxDurationSec) args.push('-t', String(opts.maxDurationSec + 1));
  if (opts.mono !== false) args.push('-ac', '1');
  args.push('-f', 'f32le', '-acodec', 'pcm_f32le', 'pipe:1');

  return new Promise<FfmpegDecoded>((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let received = 0;
    let stderr = '';
    let timedOut = false;
    let overLimit = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? DEFAULT_FFMPEG_TIMEOUT_MS);
    child.stdout.on('data', (c: Buffer) => {
      received += c.length;
      if (overLimit) return;
      if (opts.maxDurationSec !== undefined && received > outputByteCap(stderr, opts.maxDurationSec, opts.mono !== false)) {
        overLimit = true;
        chunks.length = 0;
        child.kill('SIGKILL');
        return;
      }
      chunks.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 1 << 16) stderr += c.toString();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new EmovoxError('E_FFMPEG', `cannot run ffmpeg at ${bin} (${e.message}): set FFMPEG_PATH to a working ffmpeg`, { file, cause: e }));
    });
    child.stdin.on('error', () => {
      /* ffmpeg may close stdin early on bad input; its exit code tells the story */
    });
    if (typeof source !== 'string') child.stdin.end(Buffer.from(source.buffer, source.byteOffset, source.byteLength));
    else child.stdin.end();
    child.on('close', (code) => {
      clearTimeout(timer);
      const name = file ?? 'input';
      if (overLimit) {
        return reject(new EmovoxError('E_TOO_LONG', `${name} decodes to more than ${opts.maxDurationSec} s of audio, above the limit: raise the limit, or follow the emotion over time with "emovox timeline" (timeline() in the library), which streams recordings of any length`, { file }));
      }
      if (timedOut) return reject(new EmovoxError('E_FFMPEG', `ffmpeg took longer than ${(opts.timeoutMs ?? DEFAULT_FFMPEG_TIMEOUT_MS) / 1000} s on ${name}: the file may be huge or damaged; raise the time limit or split it`, { file }));
      if (code !== 0) return reject(ffmpegFailure(stderr, name, file));
      const channelCount = opts.mono === false ? parseChannels(stderr) : 1;
      const sampleRate = parseSampleRate(stderr);
      if (!sampleRate) return reject(new EmovoxError('E_DECODE', `ffmpeg decoded ${name} but reported no audio sample rate: the file is damaged`, { file }));
      // Copied once into an aligned array (a pooled Buffer's offset need not be a multiple of 4).
      const interleaved = new Float32Array(Math.floor(received / 4));
      const bytes = new Uint8Array(interleaved.buffer, 0, interleaved.length * 4);
      let at = 0;
      for (const c of chunks.splice(0)) {
        bytes.set(c.subarray(0, Math.max(0, bytes.length - at)), at);
        at += c.length;
      }
      const frames = Math.floor(interleaved.length / channelCount);
      if (channelCount === 1) return resolve({ channels: [interleaved.length === frames ? interleaved : interleaved.slice(0, frames)], sampleRate });
      const channels = Array.from({ length: channelCount }, (_, c) => {
        const ch = new Float32Array(frames);
        for (let i = 0; i < frames; i++) ch[i] = interleaved[i * channelCount + c];
        return ch;
      });
      resolve({ channels, sampleRate });
    });
  });
}

/** Bytes of f32 output that hold `maxDurationSec` + 1 s at the rate ffmpeg announced (a fixed cap until it has). */
function outputByteCap(stderr: string, maxDurationSec: number, mono: boolean): number {
  const rate = parseSampleRate(stderr);
  if (!rate) return BYTES_BEFORE_RATE_KNOWN;
  return Math.ceil((maxDurationSec + 1) * rate) * 4 * (mono ? 1 : parseChannels(stderr));
}

function ffmpegFailure(stderr: string, name: string, file?: string): EmovoxError {
  const last = stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300);
  if (/Stream map '0:a:0' matches no streams|does not contain any stream|Output file #0 does not contain/i.test(stderr)) {
    return new EmovoxError('E_UNSUPPORTED', `${name} has no audio track: give a file with sound`, { file });
  }
  if (/Invalid data found|could not find codec|Invalid argument|moov atom not found|End of file|header/i.test(stderr)) {
    return new EmovoxError('E_DECODE', `${name} is not a readable audio or video file (ffmpeg: ${last}): check the file is complete and really is media`, { file });
  }
  return new EmovoxError('E_FFMPEG', `ffmpeg failed on ${name} (${last})`, { file });
}

// The input stream's line, e.g. "Stream #0:1(und): Audio: aac (LC), 48000 Hz, stereo, fltp".
// Take the output's rate: the first "Audio:" line after "Output #0", which is what we read.
function outputStreamLine(stderr: string): string | undefined {
  const out = stderr.indexOf('Output #0');
  const tail = out >= 0 ? stderr.slice(out) : stderr;
  return /Audio: [^\n]*/.exec(tail)?.[0];
}

function parseSampleRate(stderr: string): number | null {
  const m = / (\d+) Hz/.exec(outputStreamLine(stderr) ?? '');
  return m ? Number(m[1]) : null;
}

function parseChannels(stderr: string): number {
  const line = outputStreamLine(stderr) ?? '';
  if (/\bmono\b/.test(line)) return 1;
  if (/\bstereo\b/.test(line)) return 2;
  const m = /(\d+) channels/.exec(line);
  if (m) return Number(m[1]);
  const layout = /\b(\d)\.(\d)(?:\(\w+\))?\b/.exec(line);
  return layout ? Number(layout[1]) + Number(layout[2]) : 1;
}
