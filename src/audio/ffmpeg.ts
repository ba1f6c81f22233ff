import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/**
 * Decodes the first audio stream of any container ffmpeg reads into float samples at
 * the stream's own rate: the rate conversion is left to emovox's one resampler.
 * Spawned with an argument array (no shell), with a time limit.
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
  const input = typeof source === 'string' ? source : 'pipe:0';
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'info', '-i', input, '-vn', '-sn', '-dn', '-map', '0:a:0'];
  // Read a little past the limit, so that "too long" is detected without decoding hours.
  if (opts.maxDurationSec) args.push('-t', String(opts.maxDurationSec + 1));
  if (opts.mono !== false) args.push('-ac', '1');
  args.push('-f', 'f32le', '-acodec', 'pcm_f32le', 'pipe:1');

  return new Promise<FfmpegDecoded>((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? DEFAULT_FFMPEG_TIMEOUT_MS);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
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
      if (timedOut) return reject(new EmovoxError('E_FFMPEG', `ffmpeg took longer than ${(opts.timeoutMs ?? DEFAULT_FFMPEG_TIMEOUT_MS) / 1000} s on ${name}: the file may be huge or damaged; raise the time limit or split it`, { file }));
      if (code !== 0) return reject(ffmpegFailure(stderr, name, file));
      const channelCount = opts.mono === false ? parseChannels(stderr) : 1;
      const sampleRate = parseSampleRate(stderr);
      if (!sampleRate) return reject(new EmovoxError('E_DECODE', `ffmpeg decoded ${name} but reported no audio sample rate: the file is damaged`, { file }));
      const all = Buffer.concat(chunks);
      const interleaved = new Float32Array(all.buffer, all.byteOffset, Math.floor(all.byteLength / 4));
      const frames = Math.floor(interleaved.length / channelCount);
      const channels = Array.from({ length: channelCount }, (_, c) => {
        const ch = new Float32Array(frames);
        for (let i = 0; i < frames; i++) ch[i] = interleaved[i * channelCount + c];
        return ch;
      });
      resolve({ channels, sampleRate });
    });
  });
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
