import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { summarizeTimeline, type TimelineSegment } from '../timeline/index.js';
import { timelineWriter, type TimelineFormat } from '../timeline/formats.js';
import type { Prediction } from '../types.js';
import type { ServerContext } from './context.js';
import { guarded } from './guard.js';
import { rawFormatOf } from './pcm.js';
import { classifySchema, healthSchema, modelSchema, timelineSchema } from './schemas.js';
import { readUpload, type Upload } from './upload.js';

interface RawQuery {
  encoding?: string;
  rate?: number;
  channels?: number;
  uncertainBelow?: number;
}

/** The media type of each timeline format. */
const FORMAT_TYPES: Record<TimelineFormat, string> = {
  json: 'application/json; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  srt: 'application/x-subrip; charset=utf-8',
  audacity: 'text/plain; charset=utf-8',
  text: 'text/plain; charset=utf-8',
};

// Six decimals, as `emovox predict --json`: short, and the scores still sum to 1 within 1e-5.
const round6 = (p: Prediction): Prediction => ({ label: p.label, score: Math.round(p.score * 1e6) / 1e6 });
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** The HTTP routes: classify, timeline, model, health, metrics. */
export function httpRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { options: o, pool, metrics } = ctx;

  app.post<{ Querystring: RawQuery & { topK?: number } }>('/v1/classify', { schema: classifySchema }, async (req, reply) => {
    const raw = rawFormatOf(req.query);
    const r = await guarded(ctx, req, reply, {
      upload: () => readUpload(req, o.maxUploadBytes),
      work: (upload: Upload, signal) => pool.run<{ predictions: Prediction[]; durationSec: number }>({ kind: 'classify', modelDir: o.modelDir, bytes: upload.bytes, raw, maxDurationSec: o.maxDurationSec }, signal),
    });
    metrics.audioSeconds.inc({ route: '/v1/classify' }, r.durationSec);
    const threshold = req.query.uncertainBelow ?? o.uncertainBelow;
    return { predictions: r.predictions.slice(0, req.query.topK ?? r.predictions.length).map(round6), uncertain: r.predictions[0].score < threshold, durationSec: round3(r.durationSec) };
  });

  app.post<{ Querystring: RawQuery & { format: TimelineFormat; maxSegmentSec?: number; minSilenceSec?: number; smoothing?: number } }>('/v1/timeline', { schema: timelineSchema }, async (req, reply) => {
    const q = req.query;
    const raw = rawFormatOf(q);
    let name = 'upload';
    const r = await guarded(ctx, req, reply, {
      upload: () => readUpload(req, o.maxUploadBytes),
      work: (upload: Upload, signal) => {
        name = upload.name;
        const options = { uncertainBelow: q.uncertainBelow ?? o.uncertainBelow, maxSegmentSec: q.maxSegmentSec, minSilenceSec: q.minSilenceSec, smoothing: q.smoothing, maxDurationSec: o.maxDurationSec, file: upload.name };
        return pool.run<{ segments: TimelineSegment[]; durationSec: number }>({ kind: 'timeline', modelDir: o.modelDir, bytes: upload.bytes, raw, options }, signal);
      },
    });
    metrics.audioSeconds.inc({ route: '/v1/timeline' }, r.durationSec);
    metrics.segments.inc({ route: '/v1/timeline' }, r.segments.length);
    const summary = summarizeTimeline(r.segments, r.durationSec);
    if (q.format === 'json') return { file: name, segments: r.segments, summary };
    const w = timelineWriter(q.format, name, ctx.recognizer.labels);
    reply.type(FORMAT_TYPES[q.format]);
    return w.begin() + r.segments.map((s) => w.segment(s)).join('') + w.end(summary);
  });

  let card: string | null = null;
  app.get('/v1/model', { schema: modelSchema }, async () => {
    card ??= await readFile(join(o.modelDir, 'MODEL_CARD.md'), 'utf8').catch(() => '');
    const rec = ctx.recognizer;
    return {
      labels: rec.labels,
      sampleRate: rec.config.sampleRate,
      speakerNormalized: rec.speakerNormalized,
      featureCount: rec.config.featureNames.length,
      recipe: rec.recipe,
      card,
      limits: { maxUploadBytes: o.maxUploadBytes, maxDurationSec: o.maxDurationSec, concurrency: o.concurrency, maxQueue: o.maxQueue, requestTimeoutMs: o.requestTimeoutMs, maxLiveSessions: o.maxLiveSessions, liveSessionSec: o.liveSessionSec, uncertainBelow: o.uncertainBelow },
    };
  });

  app.get('/healthz', { schema: healthSchema }, async (_req: FastifyRequest, reply: FastifyReply) => {
    if (ctx.closing) reply.code(503);
    return { status: ctx.closing ? 'closing' : 'ok', inFlight: ctx.queue.inFlight, queued: ctx.queue.depth, liveSessions: ctx.live.size };
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
