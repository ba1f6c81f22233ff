import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { EmovoxError } from '../errors.js';
import { ffmpegPath } from './ffmpeg.js';

/**
 * Any container ffmpeg reads, turned into a WAV stream of 32-bit float mono at the
 * input's own rate, read from ffmpeg's stdout as it is written: the rate conversion is
 * left to emovox's one resampler, as in `decodeWithFfmpeg`. The input is a path (ffmpeg
 * reads it) or bytes written to ffmpeg's stdin as they come. Spawned with an argument
 * array, never a shell; killed if the reader stops early.
 * @example
 * const wav = new WavStreamDecoder('call.mp3');
 * for await (const bytes of ffmpegWavStream('call.mp3')) for (const block of wav.push(bytes)) use(block);
 */
export async function* ffmpegWavStream(input: string | AsyncIterable<Uint8Array>, file?: string): AsyncGenerator<Uint8Array> {
  const bin = ffmpegPath();
  if (!existsSync(bin)) throw new EmovoxError('E_FFMPEG', `ffmpeg not found at ${bin}: set FFMPEG_PATH to an ffmpeg binary`);
  const name = file ?? (typeof input === 'string' ? input : 'input');
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', typeof input === 'string' ? input : 'pipe:0', '-vn', '-sn', '-dn', '-map', '0:a:0', '-ac', '1', '-f', 'wav', '-acodec', 'pcm_f32le', 'pipe:1'];
  if (typeof input !== 'string') args.splice(0, 1);
  const child = spawn(bin, args, { stdio: [typeof input === 'string' ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    if (stderr.length < 1 << 14) stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (e) => reject(new EmovoxError('E_FFMPEG', `cannot run ffmpeg at ${bin} (${e.message}): set FFMPEG_PATH to a working ffmpeg`, { file, cause: e })));
    child.on('close', (code) => resolve(code));
  });
  exited.catch(() => undefined);
  let feedError: unknown = null;
  if (typeof input !== 'string' && child.stdin) {
    const stdin = child.stdin;
    stdin.on('error', () => undefined); // ffmpeg may stop reading on bad input; its exit code tells
    void (async () => {
      try {
        for await (const bytes of input) {
          if (!stdin.write(bytes)) await new Promise((r) => stdin.once('drain', r));
          if (stdin.destroyed) break;
        }
      } catch (e) {
        feedError = e;
      } finally {
        stdin.end();
      }
    })();
  }
  let finished = false;
  try {
    for await (const chunk of child.stdout as NodeJS.ReadableStream) yield chunk as Buffer;
    const code = await exited;
    finished = true;
    if (feedError) throw feedError;
    if (code !== 0) throw failure(stderr, name, file);
  } finally {
    if (!finished && child.exitCode === null) child.kill('SIGKILL');
  }
}

function failure(stderr: string, name: string, file?: string): EmovoxError {
  const last = stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300);
  if (/matches no streams|does not contain any stream/i.test(stderr)) return new EmovoxError('E_UNSUPPORTED', `${name} has no audio track: give a file with sound`, { file });
  return new EmovoxError('E_DECODE', `${name} could not be decoded to the end (ffmpeg: ${last || 'no message'}): check the file is complete and really is media`, { file });
}
