// Appending to the chain, inside the caller's transaction. Appends are serialised so that every
// entry extends the head the previous commit left: on PostgreSQL by a transaction-scoped advisory
// lock (several nodes may append at once), on SQLite by the database's single writer. The head
// row (audit_head) moves in the same transaction, so a crash leaves either all of a batch or none.
import { sql, type Transaction, type Kysely } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { DB } from '../db/schema.ts';
import type { Database, Dialect } from '../db/database.ts';
import { chainRows, CHAIN_COLUMNS, type NewEntry, type ChainedRow } from './chain.ts';

const chainKeys = new WeakMap<object, Buffer>();

/** Gives the chain key to every appender on this database (set by the audit area at setup). */
export function setChainKey(database: Database, key: Buffer) {
  chainKeys.set(database, key);
  if (database.sqlite) chainKeys.set(database.sqlite, key);
}

/** The chain key, or an error: without it nothing may be appended (fail closed). */
export function chainKeyOf(handle: object): Buffer {
  const k = chainKeys.get(handle);
  if (!k) throw new Error('the access-log chain key is not configured (audit area not set up)');
  return k;
}

/** Arbitrary constant naming the chain's advisory lock ("fanzha" audit). */
export const AUDIT_LOCK_KEY = 0x66_616e_7a68_61;

const MAX_PARAMS = 60_000;

/** Serialises chain appends for the rest of the transaction (no-op on SQLite, which has one writer). */
export async function lockChain(trx: Transaction<DB> | Kysely<DB>, dialect: Dialect) {
  if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
}

/** Appends entries through Kysely (PostgreSQL ingest, vault reads on both dialects). Call inside a transaction. */
export async function appendEntries(trx: Transaction<DB>, database: Database, entries: readonly NewEntry[]): Promise<ChainedRow[]> {
  if (entries.length === 0) return [];
  const key = chainKeyOf(database);
  const dialect = database.dialect;
  await lockChain(trx, dialect);
  const head = await trx.selectFrom('audit_head').select(['size', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  const { rows, size, hash } = chainRows(key, { size: Number(head.size), hash: head.hash }, entries);
  const chunk = Math.floor(MAX_PARAMS / CHAIN_COLUMNS.length);
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const values = sql.join(part.map((r) => sql`(${sql.join(CHAIN_COLUMNS.map((c) => r[c]))})`));
    await sql`INSERT INTO access_log (${sql.join(CHAIN_COLUMNS.map((c) => sql.ref(c)))}) VALUES ${values}`.execute(trx);
  }
  await trx.updateTable('audit_head').set({ size, hash, updated_at: Date.now() }).where('id', '=', 1).execute();
  return rows;
}

/** Synchronous appender on the raw better-sqlite3 handle, for the SQLite ingest transaction. */
export class SqliteChainAppender {
  private readonly head: BetterSqlite3.Statement;
  private readonly insert: BetterSqlite3.Statement;
  private readonly move: BetterSqlite3.Statement;
  constructor(private readonly raw: BetterSqlite3.Database) {
    this.head = raw.prepare('SELECT size, hash FROM audit_head WHERE id = 1');
    this.insert = raw.prepare(`INSERT INTO access_log (${CHAIN_COLUMNS.join(', ')}) VALUES (${CHAIN_COLUMNS.map(() => '?').join(', ')})`);
    this.move = raw.prepare('UPDATE audit_head SET size = ?, hash = ?, updated_at = ? WHERE id = 1');
  }
  /** Must run inside a transaction on the same handle. */
  append(entries: readonly NewEntry[]): ChainedRow[] {
    if (entries.length === 0) return [];
    const head = this.head.get() as { size: number; hash: string };
    const { rows, size, hash } = chainRows(chainKeyOf(this.raw), head, entries);
    // Positional binding: measurably cheaper than named parameters on this hot path.
    for (const r of rows) this.insert.run(r.pos, r.hash, r.source, r.event_id, r.principal_id, r.customer_id, r.order_id, r.fields, r.purpose, r.channel, r.ip, r.export_id, r.ticket, r.at, r.recorded_at);
    this.move.run(size, hash, Date.now());
    return rows;
  }
}

/** Chains rows recorded before the chain existed (foundation ingest), once, in seq order. */
export async function adoptLegacyRows(database: Database, key: Buffer): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    await lockChain(trx, database.dialect);
    const head = await trx.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    const limit = Number(head.legacy_seq);
    if (limit <= 0) return 0;
    let cur = { size: Number(head.size), hash: head.hash };
    let last = 0;
    let n = 0;
    for (;;) {
      const rows = await trx.selectFrom('access_log').selectAll().where('pos', 'is', null).where('seq', '>', last).where('seq', '<=', limit).orderBy('seq').limit(2000).execute();
      if (rows.length === 0) break;
      const chained = chainRows(key, cur, rows as unknown as NewEntry[]);
      for (let i = 0; i < rows.length; i++) {
        await sql`UPDATE access_log SET pos = ${chained.rows[i]!.pos}, hash = ${chained.rows[i]!.hash} WHERE seq = ${rows[i]!.seq}`.execute(trx);
      }
      cur = { size: chained.size, hash: chained.hash };
      last = Number(rows[rows.length - 1]!.seq);
      n += rows.length;
    }
    await trx.updateTable('audit_head').set({ size: cur.size, hash: cur.hash, legacy_seq: 0, updated_at: Date.now() }).where('id', '=', 1).execute();
    return n;
  });
}
