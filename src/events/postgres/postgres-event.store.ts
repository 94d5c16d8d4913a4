// PostgreSQL event store: one transaction per batch. The events table is ours; the shop's rows go
// through the shop's writer (multi-row statements, src/shop/shop.ingest.ts) and access rows to the
// audit chain (src/audit/append.ts), both inside this transaction.
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { AccessRow, NormalizedEvent } from '../events.normalize.ts';
import type { EventStore, IngestHook } from '../events.store.ts';
import { emptyShopRows, writeShopRowsPostgres } from '../../shop/shop.ingest.ts';
import { appendEntries } from '../../audit/append.ts';

const MAX_PARAMS = 60_000;

export class PostgresEventStore implements EventStore {
  private readonly hooks: IngestHook[] = [];
  constructor(private readonly database: Database) {}

  addHook(hook: IngestHook) {
    this.hooks.push(hook);
  }

  async apply(events: readonly NormalizedEvent[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    return this.database.db.transaction().execute(async (trx) => {
      const received = Date.now();
      const inserted = new Set<string>();
      const chunk = Math.floor(MAX_PARAMS / 5);
      for (let i = 0; i < events.length; i += chunk) {
        const part = events.slice(i, i + chunk);
        const values = sql.join(part.map((e) => sql`(${e.id}, ${e.type}, ${e.at}, ${received}, ${e.subject})`));
        const res = await sql<{ id: string }>`INSERT INTO events (id, type, at, received_at, subject) VALUES ${values} ON CONFLICT (id) DO NOTHING RETURNING id`.execute(trx);
        for (const r of res.rows) inserted.add(r.id);
      }
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
      // The shop's rows through its writer (src/shop owns those tables).
      await writeShopRowsPostgres(trx, by);
      // Last write before the hooks: the chain's advisory lock is held only until commit.
      await appendEntries(trx, this.database, access);
      for (const h of this.hooks) await h.postgres(trx, fresh);
      return inserted;
    });
  }
}
