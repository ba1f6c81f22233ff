import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';
import type { ServerContext } from './context.js';

/**
 * Runs a request's upload and work under the server's limits: a place in the bounded queue
 * (503 when full), the per-request timeout from admission to answer (408 while the body is
 * still arriving, 503 once the work has begun), and the CPU slot for the work itself.
 */
export async function guarded<T>(
  ctx: ServerContext,
  req: FastifyRequest,
  reply: FastifyReply,
  steps: { upload: (signal: AbortSignal) => Promise<unknown>; work: (upload: never, signal: AbortSignal) => Promise<T> },
): Promise<T> {
  const ticket = ctx.queue.admit();
  const ms = ctx.options.requestTimeoutMs;
  const controller = new AbortController();
  let phase: 'upload' | 'work' = 'upload';
  const timer = setTimeout(() => {
    const uploading = phase === 'upload';
    controller.abort(
      new HttpError('E_TIMEOUT', uploading ? `the upload did not arrive within ${ms / 1000} s: send it faster, or start the server with a longer --timeout` : `the analysis took longer than ${ms / 1000} s: send a shorter file, retry later, or start the server with a longer --timeout`, uploading ? 408 : 503),
    );
  }, ms);
  const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }));
  aborted.catch(() => {});
  try {
    const upload = await Promise.race([steps.upload(controller.signal), aborted]);
    phase = 'work';
    return await Promise.race([ticket.run(() => steps.work(upload as never, controller.signal), controller.signal), aborted]);
  } catch (e) {
    // The rest of a body not read is not worth waiting for: close the connection after answering.
    if (phase === 'upload') reply.header('connection', 'close');
    if (phase === 'upload' && req.raw.readable && e instanceof HttpError && e.code === 'E_TIMEOUT') req.raw.resume();
    throw e;
  } finally {
    clearTimeout(timer);
    ticket.release();
  }
}
