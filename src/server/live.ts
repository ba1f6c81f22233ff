import type { FastifyInstance } from 'fastify';
import type { WebSocket } from '@fastify/websocket';
import type { RawData } from 'ws';
import { PassThrough } from 'node:stream';
import { EmovoxError, toEmovoxError } from '../errors.js';
import { timeline, summarizeTimeline, type SegmentClassifier, type TimelineSegment } from '../timeline/index.js';
import type { RawPcmFormat } from '../audio/stream.js';
import type { ServerContext } from './context.js';
import { toHttpError } from './errors.js';

/** The first message of a live session: what the binary messages after it hold. */
interface StartMessage {
  type: 'start';
  /** Headerless PCM (s16le, f32le), or "encoded": a container (WAV, FLAC, WebM/Ogg through ffmpeg) in chunks. */
  encoding: 's16le' | 'f32le' | 'encoded';
  sampleRate?: number;
  channels?: number;
  uncertainBelow?: number;
}

const START_TIMEOUT_MS = 10_000;

/**
 * WebSocket /v1/live: the client sends `{"type":"start","encoding":"s16le","sampleRate":16000}`,
 * then binary audio, then `{"type":"stop"}`; the server answers `{"type":"ready"}`, then
 * `{"type":"segment",…}` as each segment closes (the timeline's own streaming), then
 * `{"type":"end","summary":…}`, or `{"type":"error","error":{code,message}}`. The features
 * of each segment are made in the worker pool, so the event loop stays free.
 */
export function liveRoute(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/v1/live', { websocket: true, schema: { summary: 'Live timeline over a WebSocket (see the README for the messages)', hide: false } }, (socket: WebSocket) => {
    const send = (msg: object): void => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
    };
    const fail = (e: unknown): void => {
      const err = toHttpError(e);
      ctx.metrics.errors.inc({ code: err.code });
      send({ type: 'error', error: { code: err.code, message: err.message } });
      socket.close(err.status >= 500 ? 1011 : 1008, err.code);
    };
    if (ctx.closing) return fail(new EmovoxError('E_ABORTED', 'the server is shutting down: reconnect to another instance or later'));
    if (ctx.live.size >= ctx.options.maxLiveSessions) {
      const err = toHttpError(Object.assign(new Error(`${ctx.live.size} live sessions are open, the limit of this server: retry later`), { code: 'E_QUEUE_FULL' }));
      return fail(err);
    }
    const input = new PassThrough({ highWaterMark: 1 << 20 });
    let started = false;
    let done: Promise<void> = Promise.resolve();
    const startTimer = setTimeout(() => fail(new EmovoxError('E_USAGE', `no start message within ${START_TIMEOUT_MS / 1000} s: send {"type":"start","encoding":"s16le","sampleRate":16000} first`)), START_TIMEOUT_MS);
    const session = {
      finish: async (): Promise<void> => {
        if (!input.writableEnded) input.end();
        await done;
      },
    };
    ctx.live.add(session);
    ctx.metrics.liveSessions.set(ctx.live.size);
    const lengthTimer = setTimeout(() => {
      send({ type: 'notice', message: `the session reached the limit of ${ctx.options.liveSessionSec} s: ending it` });
      void session.finish();
    }, ctx.options.liveSessionSec * 1000);
    // The socket keeps the process up while the session lives; its timers must not keep it up after.
    startTimer.unref();
    lengthTimer.unref();
    const cleanup = (): void => {
      clearTimeout(startTimer);
      clearTimeout(lengthTimer);
      ctx.live.delete(session);
      ctx.metrics.liveSessions.set(ctx.live.size);
    };

    socket.on('message', (data: RawData, isBinary: boolean) => {
      try {
        if (!isBinary) {
          const msg = parseMessage(data.toString());
          if (msg.type === 'start' && !started) {
            // Checked before the session counts as started: a refused start must still be cleaned up on close.
            const options = startOptions(msg as StartMessage);
            started = true;
            clearTimeout(startTimer);
            done = run(ctx, input, options, send, fail).finally(() => {
              cleanup();
              if (socket.readyState === socket.OPEN) socket.close(1000, 'end');
            });
          } else if (msg.type === 'stop') void session.finish();
          else throw new EmovoxError('E_USAGE', `unexpected message ${JSON.stringify(msg.type)}: send "start" once, then binary audio, then "stop"`);
          return;
        }
        if (!started) throw new EmovoxError('E_USAGE', 'audio arrived before the start message: send {"type":"start",…} first');
        if (input.writableEnded) return;
        // Backpressure: stop reading the socket while the timeline is behind.
        if (!input.write(Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]))) {
          socket.pause();
          input.once('drain', () => socket.resume());
        }
      } catch (e) {
        input.destroy();
        fail(e);
      }
    });
    socket.on('close', () => {
      // A client that goes away ends its audio: the segments left are still made, then dropped.
      if (!input.writableEnded) input.end();
      if (!started) cleanup();
    });
  });
}

function parseMessage(text: string): { type?: unknown } {
  try {
    const m = JSON.parse(text) as { type?: unknown };
    if (m && typeof m === 'object') return m;
  } catch {
    // fall through
  }
  throw new EmovoxError('E_USAGE', 'text messages are JSON objects with a "type": "start" or "stop"');
}

function startOptions(m: StartMessage): { raw?: RawPcmFormat; uncertainBelow?: number } {
  if (m.encoding === 'encoded') return { uncertainBelow: m.uncertainBelow };
  if (m.encoding !== 's16le' && m.encoding !== 'f32le') throw new EmovoxError('E_USAGE', `encoding must be s16le, f32le or encoded, got ${JSON.stringify(m.encoding)}`);
  if (!(Number.isInteger(m.sampleRate) && (m.sampleRate as number) >= 1000)) throw new EmovoxError('E_USAGE', 'raw PCM needs sampleRate: a whole number of Hz, e.g. 16000');
  const channels = m.channels ?? 1;
  if (!(Number.isInteger(channels) && channels >= 1 && channels <= 32)) throw new EmovoxError('E_USAGE', `channels must be 1 to 32, got ${JSON.stringify(m.channels)}`);
  if (m.uncertainBelow !== undefined && !(m.uncertainBelow >= 0 && m.uncertainBelow <= 1)) throw new EmovoxError('E_USAGE', 'uncertainBelow must be between 0 and 1');
  return { raw: { encoding: m.encoding, sampleRate: m.sampleRate as number, channels }, uncertainBelow: m.uncertainBelow };
}

async function run(ctx: ServerContext, input: PassThrough, opts: { raw?: RawPcmFormat; uncertainBelow?: number }, send: (m: object) => void, fail: (e: unknown) => void): Promise<void> {
  const rec = ctx.recognizer;
  // The head runs here (a few multiply-adds); decoding of the features runs in the pool.
  const classifier: SegmentClassifier = {
    config: rec.config,
    features: (samples) => ctx.pool.run<{ values: Float32Array }>({ kind: 'features', modelDir: ctx.options.modelDir, samples }),
    probabilities: (values, rows) => rec.probabilities(values, rows),
  };
  const segments: TimelineSegment[] = [];
  const timelineRun = timeline(classifier, input, { ...opts, uncertainBelow: opts.uncertainBelow ?? ctx.options.uncertainBelow, maxDurationSec: ctx.options.maxDurationSec, file: 'the live stream' });
  send({ type: 'ready', labels: rec.labels });
  try {
    for await (const s of timelineRun) {
      segments.push(s);
      ctx.metrics.segments.inc({ route: '/v1/live' });
      send({ type: 'segment', ...s });
    }
    send({ type: 'end', summary: summarizeTimeline(segments, timelineRun.durationSec) });
  } catch (e) {
    fail(toEmovoxError(e, 'E_DECODE'));
  } finally {
    ctx.metrics.audioSeconds.inc({ route: '/v1/live' }, timelineRun.durationSec);
  }
}
