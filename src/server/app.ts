import Fastify, { type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import websocket from '@fastify/websocket';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { fileURLToPath } from 'node:url';
import { EmotionRecognizer } from '../pipeline.js';
import { VERSION } from '../version.js';
import type { ServerContext } from './context.js';
import { toHttpError } from './errors.js';
import { liveRoute } from './live.js';
import { ServerMetrics } from './metrics.js';
import { resolveServerOptions, type ServerOptions } from './options.js';
import { addRequestBodies } from './openapi.js';
import { WorkPool } from './pool.js';
import { AdmissionQueue } from './queue.js';
import { httpRoutes } from './routes.js';
import { errorSchema, segmentSchema, summarySchema } from './schemas.js';

export type { ServerOptions } from './options.js';

export const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url).href.replace('/dist/src/', '/src/'));

/**
 * The HTTP API and the web page over one loaded model, ready to `listen`. Closing it
 * (`app.close()`) lets the requests in flight and the live sessions finish, then stops
 * the worker threads.
 * @example
 * const app = await createServer({ concurrency: 2 });
 * await app.listen({ host: '127.0.0.1', port: 8080 });
 */
export async function createServer(options: ServerOptions = {}): Promise<FastifyInstance> {
  const o = resolveServerOptions(options);
  const recognizer = await EmotionRecognizer.load(o.modelDir);
  const metrics = new ServerMetrics();
  const queue = new AdmissionQueue(o.concurrency, o.maxQueue, (running, queued) => {
    metrics.inFlight.set(running);
    metrics.queueDepth.set(queued);
  });
  const pool = new WorkPool(o.workers);
  const ctx: ServerContext = { options: o, recognizer, pool, queue, metrics, closing: false, live: new Set() };

  // Fastify's own timeout is for a stalled connection; the request's limit is ours (guard.ts), a little sooner.
  const app = Fastify({ logger: o.logger, requestTimeout: o.requestTimeoutMs + 10_000, bodyLimit: o.maxUploadBytes, return503OnClosing: true, forceCloseConnections: 'idle' });

  // Uploads are read as streams by the routes (upload.ts), not parsed up front.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  await app.register(multipart, { limits: { fileSize: o.maxUploadBytes, files: 1 } });
  await app.register(websocket, { options: { maxPayload: 1 << 20 } });
  app.addSchema(errorSchema);
  app.addSchema(segmentSchema);
  app.addSchema(summarySchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'emovox', version: VERSION, description: 'Speech emotion recognition: classify a recording, the timeline of a long one, live audio over a WebSocket.' },
    },
    // Shared schemas keep their names ("Error", "Segment") in the document.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transformObject: (doc) => ('openapiObject' in doc ? addRequestBodies(doc.openapiObject as never) : doc.swaggerObject),
  });

  app.setErrorHandler((e, _req, reply) => {
    const err = toHttpError(e);
    metrics.errors.inc({ code: err.code });
    if (err.status >= 500 && err.code === 'E_INTERNAL') app.log.error(e);
    void reply.code(err.status).headers(err.headers).type('application/json; charset=utf-8').send({ error: { code: err.code, message: err.message } });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: { code: 'E_NOT_FOUND', message: `no route ${req.method} ${req.url}: see /openapi.json` } });
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unknown';
    metrics.requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    metrics.latency.observe({ route }, reply.elapsedTime / 1000);
  });
  // Shutdown: refuse new work, let live sessions end their audio and send their last segments.
  app.addHook('preClose', async () => {
    ctx.closing = true;
    await Promise.all([...ctx.live].map((s) => s.finish()));
  });
  app.addHook('onClose', async () => {
    await pool.destroy();
  });

  httpRoutes(app, ctx);
  liveRoute(app, ctx);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/', index: ['index.html'] });
  return app;
}
