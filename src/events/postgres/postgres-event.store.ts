// PostgreSQL event store: multi-row statements inside one transaction. Rows that share a key
// within a batch go to separate statements ("rounds"), because one INSERT ... ON CONFLICT DO UPDATE
// may not touch the same row twice.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { NormalizedEvent } from '../events.normalize.ts';
import { COLUMNS, UPSERT_SQL, type EventStore, type IngestHook } from '../events.store.ts';
import { appendEntries } from '../../audit/append.ts';

type Table = keyof typeof COLUMNS;
const MAX_PARAMS = 60_000;

async function insertRows(trx: Transaction<DB>, table: Table, rows: readonly Record<string, unknown>[], suffix = '') {
  if (rows.length === 0) return;
  const cols = COLUMNS[table];
  const chunk = Math.max(1, Math.floor(MAX_PARAMS / cols.length));
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const values = sql.join(part.map((r) => sql`(${sql.join(cols.map((c) => r[c] ?? null))})`));
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))}) VALUES ${values} ${sql.raw(suffix)}`.execute(trx);
  }
}

/** Splits rows so that no statement holds two rows with the same id, keeping their order. */
function rounds<T extends { id: string }>(rows: T[]): T[][] {
  const out: T[][] = [];
  const seen: Set<string>[] = [];
  for (const r of rows) {
    let i = 0;
    while (seen[i]?.has(r.id)) i++;
    (out[i] ??= []).push(r);
    (seen[i] ??= new Set()).add(r.id);
  }
  return out;
}

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
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of seven tables, typed at each insert
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
        for (const round of rounds(by[t])) await insertRows(trx, t, round, UPSERT_SQL[t]);
      }
      for (const round of rounds(by.exports)) await insertRows(trx, 'exports', round, 'ON CONFLICT (id) DO NOTHING');
      await insertRows(trx, 'logins', by.logins);
      // Last write before the hooks: the chain's advisory lock is held only until commit.
      await appendEntries(trx, this.database, by.access_log);
      for (const h of this.hooks) await h.postgres(trx, fresh);
      return inserted;
    });
  }
}
