// The shop's writer for ingestion: how stored events become rows of the shop's tables, inside the
// ingest transaction the events area opens (one per dialect). The events area decides which events
// are new and owns the transaction; this file owns the SQL on customers, orders, refunds,
// principals, exports and logins, and the order → customer lookups ingest hooks make in the same
// transaction (a refund's warning names its customer when the order is already stored).
import { type Insertable, type Transaction } from 'kysely';
import { insertUnnest } from '../db/postgres/unnest.ts';
import type BetterSqlite3 from 'better-sqlite3';
import type { DB } from '../db/schema.ts';
import type { CustomersTable, ExportsTable, LoginsTable, OrdersTable, PrincipalsTable, RefundsTable } from './shop.tables.ts';
import './shop.tables.ts';
import { SHOP_COLUMNS, UPSERT_SQL } from './shop.columns.ts';

export { SHOP_COLUMNS, UPSERT_SQL };

export type ShopTable = keyof typeof SHOP_COLUMNS;

/** Rows of one batch, by table, in event order. */
export interface ShopRows {
  customers: CustomersTable[];
  principals: PrincipalsTable[];
  orders: OrdersTable[];
  refunds: RefundsTable[];
  exports: ExportsTable[];
  logins: Insertable<LoginsTable>[];
}

export function emptyShopRows(): ShopRows {
  return { customers: [], principals: [], orders: [], refunds: [], exports: [], logins: [] };
}

/** A prepared insert bound from a row object through one reused parameter array. */
class RowInsert {
  private readonly args: unknown[];
  constructor(
    private readonly stmt: BetterSqlite3.Statement,
    private readonly cols: readonly string[],
  ) {
    this.args = new Array(cols.length);
  }
  run(row: object) {
    const r = row as Record<string, unknown>;
    for (let i = 0; i < this.cols.length; i++) this.args[i] = r[this.cols[i]!] ?? null;
    this.stmt.run(this.args);
  }
}

/**
 * Synchronous row writer on the raw better-sqlite3 handle, for the SQLite ingest transaction
 * (positional parameters: measurably cheaper than named ones on this hot path).
 */
export class SqliteShopWriter {
  private readonly ins: Record<ShopTable, RowInsert>;
  private customerOf?: BetterSqlite3.Statement;
  constructor(private readonly raw: BetterSqlite3.Database) {
    const prep = (t: ShopTable) => {
      const cols = SHOP_COLUMNS[t];
      return new RowInsert(raw.prepare(`INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ${UPSERT_SQL[t]}`), cols);
    };
    this.ins = {
      customers: prep('customers'),
      principals: prep('principals'),
      orders: prep('orders'),
      refunds: prep('refunds'),
      exports: prep('exports'),
      logins: prep('logins'),
    };
  }

  write(table: ShopTable, row: object) {
    this.ins[table].run(row);
  }

  /** The customer of a stored order, read inside the open transaction (null until the order arrives). */
  customerOfOrder(orderId: string): string | null {
    this.customerOf ??= this.raw.prepare('SELECT customer_id FROM orders WHERE id = ?');
    return (this.customerOf.get(orderId) as { customer_id: string } | undefined)?.customer_id ?? null;
  }
}

/** One SqliteShopWriter per raw handle (ingest hooks share the store's). */
const sqliteWriters = new WeakMap<BetterSqlite3.Database, SqliteShopWriter>();
export function sqliteShopWriter(raw: BetterSqlite3.Database): SqliteShopWriter {
  let w = sqliteWriters.get(raw);
  if (!w) sqliteWriters.set(raw, (w = new SqliteShopWriter(raw)));
  return w;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Sorts rows by id (stable: repeats keep their batch order) and splits them so that no statement
 * holds an id twice; round 0 holds every id, so only it takes new row locks. Concurrent batches
 * then lock shared rows in one global order and cannot deadlock on them.
 */
export function lockOrderedRounds<T extends { id: string }>(rows: readonly T[]): T[][] {
  const sorted = [...rows].sort(byId);
  const out: T[][] = [];
  let run = 0;
  for (let i = 0; i < sorted.length; i++) {
    run = i > 0 && sorted[i]!.id === sorted[i - 1]!.id ? run + 1 : 0;
    (out[run] ??= []).push(sorted[i]!);
  }
  return out;
}

/**
 * Writes a batch's rows in the PostgreSQL ingest transaction: one unnest statement per table and
 * round (src/db/postgres/unnest.ts), tables in a fixed order (customers, principals, orders,
 * refunds, exports, logins) and rows sorted by key, so concurrent batches lock in one order. Rows
 * that share a key go to separate statements because ON CONFLICT DO UPDATE may not touch a row
 * twice; every key of a later round already appeared in round 0, whose upsert locked the row.
 */
/** `cacheKey` is the database's pool: unnest caches column types per pool. */
export async function writeShopRowsPostgres(trx: Transaction<DB>, cacheKey: object, by: ShopRows) {
  for (const t of ['customers', 'principals', 'orders', 'refunds', 'exports'] as const) {
    for (const round of lockOrderedRounds<{ id: string }>(by[t])) await insertUnnest(trx, cacheKey, t, SHOP_COLUMNS[t], round, UPSERT_SQL[t]);
  }
  await insertUnnest(trx, cacheKey, 'logins', SHOP_COLUMNS.logins, by.logins);
}

/** Customers of stored orders, read inside an open PostgreSQL transaction. */
export async function customersOfOrdersIn(trx: Transaction<DB>, orderIds: readonly string[]): Promise<Map<string, string>> {
  if (!orderIds.length) return new Map();
  const rows = await trx
    .selectFrom('orders')
    .select(['id', 'customer_id'])
    .where('id', 'in', [...new Set(orderIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.customer_id]));
}
