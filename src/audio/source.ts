import { constants, readSync } from 'node:fs';
import { open, readlink, lstat, type FileHandle } from 'node:fs/promises';
import { EmovoxError } from '../errors.js';

/**
 * Random access to an input's bytes, a file on disk or a buffer in memory, so that a
 * decoder reads the header first and only as much of the rest as it needs: nothing is
 * loaded whole before its length has been checked.
 */
export interface ByteSource {
  /** The path, for messages and ffmpeg; undefined for bytes given in memory. */
  readonly file?: string;
  /** Total size in bytes (from fstat for files). */
  readonly size: number;
  /** Up to `length` bytes from `position` (fewer at the end); synchronous, for small header reads. */
  readSync(position: number, length: number): Uint8Array;
  /** The same, asynchronous, for the sample data. */
  read(position: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A buffer seen as a ByteSource (views, no copies). */
export function bufferSource(bytes: Uint8Array): ByteSource {
  const at = (p: number, n: number) => bytes.subarray(Math.min(p, bytes.length), Math.min(p + n, bytes.length));
  return { size: bytes.length, readSync: at, read: async (p, n) => at(p, n), close: async () => undefined };
}

/**
 * Opens a path for reading, refusing anything but a regular file before a byte is read.
 * O_NONBLOCK makes opening a named pipe return at once instead of waiting for a writer,
 * and the type is checked on the opened descriptor (fstat), so a file swapped for a pipe
 * between a check and the open cannot hang the process.
 *
 * @example
 * const src = await openFileSource('clip.wav');
 * try { const head = src.readSync(0, 12); } finally { await src.close(); }
 */
export async function openFileSource(path: string): Promise<ByteSource> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw await openError(path, e as NodeJS.ErrnoException);
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw new EmovoxError('E_UNSUPPORTED', `${path} is a folder, not an audio file: give the files in it, or the folder to a command that searches folders`, { file: path });
    if (!st.isFile()) {
      throw new EmovoxError('E_NOT_REGULAR', `${path} is ${specialKind(st)}, not a regular file: emovox reads files whose end it can see; save the audio to a file first`, { file: path });
    }
    const fd = handle.fd;
    const size = st.size;
    return {
      file: path,
      size,
      readSync(position, length) {
        const n = Math.max(0, Math.min(length, size - position));
        const out = new Uint8Array(n);
        let got = 0;
        while (got < n) {
          const r = readSync(fd, out, got, n - got, position + got);
          if (r === 0) break;
          got += r;
        }
        return got === n ? out : out.subarray(0, got);
      },
      async read(position, length) {
        const n = Math.max(0, Math.min(length, size - position));
        const out = new Uint8Array(n);
        let got = 0;
        while (got < n) {
          const { bytesRead } = await handle.read(out, got, n - got, position + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return got === n ? out : out.subarray(0, got);
      },
      close: () => handle.close(),
    };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

function specialKind(st: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The error a user can act on for a failed open: what is really wrong with the path. */
export async function openError(path: string, e: NodeJS.ErrnoException): Promise<EmovoxError> {
  const code = e.code;
  if (code === 'ENOENT') {
    const target = await readlink(path).catch(() => null);
    if (target !== null) return new EmovoxError('E_NOT_FOUND', `${path} is a symbolic link to ${target}, which does not exist: fix or remove the link`, { file: path, cause: e });
    return new EmovoxError('E_NOT_FOUND', `${path} does not exist: check the path`, { file: path, cause: e });
  }
  if (code === 'ELOOP') return new EmovoxError('E_LINK_LOOP', `${path} is a symbolic link that leads back to itself (a link loop): fix the link`, { file: path, cause: e });
  if (code === 'EACCES' || code === 'EPERM') return new EmovoxError('E_NO_ACCESS', `${path} cannot be read: permission denied; check its permissions`, { file: path, cause: e });
  if (code === 'ENOTDIR') return new EmovoxError('E_NOT_FOUND', `${path} does not exist: a part of the path before its last name is a file, not a folder`, { file: path, cause: e });
  if (code === 'ENAMETOOLONG') return new EmovoxError('E_NOT_FOUND', `${path} is too long a path for this system: shorten it`, { file: path, cause: e });
  const isLink = await lstat(path).then((s) => s.isSymbolicLink()).catch(() => false);
  return new EmovoxError('E_NOT_FOUND', `cannot open ${path}${isLink ? ' (a symbolic link)' : ''} (${code ?? e.message}): check the path and its permissions`, { file: path, cause: e });
}
