import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { EmovoxError } from '../errors.js';

/** Extensions searched for in folders. Files named explicitly are decoded whatever their name. */
export const MEDIA_EXTENSIONS = new Set([
  '.wav', '.wave', '.flac', '.mp3', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.webm', '.mp4', '.m4v', '.mov', '.mkv', '.avi', '.wma', '.aif', '.aiff',
]);

export function isMediaFile(path: string): boolean {
  return MEDIA_EXTENSIONS.has(extname(path).toLowerCase());
}

/** Files as given, plus audio/video files found recursively in the folders given, each list sorted. */
export async function listMediaFiles(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    let s;
    try {
      s = await stat(input);
    } catch (e) {
      throw new EmovoxError('E_NOT_FOUND', `${input} does not exist: check the path`, { file: input, cause: e });
    }
    if (s.isDirectory()) out.push(...(await walk(input)).sort());
    else out.push(input);
  }
  return out;
}

/**
 * Symbolic links are followed (people link corpora into one folder), and each real
 * folder is read once, so a link loop ends instead of recursing forever.
 */
async function walk(dir: string, seen = new Set<string>()): Promise<string[]> {
  const real = await realpath(dir);
  if (seen.has(real)) return [];
  seen.add(real);
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    let kind: 'dir' | 'file' | 'other' = entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
    if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => null); // a dangling link is skipped
      kind = target?.isDirectory() ? 'dir' : target?.isFile() ? 'file' : 'other';
    }
    if (kind === 'dir') found.push(...(await walk(path, seen)));
    else if (kind === 'file' && isMediaFile(path)) found.push(path);
  }
  return found;
}
