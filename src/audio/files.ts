import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { EmovoxError } from '../errors.js';
import { openError } from './source.js';

/** Extensions searched for in folders. Files named explicitly are decoded whatever their name. */
export const MEDIA_EXTENSIONS = new Set([
  '.wav', '.wave', '.flac', '.mp3', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.webm', '.mp4', '.m4v', '.mov', '.mkv', '.avi', '.wma', '.aif', '.aiff',
]);

export function isMediaFile(path: string): boolean {
  return MEDIA_EXTENSIONS.has(extname(path).toLowerCase());
}

/** An entry with a media extension that a folder walk found but cannot read, and why. */
export interface FileProblem {
  file: string;
  error: EmovoxError;
}

/**
 * Files as given, plus audio/video files found recursively in the folders given, each
 * list sorted; and the problems: entries with a media extension that are named pipes,
 * devices or sockets, symbolic links to nothing, or link loops. Those are reported, not
 * silently skipped, and never opened (opening a pipe would wait for a writer forever).
 * A path given explicitly is returned as it is, for the decoder to refuse with its code.
 *
 * @example
 * const { files, problems } = await findMediaFiles(['corpus/']);
 * for (const p of problems) console.error(`${p.file}: ${p.error.code}: ${p.error.message}`);
 */
export async function findMediaFiles(inputs: string[]): Promise<{ files: string[]; problems: FileProblem[] }> {
  const files: string[] = [];
  const problems: FileProblem[] = [];
  for (const input of inputs) {
    let s;
    try {
      s = await stat(input);
    } catch (e) {
      throw await openError(input, e as NodeJS.ErrnoException);
    }
    if (s.isDirectory()) {
      const found: string[] = [];
      await walk(input, new Set(), found, problems);
      files.push(...found.sort());
    } else files.push(input);
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, problems };
}

/** The files of `findMediaFiles`, without the problems. */
export async function listMediaFiles(inputs: string[]): Promise<string[]> {
  return (await findMediaFiles(inputs)).files;
}

/**
 * Symbolic links are followed (people link corpora into one folder), and each real
 * folder is read once, so a link loop between folders ends instead of recursing forever.
 */
async function walk(dir: string, seen: Set<string>, found: string[], problems: FileProblem[]): Promise<void> {
  const real = await realpath(dir);
  if (seen.has(real)) return;
  seen.add(real);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    let target: Awaited<ReturnType<typeof stat>> | null = null;
    if (entry.isSymbolicLink() || !(entry.isDirectory() || entry.isFile())) {
      try {
        target = await stat(path);
      } catch (e) {
        if (isMediaFile(path)) problems.push({ file: path, error: await openError(path, e as NodeJS.ErrnoException) });
        continue;
      }
    }
    const isDir = target ? target.isDirectory() : entry.isDirectory();
    const isFile = target ? target.isFile() : entry.isFile();
    if (isDir) await walk(path, seen, found, problems);
    else if (isFile) {
      if (isMediaFile(path)) found.push(path);
    } else if (isMediaFile(path)) {
      const kind = (await lstat(path)).isSymbolicLink() ? 'a symbolic link to a named pipe, device or socket' : 'a named pipe, device or socket';
      problems.push({ file: path, error: new EmovoxError('E_NOT_REGULAR', `${path} is ${kind}, not a regular file: emovox reads files whose end it can see; save the audio to a file first`, { file: path }) });
    }
  }
}
