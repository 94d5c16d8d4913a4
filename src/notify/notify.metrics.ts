// Notice counts read from the outbox at scrape time, so every node reports the same totals and a
// restart loses nothing: notices recorded as skipped (by template and reason class, e.g. a refund
// event that arrived after the warning window) and notices no channel could reach.
import { Gauge, type Registry } from 'prom-client';
import type { OutboxRepository } from './outbox.repository.ts';

export function registerNoticeGauges(registry: Registry, outbox: OutboxRepository) {
  new Gauge({
    name: 'fanzha_notices_unreachable',
    help: 'Notices no channel of their route could deliver (the customer lacks the contact data the channels need), by template',
    labelNames: ['template'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await outbox.countByTemplate('unreachable').catch(() => []);
      for (const r of rows) this.set({ template: r.template }, r.n);
    },
  });
  new Gauge({
    name: 'fanzha_notices_skipped',
    help: 'Notices recorded but never sent, by template and reason (late-event: the refund event arrived after the warning window)',
    labelNames: ['template', 'reason'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      // a scrape while the database is away reports the other metrics, not an error
      const rows = await outbox.skippedByReason().catch(() => []);
      for (const r of rows) this.set({ template: r.template, reason: r.reason }, r.n);
    },
  });
}
