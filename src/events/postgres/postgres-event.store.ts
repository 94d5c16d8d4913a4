// PostgreSQL event store: one transaction per batch, retried as a whole on a serialisation failure
// or deadlock. The events table is ours; the shop's rows go through the shop's writer (one unnest
// statement per table, src/shop/shop.ingest.ts) and access rows to the audit chain
// (src/audit/append.ts), both inside this transaction.
//
// Lock order. Concurrent batches that share keys must lock them in one global order or they can
// deadlock (T1 holds customer A and waits for B while T2 holds B and waits for A). So every
// statement takes its rows sorted by key, and the tables are written in a fixed order
// (events, customers, principals, orders, refunds, exports, logins, hooks' tables, then the
// access-log chain). Rows that share a key within a batch go to separate statements ("rounds"),
// because one INSERT ... ON CONFLICT DO UPDATE may not touch the same row twice; every key of a
// later round already appeared in round 0, whose upsert locked that row (ON CONFLICT DO UPDATE
// locks the row even when its WHERE is false), so later rounds take no new locks. The chain's
// advisory lock is taken last: a transaction holding it waits for nothing else.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { AccessRow, NormalizedEvent } from '../events.normalize.ts';
import type { EventStore, IngestHook } from '../events.store.ts';
import { emptyShopRows, writeShopRowsPostgres } from '../../shop/shop.ingest.ts';
import { appendEntries } from '../../audit/append.ts';
import { insertUnnest } from '../../db/postgres/unnest.ts';
import { retryTransaction, type RetryOptions } from '../../db/postgres/retry.ts';

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class PostgresEventStore implements EventStore {
  private readonly hooks: IngestHook[] = [];
  constructor(
    private readonly database: Database,
    private readonly retry: RetryOptions = {},
  ) {}

  addHook(hook: IngestHook) {
    this.hooks.push(hook);
  }

  async apply(events: readonly NormalizedEvent[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    // The transaction is repeated whole: nothing in it has effects outside the database.
    return retryTransaction(() => this.database.db.transaction().execute((trx) => this.write(trx, events)), this.retry);
  }

  private async write(trx: Transaction<DB>, events: readonly NormalizedEvent[]): Promise<Set<string>> {
    const pool = this.database.pool!;
    const received = Date.now();
    const eventRows = events.map((e) => ({ id: e.id, type: e.type, at: e.at, received_at: received, subject: e.subject })).sort(byId);
    const res = await insertUnnest<{ id: string }>(
      trx,
      pool,
      'events',
      ['id', 'type', 'at', 'received_at', 'subject'],
      eventRows,
      'ON CONFLICT (id) DO NOTHING RETURNING id',
    );
    const inserted = new Set(res.map((r) => r.id));
    const fresh = events.filter((e) => inserted.has(e.id));
    const by = emptyShopRows();
    const access: AccessRow[] = [];
    for (const e of fresh) {
      const st = e.stored;
      if (st.kind === 'customer') by.customers.push(st.row);
      else if (st.kind === 'principal') by.principals.push(st.row);
      else if (st.kind === 'order') by.orders.push(st.row);
      else if (st.kind === 'refund') by.refunds.push(st.row);
      else if (st.kind === 'login') by.logins.push(st.row);
      else {
        if (st.exportRow) by.exports.push(st.exportRow);
        access.push(...st.rows);
      }
    }
    // The shop's rows through its writer (src/shop owns those tables), in its fixed lock order.
    await writeShopRowsPostgres(trx, pool, by);
    for (const h of this.hooks) await h.postgres(trx, fresh);
    // Last: the chain's advisory lock is then held only until commit and never waited on while held.
    await appendEntries(trx, this.database, access);
    return inserted;
  }
}
