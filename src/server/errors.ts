import { EmovoxError, type ErrorCode } from '../errors.js';

/**
 * The server's own failures, beside the library's codes: an upload above the byte limit, a
 * full queue, a request that ran past its time, a fault of the server itself.
 */
export type ServerErrorCode = ErrorCode | 'E_TOO_LARGE' | 'E_QUEUE_FULL' | 'E_TIMEOUT' | 'E_INTERNAL';

/**
 * The HTTP status for each code, in one place. Bad input is a 4xx whatever its code: a code
 * this table does not know yet (a decoder may add one) is taken as the input's fault (400),
 * so that a 500 always means a fault of the server (RFC 9110 §15.5, §15.6).
 */
export const HTTP_STATUS: Record<string, number> = {
  E_DECODE: 400, // corrupt or truncated data
  E_USAGE: 400, // a bad parameter
  E_NOT_REGULAR: 400,
  E_UNSUPPORTED: 415, // a media type or container emovox cannot read
  E_EMPTY_AUDIO: 422, // decoded, but silence or no samples: well-formed, nothing to judge
  E_TOO_SHORT: 422,
  E_TOO_LONG: 413, // longer than the duration limit
  E_TOO_LARGE: 413, // more bytes than the upload limit
  E_QUEUE_FULL: 503, // the bounded queue is full: retry after Retry-After
  E_TIMEOUT: 503, // the work ran past the per-request timeout
  E_ABORTED: 503, // the server is shutting down
  E_MODEL: 500, // the server's model bundle is broken
  E_FFMPEG: 500, // the server's ffmpeg is missing or failed to start (a decode failure is E_DECODE)
  E_INTERNAL: 500,
};

export function httpStatus(code: string): number {
  return HTTP_STATUS[code] ?? 400;
}

/** An error the server answers with: a stable code, a message saying what to do, its status. */
export class HttpError extends Error {
  constructor(
    readonly code: ServerErrorCode,
    message: string,
    readonly status: number = httpStatus(code),
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Any thrown value as the `{ code, message }` and status a client gets; unknown faults are E_INTERNAL (500). */
export function toHttpError(e: unknown): HttpError {
  if (e instanceof HttpError) return e;
  if (e instanceof EmovoxError) return new HttpError(e.code, e.message);
  const err = e as { code?: unknown; message?: unknown; statusCode?: unknown };
  // Fastify's own errors (FST_…) carry the status of what the client did wrong.
  if (typeof err?.code === 'string' && err.code.startsWith('FST_')) return fastifyError(err.code, String(err.message), Number(err.statusCode) || 400);
  if (typeof err?.code === 'string' && /^E_[A-Z_]+$/.test(err.code)) return new HttpError(err.code as ServerErrorCode, String(err.message));
  return new HttpError('E_INTERNAL', `internal error: ${err?.message ?? String(e)}`, 500);
}

function fastifyError(code: string, message: string, status: number): HttpError {
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return new HttpError('E_UNSUPPORTED', `${message}: send the audio as multipart/form-data (field "file") or as the raw body with its type (audio/wav, audio/flac, audio/mpeg, audio/webm, video/mp4, application/octet-stream …)`, 415);
  }
  if (status === 413 || code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new HttpError('E_TOO_LARGE', `${message}: send a smaller file, or start the server with a larger --max-upload`, 413);
  if (status >= 500) return new HttpError('E_INTERNAL', message, status);
  if (status === 404) return new HttpError('E_NOT_FOUND', message, 404);
  return new HttpError('E_USAGE', message, status);
}
