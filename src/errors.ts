/**
 * Every failure a user can cause has a stable `code`, so scripts can branch on it,
 * and a message that says what to do next.
 */
export type ErrorCode =
  | 'E_NOT_FOUND' // the path does not exist (or is a symbolic link to nothing)
  | 'E_NOT_REGULAR' // a named pipe, device or socket: not a file that can be read to its end
  | 'E_LINK_LOOP' // a symbolic link that leads back to itself
  | 'E_NO_ACCESS' // the file exists but this user may not read it
  | 'E_UNSUPPORTED' // a format or option emovox cannot handle
  | 'E_DECODE' // corrupt or truncated data
  | 'E_EMPTY_AUDIO' // decoded, but no samples (or nothing but silence where speech is needed)
  | 'E_FFMPEG' // ffmpeg missing, failed or timed out
  | 'E_TOO_LONG' // above the caller's duration limit
  | 'E_TOO_SHORT' // below the shortest clip the front-ends can judge
  | 'E_BAD_FILENAME' // a corpus file name that does not parse
  | 'E_BAD_DATASET' // a manifest, CSV or folder that cannot be used for training
  | 'E_MODEL' // a model bundle that is missing or inconsistent
  | 'E_BAD_RESULT' // a file given to `emovox report` that is not a saved result
  | 'E_USAGE' // bad arguments
  | 'E_ABORTED' // cancelled by the caller's AbortSignal
  | 'E_INTERNAL' // a fault of emovox or its runtime, not of the input (a queue job records it and is retried)
  | 'E_TOO_LARGE' // an upload above the server's size limit
  | 'E_QUEUE_FULL' // the server has as many analyses waiting as it takes: retry later
  | 'E_TIMEOUT'; // the server's time limit for one request ran out

export class EmovoxError extends Error {
  readonly code: ErrorCode;
  /** The file the error is about, when there is one. */
  readonly file?: string;

  constructor(code: ErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EmovoxError';
    this.code = code;
    this.file = options.file;
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isEmovoxError(e: unknown): e is EmovoxError {
  return e instanceof EmovoxError;
}

/** Wraps anything thrown into an EmovoxError so batch loops can report it uniformly. */
export function toEmovoxError(e: unknown, fallback: ErrorCode = 'E_DECODE', file?: string): EmovoxError {
  if (e instanceof EmovoxError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new EmovoxError(fallback, message, { file, cause: e });
}

/**
 * What `loadDataset` / `dataset scan` report about a corpus without refusing it: the error
 * codes above where a file is unusable, and findings about the corpus as a whole.
 */
export type ProblemCode =
  | ErrorCode
  | 'E_UNREADABLE' // empty, or cannot be read: left out
  | 'DUPLICATE_PERFORMANCE' // copies of one performance: kept on one side of every split
  | 'SINGLE_LABEL_SPEAKER' // a speaker with one label only
  | 'UNKNOWN_SPEAKER'; // files whose speaker is not known: each is its own group
