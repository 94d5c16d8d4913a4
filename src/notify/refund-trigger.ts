// Refund events → notices, written inside the ingest transaction (IngestHook), so a stored
// refund.requested always has its warning queued and a repeated event queues nothing more
// (idempotency key "refund.requested:<refundId>").
//
// Out-of-order history: the refund names an order, the order names the customer. When the order is
// already stored the notice gets its customer now; otherwise it is queued with the order id only
// and the worker resolves order → customer at delivery, retrying with backoff until the order and
// customer arrive, and dead-letters it ("recipient-unresolved") after notify.unresolvedTtlMs.
// Shops' feeds lag (a refund request may arrive hours or a day late, and the fake "customer
// service" calls often come a day later), so an event up to notify.refundWarningMaxAgeMs (default
// 72 h) after it happened still warns. An older one (a history import) is not sent but recorded as
// a `skipped` notice whose last_error says why: visible in GET /v1/notifications and counted in
// /metrics (fanzha_notices_skipped), never silently dropped.
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { IngestHook } from '../events/events.store.ts';
import type { NormalizedEvent } from '../events/events.normalize.ts';
import { customersOfOrdersIn, sqliteShopWriter } from '../shop/shop.ingest.ts';
import { enqueueSqliteSync, enqueueWith, type NewNotice } from './outbox.repository.ts';
import type { NotifyConfig } from './notify.config.ts';

const TRIGGERS: Record<string, { template: 'refund.requested' | 'refund.completed'; urgent: boolean }> = {
  // The scam strikes right after a refund request: this warning ignores quiet hours.
  'refund.requested': { template: 'refund.requested', urgent: true },
  'refund.completed': { template: 'refund.completed', urgent: false },
};

function noticesFor(events: readonly NormalizedEvent[], cfg: NotifyConfig, now: number, customerOf: (orderId: string) => string | null): NewNotice[] {
  const out: NewNotice[] = [];
  for (const e of events) {
    const trig = TRIGGERS[e.type];
    if (!trig || e.stored.kind !== 'refund') continue;
    const { id: refundId, order_id: orderId } = e.stored.row;
    const age = now - e.at;
    out.push({
      ...(age > cfg.refundWarningMaxAgeMs
        ? {
            skipped: `late-event: arrived ${Math.round(age / 3_600_000)} h after it happened; the warning window is ${Math.round(cfg.refundWarningMaxAgeMs / 3_600_000)} h`,
          }
        : {}),
      idempotencyKey: `${trig.template}:${refundId}`,
      template: trig.template,
      customerId: customerOf(orderId),
      orderId,
      vars: { orderId, refundId },
      channel: cfg.defaultChannel,
      urgent: trig.urgent,
      source: 'event',
    });
  }
  return out;
}

export function refundIngestHook(cfg: NotifyConfig, now: () => number = Date.now): IngestHook {
  return {
    sqlite(raw, events) {
      if (!events.some((e) => e.type in TRIGGERS)) return;
      const shop = sqliteShopWriter(raw);
      const notices = noticesFor(events, cfg, now(), (orderId) => shop.customerOfOrder(orderId));
      if (notices.length) enqueueSqliteSync(raw, notices);
    },
    async postgres(trx: Transaction<DB>, events) {
      const relevant = events.filter((e) => e.type in TRIGGERS && e.stored.kind === 'refund');
      if (!relevant.length) return;
      const orderIds = [...new Set(relevant.map((e) => (e.stored as { row: { order_id: string } }).row.order_id))];
      const byOrder = await customersOfOrdersIn(trx, orderIds);
      // keys in one order across concurrent ingest transactions (no deadlock on the unique index)
      const notices = noticesFor(relevant, cfg, now(), (orderId) => byOrder.get(orderId) ?? null).sort((a, b) =>
        a.idempotencyKey < b.idempotencyKey ? -1 : a.idempotencyKey > b.idempotencyKey ? 1 : 0,
      );
      if (notices.length) await enqueueWith(trx, notices);
    },
  };
}
