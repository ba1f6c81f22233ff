import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { HttpError } from './errors.js';

export interface Upload {
  bytes: Buffer;
  /** The media type given by the client (the part's, for a form). */
  type: string;
  /** The file name given by the client, or "upload". */
  name: string;
}

/** Containers and codecs go by their bytes (ffmpeg reads the rest); the declared type only has to claim to be media. */
export function isMediaType(type: string): boolean {
  return /^(audio|video)\/[\w.+-]+$/.test(type) || type === 'application/octet-stream' || type === 'application/ogg';
}

/**
 * The uploaded file, from a multipart form (its first file part) or from the raw body
 * with its Content-Type, read into memory up to `maxBytes` (413 beyond). A stream that
 * stops short is a 400; a type that is not media is a 415.
 */
export async function readUpload(req: FastifyRequest, maxBytes: number): Promise<Upload> {
  const tooLarge = (): HttpError => new HttpError('E_TOO_LARGE', `the upload is larger than the limit of ${maxBytes} bytes: send a shorter or compressed file, or start the server with a larger --max-upload`);
  if (req.isMultipart()) {
    const part = await req.file({ limits: { fileSize: maxBytes, files: 1, fields: 20 } });
    if (!part) throw new HttpError('E_USAGE', 'the form holds no file: send the audio in a file field (e.g. curl -F file=@clip.wav)');
    const type = part.mimetype.toLowerCase();
    if (type && !isMediaType(type)) throw new HttpError('E_UNSUPPORTED', `${part.filename || 'the file'} is sent as ${type}, not audio or video: send an audio or video file`);
    let bytes: Buffer;
    try {
      bytes = await part.toBuffer();
    } catch (e) {
      if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
      throw cutShort(e);
    }
    return { bytes, type, name: part.filename || 'upload' };
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!isMediaType(type)) {
    throw new HttpError('E_UNSUPPORTED', `${type ? `the media type ${type} is` : 'a body without a Content-Type is'} not audio or video: send the audio as the body with its type (e.g. Content-Type: audio/wav), or as a form with curl -F file=@clip.wav`);
  }
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req.body as Readable) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk as Buffer);
    }
  } catch (e) {
    throw e instanceof HttpError ? e : cutShort(e);
  }
  if (Number.isFinite(declared) && size < declared) throw cutShort(new Error(`${size} of ${declared} bytes`));
  return { bytes: Buffer.concat(chunks, size), type, name: 'upload' };
}

function cutShort(e: unknown): HttpError {
  return new HttpError('E_DECODE', `the upload stopped before its end (${(e as Error).message}): send the whole file again`);
}
