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

/** The chain key when configured (callers that can defer the fail-closed check to chainKeyOf). */
export function chainKeyIfSet(handle: object): Buffer | undefined {
  return chainKeys.get(handle);
}

/** The chain head row is gone: the log was damaged or tampered with; nothing can be appended. */
export class AuditHeadMissing extends Error {
  override name = 'AuditHeadMissing';
  constructor() {
    super(
      'the access-log head (table audit_head, row id 1) is missing: the log was damaged or tampered with, so nothing can be recorded. ' +
        'Restore the database from your backup, then run "fanzha audit verify". fanzha does not recreate the head itself: that would hide the damage.',
    );
  }
}

/** The head row, or AuditHeadMissing (never Kysely's bare "no result"). */
export async function readHead(trx: Transaction<DB> | Kysely<DB>): Promise<{ size: number; hash: string; legacy_seq: number }> {
  const h = await trx.selectFrom('audit_head').select(['size', 'hash', 'legacy_seq']).where('id', '=', 1).executeTakeFirst();
  if (!h) throw new AuditHeadMissing();
  return { size: Number(h.size), hash: h.hash, legacy_seq: Number(h.legacy_seq) };
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
  const head = await readHead(trx);
  const { rows, size, hash } = chainRows(key, head, entries);
  const chunk = Math.floor(MAX_PARAMS / CHAIN_COLUMNS.length);
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const values = sql.join(part.map((r) => sql`(${sql.join(CHAIN_COLUMNS.map((c) => r[c]))})`));
    await sql`INSERT INTO access_log (${sql.join(CHAIN_COLUMNS.map((c) => sql.ref(c)))}) VALUES ${values}`.execute(trx);
  }
  await trx.updateTable('audit_head').set({ size, hash, updated_at: Date.now() }).where('id', '=', 1).execute();
  return rows;
}

/** Where the chain ends inside an open transaction: moved by each write, stored by close(). */
export interface ChainCursor {
  size: number;
  hash: string;
}

/**
 * Hashes chained ahead of the transaction (by the ingest worker) for entries it assumed would all
 * be appended, starting after `start`. They are used only when the transaction's cursor is exactly
 * there and every one of those entries is being appended; otherwise the entries are rehashed.
 */
export interface PrechainedHashes {
  start: ChainCursor;
  hashes: readonly string[];
}

/** Synchronous appender on the raw better-sqlite3 handle, for the SQLite ingest transaction. */
export class SqliteChainAppender {
  private readonly head: BetterSqlite3.Statement;
  private readonly insert: BetterSqlite3.Statement;
  private readonly move: BetterSqlite3.Statement;
  private readonly args: unknown[] = new Array(CHAIN_COLUMNS.length);
  constructor(private readonly raw: BetterSqlite3.Database) {
    this.head = raw.prepare('SELECT size, hash FROM audit_head WHERE id = 1');
    this.insert = raw.prepare(`INSERT INTO access_log (${CHAIN_COLUMNS.join(', ')}) VALUES (${CHAIN_COLUMNS.map(() => '?').join(', ')})`);
    this.move = raw.prepare('UPDATE audit_head SET size = ?, hash = ?, updated_at = ? WHERE id = 1');
  }

  /** The stored head; read it inside the transaction that appends. */
  open(): ChainCursor {
    const h = this.head.get() as { size: number; hash: string } | undefined;
    if (!h) throw new AuditHeadMissing();
    return { size: h.size, hash: h.hash };
  }

  /** Appends entries after the cursor and moves it. `pre` must cover exactly these entries to be used. */
  write(cursor: ChainCursor, entries: readonly NewEntry[], pre?: PrechainedHashes): void {
    if (entries.length === 0) return;
    const usable = pre && pre.hashes.length === entries.length && pre.start.size === cursor.size && pre.start.hash === cursor.hash;
    const hashes = usable ? pre.hashes : chainRows(chainKeyOf(this.raw), cursor, entries).rows.map((r) => r.hash);
    // Positional binding into one reused array: measurably cheaper than named parameters here.
    const a = this.args;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      a[0] = cursor.size + i;
      a[1] = hashes[i];
      a[2] = e.source;
      a[3] = e.event_id ?? null;
      a[4] = e.principal_id;
      a[5] = e.customer_id ?? null;
      a[6] = e.order_id ?? null;
      a[7] = e.fields;
      a[8] = e.purpose ?? null;
      a[9] = e.channel;
      a[10] = e.ip ?? null;
      a[11] = e.export_id ?? null;
      a[12] = e.ticket ?? null;
      a[13] = e.at;
      a[14] = e.recorded_at;
      a[15] = e.key_id ?? null;
      this.insert.run(a);
    }
    cursor.size += entries.length;
    cursor.hash = hashes[entries.length - 1]!;
  }

  /** Stores the cursor as the new head. */
  close(cursor: ChainCursor): void {
    this.move.run(cursor.size, cursor.hash, Date.now());
  }

  /** Must run inside a transaction on the same handle. */
  append(entries: readonly NewEntry[]): void {
    if (entries.length === 0) return;
    const c = this.open();
    this.write(c, entries);
    this.close(c);
  }
}

/** Chains rows recorded before the chain existed (foundation ingest), once, in seq order. */
export async function adoptLegacyRows(database: Database, key: Buffer): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    await lockChain(trx, database.dialect);
    const head = await readHead(trx);
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
