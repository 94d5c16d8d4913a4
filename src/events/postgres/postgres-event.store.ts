// PostgreSQL event store: one transaction per batch, one unnest statement per table (see
// db/postgres/unnest.ts), retried as a whole on a serialisation failure or deadlock.
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
import type { NormalizedEvent } from '../events.normalize.ts';
import { COLUMNS, UPSERT_SQL, type EventStore, type IngestHook } from '../events.store.ts';
import { appendEntries } from '../../audit/append.ts';
import { insertUnnest } from '../../db/postgres/unnest.ts';
import { retryTransaction, type RetryOptions } from '../../db/postgres/retry.ts';

const byKey = <T>(key: (r: T) => string) => (a: T, b: T) => {
  const x = key(a);
  const y = key(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Sorts rows by id (stable: repeats keep their batch order) and splits them so that no statement
 * holds an id twice; round 0 holds every id, so only it takes new row locks.
 */
export function lockOrderedRounds<T extends { id: string }>(rows: readonly T[]): T[][] {
  const sorted = [...rows].sort(byKey((r) => r.id));
  const out: T[][] = [];
  let run = 0;
  for (let i = 0; i < sorted.length; i++) {
    run = i > 0 && sorted[i]!.id === sorted[i - 1]!.id ? run + 1 : 0;
    (out[run] ??= []).push(sorted[i]!);
  }
  return out;
}

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
    const eventRows = events.map((e) => ({ id: e.id, type: e.type, at: e.at, received_at: received, subject: e.subject })).sort(byKey((r) => r.id));
    const res = await insertUnnest<{ id: string }>(trx, pool, 'events', ['id', 'type', 'at', 'received_at', 'subject'], eventRows, 'ON CONFLICT (id) DO NOTHING RETURNING id');
    const inserted = new Set(res.map((r) => r.id));
    const fresh = events.filter((e) => inserted.has(e.id));
    const by: Record<string, any[]> = { customers: [], principals: [], orders: [], refunds: [], access_log: [], exports: [], logins: [] };
    for (const e of fresh) {
      const st = e.stored;
      if (st.kind === 'customer') by.customers.push(st.row);
      else if (st.kind === 'principal') by.principals.push(st.row);
      else if (st.kind === 'order') by.orders.push(st.row);
      else if (st.kind === 'refund') by.refunds.push(st.row);
      else if (st.kind === 'login') by.logins.push(st.row);
      else {
        if (st.exportRow) by.exports.push(st.exportRow);
        by.access_log.push(...st.rows);
      }
    }
    for (const t of ['customers', 'principals', 'orders', 'refunds'] as const) {
      for (const round of lockOrderedRounds(by[t])) await insertUnnest(trx, pool, t, COLUMNS[t], round, UPSERT_SQL[t]);
    }
    for (const round of lockOrderedRounds(by.exports)) await insertUnnest(trx, pool, 'exports', COLUMNS.exports, round, 'ON CONFLICT (id) DO NOTHING');
    await insertUnnest(trx, pool, 'logins', COLUMNS.logins, by.logins);
    for (const h of this.hooks) await h.postgres(trx, fresh);
    // Last: the chain's advisory lock is then held only until commit and never waited on while held.
    await appendEntries(trx, this.database, by.access_log);
    return inserted;
  }
}
