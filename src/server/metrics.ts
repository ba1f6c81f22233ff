import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The server's Prometheus metrics, in a registry of its own (several servers in one
 * process keep theirs apart). Names follow Prometheus' conventions: base units, _total
 * on counters.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'emovox_http_requests_total', help: 'HTTP requests answered, by route and status', labelNames: ['method', 'route', 'status'] as const, registers: [this.registry] });
  readonly latency = new Histogram({
    name: 'emovox_http_request_duration_seconds',
    help: 'Time from the request to its answer, upload included',
    labelNames: ['route'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });
  readonly audioSeconds = new Counter({ name: 'emovox_audio_seconds_total', help: 'Seconds of audio analysed, by route', labelNames: ['route'] as const, registers: [this.registry] });
  readonly errors = new Counter({ name: 'emovox_errors_total', help: 'Errors answered, by stable code', labelNames: ['code'] as const, registers: [this.registry] });
  readonly queueDepth = new Gauge({ name: 'emovox_queue_depth', help: 'Requests waiting for a worker', registers: [this.registry] });
  readonly inFlight = new Gauge({ name: 'emovox_in_flight', help: 'Requests being analysed', registers: [this.registry] });
  readonly liveSessions = new Gauge({ name: 'emovox_live_sessions', help: 'Open live WebSocket sessions', registers: [this.registry] });
  readonly segments = new Counter({ name: 'emovox_segments_total', help: 'Timeline segments sent, by route', labelNames: ['route'] as const, registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'emovox_' });
  }
}
