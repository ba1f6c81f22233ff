import type { ErrorCode } from '../errors.js';
import type { RawPcmFormat } from '../audio/stream.js';
import type { TimelineOptions, TimelineSegment } from '../timeline/index.js';
import type { Prediction } from '../types.js';

/** What the server sends its worker threads; errors come back as data, because a thrown error loses its `code` on the way. */
export type WorkTask =
  | { kind: 'classify'; modelDir: string; bytes: Uint8Array; raw?: RawPcmFormat; maxDurationSec: number }
  | { kind: 'timeline'; modelDir: string; bytes: Uint8Array; raw?: RawPcmFormat; options: TimelineOptions }
  | { kind: 'features'; modelDir: string; samples: Float32Array };

export type WorkReply =
  | { predictions: Prediction[]; durationSec: number }
  | { segments: TimelineSegment[]; durationSec: number }
  | { values: Float32Array }
  | { error: { code: ErrorCode; message: string } };
