// SQLite event store: prepared statements on the better-sqlite3 handle, one synchronous
// transaction per batch. The Kysely connection is held for the duration so no Kysely
// transaction can interleave with ours on the single connection.
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../../db/database.ts';
import type { NormalizedEvent } from '../events.normalize.ts';
import { COLUMNS, UPSERT_SQL, type EventStore, type IngestHook } from '../events.store.ts';
import { SqliteChainAppender } from '../../audit/append.ts';
import type { AccessRow } from '../events.normalize.ts';

type Table = keyof typeof COLUMNS;

function insertSql(table: Table, suffix = ''): string {
  const cols = COLUMNS[table];
  return `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')}) ${suffix}`;
}

export class SqliteEventStore implements EventStore {
  private readonly raw: BetterSqlite3.Database;
  private readonly hooks: IngestHook[] = [];
  private readonly stmt: Record<string, BetterSqlite3.Statement>;
  private readonly tx: (events: readonly NormalizedEvent[]) => Set<string>;
  /** Access rows go to the tamper-evident chain (src/audit), in event order. */
  private readonly chain: SqliteChainAppender;

  constructor(private readonly database: Database) {
    this.raw = database.sqlite!;
    const p = (s: string) => this.raw.prepare(s);
    this.stmt = {
      event: p('INSERT INTO events (id, type, at, received_at, subject) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING'),
      customers: p(insertSql('customers', UPSERT_SQL.customers)),
      principals: p(insertSql('principals', UPSERT_SQL.principals)),
      orders: p(insertSql('orders', UPSERT_SQL.orders)),
      refunds: p(insertSql('refunds', UPSERT_SQL.refunds)),
      exports: p(insertSql('exports', 'ON CONFLICT (id) DO NOTHING')),
      logins: p(insertSql('logins')),
    };
    this.chain = new SqliteChainAppender(this.raw);
    this.tx = this.raw.transaction((events: readonly NormalizedEvent[]) => this.applySync(events));
  }

  addHook(hook: IngestHook) {
    this.hooks.push(hook);
  }

  private applySync(events: readonly NormalizedEvent[]): Set<string> {
    const s = this.stmt;
    const received = Date.now();
    const fresh: NormalizedEvent[] = [];
    const access: AccessRow[] = [];
    for (const e of events) {
      if (s.event.run(e.id, e.type, e.at, received, e.subject).changes === 0) continue;
      fresh.push(e);
      const st = e.stored;
      switch (st.kind) {
        case 'customer':
          s.customers.run(st.row);
          break;
        case 'principal':
          s.principals.run(st.row);
          break;
        case 'order':
          s.orders.run(st.row);
          break;
        case 'refund':
          s.refunds.run(st.row);
          break;
        case 'access':
          if (st.exportRow) s.exports.run(st.exportRow);
          for (const r of st.rows) access.push(r);
          break;
        case 'login':
          s.logins.run(st.row);
          break;
      }
    }
    this.chain.append(access);
    for (const h of this.hooks) h.sqlite(this.raw, fresh);
    return new Set(fresh.map((e) => e.id));
  }

  async apply(events: readonly NormalizedEvent[]): Promise<Set<string>> {
    return this.database.db.connection().execute(async () => this.tx(events));
  }
}
