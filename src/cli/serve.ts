import type { Command } from 'commander';
import { EmovoxError } from '../errors.js';
import { warn } from './output.js';

interface ServeCliOptions {
  host: string;
  port: string;
  model?: string;
  maxUpload?: string;
  maxDuration?: string;
  workers?: string;
  concurrency?: string;
  maxQueue?: string;
  timeout?: string;
  maxLive?: string;
  liveSession?: string;
  uncertainBelow?: string;
  log?: boolean;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('Serve the HTTP API (POST /v1/classify, /v1/timeline, WebSocket /v1/live, GET /v1/model, /healthz, /metrics, /openapi.json) and the web page at /. SIGTERM or Ctrl-C finishes the requests in flight, then exits.')
    .option('--host <address>', 'address to bind; another than 127.0.0.1 exposes the server to the network', '127.0.0.1')
    .option('--port <n>', 'port (0: any free one)', '8080')
    .option('--model <dir>', 'model bundle folder (default: the shipped model)')
    .option('--max-upload <MB>', 'largest upload in MB (413 above)', '64')
    .option('--max-duration <sec>', 'longest audio in seconds (413 E_TOO_LONG above)', '600')
    .option('--workers <n>', 'worker threads for decoding and features (default: one per core)')
    .option('--concurrency <n>', 'analyses at once (default: --workers)')
    .option('--max-queue <n>', 'requests waiting beyond those running; more get 503 (default: 8 × workers)')
    .option('--timeout <sec>', 'per-request limit, upload included (408/503 past it)', '120')
    .option('--max-live <n>', 'live WebSocket sessions at once', '4')
    .option('--live-session <sec>', 'longest live session', '600')
    .option('--uncertain-below <p>', 'default threshold of the "uncertain" flag (0–1)', '0.5')
    .option('--log', 'log each request as JSON (pino) on standard output')
    .action(async (opts: ServeCliOptions) => {
      const n = (v: string | undefined, flag: string): number | undefined => {
        if (v === undefined) return undefined;
        const x = Number(v);
        if (!Number.isFinite(x)) throw new EmovoxError('E_USAGE', `${flag} must be a number, got "${v}"`);
        return x;
      };
      const port = n(opts.port, '--port') as number;
      if (!(Number.isInteger(port) && port >= 0 && port < 65536)) throw new EmovoxError('E_USAGE', `--port must be 0 to 65535, got "${opts.port}"`);
      // Fastify and its plugins load only for this command, not at every start of the CLI.
      const { createServer } = await import('../server/app.js');
      const app = await createServer({
        modelDir: opts.model,
        maxUploadBytes: Math.round((n(opts.maxUpload, '--max-upload') as number) * 1024 * 1024),
        maxDurationSec: n(opts.maxDuration, '--max-duration'),
        workers: n(opts.workers, '--workers'),
        concurrency: n(opts.concurrency, '--concurrency'),
        maxQueue: n(opts.maxQueue, '--max-queue'),
        requestTimeoutMs: (n(opts.timeout, '--timeout') as number) * 1000,
        maxLiveSessions: n(opts.maxLive, '--max-live'),
        liveSessionSec: n(opts.liveSession, '--live-session'),
        uncertainBelow: n(opts.uncertainBelow, '--uncertain-below'),
        logger: opts.log ?? false,
      });
      const address = await app.listen({ host: opts.host, port });
      warn(`emovox serving on ${address} (page: ${address}/, API: ${address}/openapi.json)`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string): void => {
          warn(`emovox: ${signal}: finishing the requests in flight`);
          app.close().then(resolve, resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      warn('emovox: stopped');
    });
}
