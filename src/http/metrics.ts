// Prometheus metrics. One registry per app instance (tests build many apps in one process).
// Labels never carry personal data: routes are templates ("/v1/customers/:id"), not URLs.
import { Registry, Counter, Histogram, Gauge, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'fanzha_http_request_duration_seconds',
    help: 'HTTP request duration by route template and status class',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });
  readonly eventsIngested = new Counter({
    name: 'fanzha_events_total',
    help: 'Shop events by type and result (accepted, duplicate, rejected)',
    labelNames: ['type', 'result'] as const,
    registers: [this.registry],
  });
  readonly readiness = new Gauge({
    name: 'fanzha_dependency_up',
    help: '1 when a dependency answered its last readiness check',
    labelNames: ['dependency'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'fanzha_' });
  }
}
