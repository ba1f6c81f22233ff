import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { PACKAGE_ROOT, SHARED_DATA } from '../src/paths.js';
import { EMOTIONS } from '../src/types.js';

export const RAVDESS_16K = join(SHARED_DATA, 'ravdess-speech-16k');
export const RAVDESS_48K = join(SHARED_DATA, 'ravdess-speech-48k');

/** The FLAC files of one RAVDESS actor (1..20) in the shared 16 kHz set, sorted. */
export function actorFiles(actor: number): string[] {
  const dir = join(RAVDESS_16K, `Actor_${String(actor).padStart(2, '0')}`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.flac'))
    .sort()
    .map((f) => join(dir, f));
}

export function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

/** SNR of `test` against `ref` in dB, over their common length. */
export function snrDb(ref: Float32Array, test: Float32Array): number {
  const n = Math.min(ref.length, test.length);
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < n; i++) {
    signal += ref[i] * ref[i];
    noise += (ref[i] - test[i]) ** 2;
  }
  return 10 * Math.log10(signal / noise);
}

/** A small corpus in RAVDESS layout under `dir`: the given actors, `perEmotion` takes of each emotion. */
export function smallRavdessCorpus(dir: string, actors: number[], perEmotion: number): string {
  for (const actor of actors) {
    const sub = join(dir, `Actor_${String(actor).padStart(2, '0')}`);
    mkdirSync(sub, { recursive: true });
    const files = actorFiles(actor);
    for (const emotion of EMOTIONS) {
      const code = String(EMOTIONS.indexOf(emotion) + 1).padStart(2, '0');
      files
        .filter((f) => f.split('/').pop()!.split('-')[2] === code)
        .slice(0, perEmotion)
        .forEach((f) => copyFileSync(f, join(sub, f.split('/').pop()!)));
    }
  }
  return dir;
}

/**
 * `emovox serve ARGS --port 0` from source as a child process, and the address it prints once
 * it listens (rejected after `timeoutMs`, with what it wrote on stderr). `stderr()` is all it
 * has written so far. The caller stops the child.
 */
export function spawnServe(args: string[], timeoutMs: number): { child: ChildProcessByStdio<null, Readable, Readable>; url: Promise<string>; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PACKAGE_ROOT, 'src', 'cli', 'main.ts'), 'serve', '--port', '0', ...args], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.resume(); // nothing reads it; a full pipe would stall a server started with --log
  let stderr = '';
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emovox serve printed no address in ${timeoutMs / 1000} s: ${stderr}`)), timeoutMs);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      const m = /serving on (http:\/\/[\d.]+:\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { child, url, stderr: () => stderr };
}
