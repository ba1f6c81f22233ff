import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { EmovoxError } from '../errors.js';

/** Anything encoded audio (or raw PCM) can stream from. */
export type ByteSource = string | Uint8Array | Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Bytes are handed on in pieces of at most this size, whatever the source delivers, so
 * that a decoder's output (and the audio held at once) stays small: 64 KiB is 2 s of
 * 16 kHz 16-bit mono, and the default chunk of Node's file streams.
 */
export const BYTE_CHUNK = 1 << 16;

/**
 * The bytes of a path, a Buffer, a Node Readable, a web ReadableStream or any async
 * iterable of bytes, in pieces of at most `BYTE_CHUNK`.
 * @example
 * for await (const piece of byteChunks(process.stdin)) total += piece.length;
 */
export async function* byteChunks(source: ByteSource, file?: string): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string') {
    await checkFile(source);
    yield* split(createReadStream(source, { highWaterMark: BYTE_CHUNK }) as AsyncIterable<Uint8Array>);
  } else if (source instanceof Uint8Array) {
    for (let i = 0; i < source.length; i += BYTE_CHUNK) yield source.subarray(i, i + BYTE_CHUNK);
  } else if (isWebStream(source)) {
    const reader = source.getReader();
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        yield* split([toBytes(value, file)]);
      }
    } finally {
      reader.releaseLock();
    }
  } else if (Symbol.asyncIterator in source) {
    yield* split(source as AsyncIterable<Uint8Array>, file);
  } else {
    throw new EmovoxError('E_USAGE', 'audio input must be a path, a Buffer/Uint8Array, a Node Readable, a web ReadableStream or an async iterable of bytes');
  }
}

async function* split(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, file?: string): AsyncGenerator<Uint8Array> {
  for await (const raw of source) {
    const chunk = toBytes(raw, file);
    for (let i = 0; i < chunk.length; i += BYTE_CHUNK) yield chunk.subarray(i, i + BYTE_CHUNK);
  }
}

function toBytes(value: unknown, file?: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new EmovoxError('E_USAGE', `${file ?? 'the audio stream'} delivered ${typeof value === 'string' ? 'text' : typeof value}, not bytes: open it without an encoding`);
}

function isWebStream(x: unknown): x is ReadableStream<Uint8Array> {
  return typeof (x as ReadableStream).getReader === 'function';
}

async function checkFile(path: string): Promise<void> {
  try {
    if ((await stat(path)).isDirectory()) throw new EmovoxError('E_UNSUPPORTED', `${path} is a folder, not an audio file`, { file: path });
  } catch (e) {
    if (e instanceof EmovoxError) throw e;
    throw new EmovoxError('E_NOT_FOUND', `${path} does not exist or cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}): check the path`, { file: path, cause: e });
  }
}
