// Appending to the chain, inside the caller's transaction. The log is N chains ("shards",
// areas.audit.shards, default 1): each shard has its own head row and its own lock, and a
// transaction appends to exactly one shard, so N nodes (or N transactions) append in parallel;
// signed checkpoints sign every shard's head at once (audit.service.ts), as a Certificate
// Transparency log signs its tree head. Within a shard every entry extends the head the previous
// commit left: on PostgreSQL under that shard's transaction-scoped advisory lock, on SQLite under
// the database's single writer. The head row moves in the same transaction — only if it still
// holds the head the transaction read (compare-and-set), so no two appends can fork a shard even
// where no unique index spans the table — and a crash leaves a whole batch or nothing.
import { sql, type Transaction, type Kysely } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { DB } from '../db/schema.ts';
import type { Database } from '../db/database.ts';
import { insertUnnest } from '../db/postgres/unnest.ts';
import { chainRows, genesisHash, CHAIN_COLUMNS, type NewEntry, type ChainedRow } from './chain.ts';

const chainKeys = new WeakMap<object, Buffer>();
const shardCounts = new WeakMap<object, number>();

/** Gives the chain key and the number of shards to every appender on this database (set by the audit area at setup). */
export function setChainKey(database: Database, key: Buffer, shards = 1) {
  chainKeys.set(database, key);
  shardCounts.set(database, shards);
  if (database.sqlite) {
    chainKeys.set(database.sqlite, key);
    shardCounts.set(database.sqlite, shards);
  }
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

/** Shards appended to on this database. */
export function shardCountOf(handle: object): number {
  return shardCounts.get(handle) ?? 1;
}

/** A chain head row is gone: the log was damaged or tampered with; nothing can be appended. */
export class AuditHeadMissing extends Error {
  override name = 'AuditHeadMissing';
  constructor(shard = 0) {
    super(
      `the access-log head (table audit_head, row id ${shard + 1}, shard ${shard}) is missing: the log was damaged or tampered with, so nothing can be recorded. ` +
        'Restore the database from your backup, then run "fanzha audit verify". fanzha does not recreate the head itself: that would hide the damage.',
    );
  }
}

/** A shard's head row, or AuditHeadMissing (never Kysely's bare "no result"). */
export async function readHead(trx: Transaction<DB> | Kysely<DB>, shard = 0): Promise<{ size: number; hash: string; legacy_seq: number }> {
  const h = await trx.selectFrom('audit_head').select(['size', 'hash', 'legacy_seq']).where('id', '=', headId(shard)).executeTakeFirst();
  if (!h) throw new AuditHeadMissing(shard);
  return { size: Number(h.size), hash: h.hash, legacy_seq: Number(h.legacy_seq) };
}

/** Arbitrary constant naming the chain's advisory lock ("fanzha" audit); shard s locks KEY + s. */
export const AUDIT_LOCK_KEY = 0x66_616e_7a68_61;

/** audit_head row of a shard (shard 0 is the row the single chain always used). */
export const headId = (shard: number) => shard + 1;

/** The shard whose lock serialises a principal's guarded appends (reveal quotas are counted under it). */
export function principalShard(principal: string, shards: number): number {
  if (shards <= 1) return 0;
  let h = 0x811c9dc5; // FNV-1a: stable across processes and versions
  for (let i = 0; i < principal.length; i++) h = Math.imul(h ^ principal.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shards;
}

/** Each process starts its search for a free shard elsewhere and moves on, spreading writers. */
let rotation = Math.floor(Math.random() * 1_000_000);

const lockedShard = new WeakMap<object, number>();

export interface LockOptions {
  /** Serialise with every other append for this principal (its shard is fixed). */
  principal?: string;
  /** This shard exactly (legacy adoption into shard 0). */
  shard?: number;
}

/**
 * Takes one shard for the rest of the transaction and returns it (the same one if called again in
 * the transaction). Without a principal, on PostgreSQL the first shard nobody holds, waiting only
 * when all are taken; on SQLite (one writer) the next shard in turn.
 */
export async function lockChain(trx: Transaction<DB> | Kysely<DB>, database: Database, opts: LockOptions = {}): Promise<number> {
  const held = lockedShard.get(trx);
  if (held !== undefined) return held;
  const n = shardCountOf(database);
  const fixed = opts.shard ?? (opts.principal !== undefined ? principalShard(opts.principal, n) : n === 1 ? 0 : undefined);
  let shard = fixed ?? rotation++ % n;
  if (database.dialect === 'postgres') {
    if (fixed === undefined) {
      const free = await sql<{ s: number }>`SELECT s FROM (SELECT (i + ${shard}::int) % ${n}::int AS s FROM generate_series(0, ${n - 1}::int) AS i) x
        WHERE pg_try_advisory_xact_lock(${AUDIT_LOCK_KEY}::bigint + s) LIMIT 1`.execute(trx);
      if (free.rows[0]) shard = Number(free.rows[0].s);
      else await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY}::bigint + ${shard}::int)`.execute(trx);
    } else await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY}::bigint + ${shard}::int)`.execute(trx);
  }
  lockedShard.set(trx, shard);
  return shard;
}

/** Creates the head rows of shards 0..n-1 that do not exist yet (at setup; more shards may be added later, never removed). */
export async function ensureShardHeads(database: Database, key: Buffer, shards: number) {
  const rows = Array.from({ length: shards }, (_, s) => ({ id: headId(s), size: 0, hash: genesisHash(key, s), legacy_seq: 0, updated_at: Date.now() }));
  await database.db
    .insertInto('audit_head')
    .values(rows)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

class ChainForked extends Error {
  override name = 'ChainForked';
}

/** Appends entries through Kysely (PostgreSQL ingest, vault reads on both dialects). Call inside a transaction. */
export async function appendEntries(trx: Transaction<DB>, database: Database, entries: readonly NewEntry[], opts: LockOptions = {}): Promise<ChainedRow[]> {
  if (entries.length === 0) return [];
  const key = chainKeyOf(database);
  const shard = await lockChain(trx, database, opts);
  const head = await readHead(trx, shard);
  const from = { size: head.size, hash: head.hash };
  const { rows, size, hash } = chainRows(key, from, entries);
  for (const r of rows) r.shard = shard;
  if (database.dialect === 'postgres') {
    await insertUnnest(trx, database.pool!, 'access_log', [...CHAIN_COLUMNS, 'shard'], rows);
  } else {
    const cols = [...CHAIN_COLUMNS, 'shard'] as const;
    const chunk = Math.floor(MAX_PARAMS / cols.length);
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk);
      const values = sql.join(part.map((r) => sql`(${sql.join(cols.map((c) => r[c]))})`));
      await sql`INSERT INTO access_log (${sql.join(cols.map((c) => sql.ref(c)))}) VALUES ${values}`.execute(trx);
    }
  }
  const moved = await trx
    .updateTable('audit_head')
    .set({ size, hash, updated_at: Date.now() })
    .where('id', '=', headId(shard))
    .where('size', '=', from.size)
    .where('hash', '=', from.hash)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) throw new ChainForked(`access-log shard ${shard} moved during the append`);
  return rows;
}

const MAX_PARAMS = 30_000;

/** Where a shard ends inside an open transaction: moved by each write, stored by close(). */
export interface ChainCursor {
  shard: number;
  size: number;
  hash: string;
  /** The head as read when opened: close() stores the cursor only if the row still holds it. */
  from?: { size: number; hash: string };
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
  private readonly args: unknown[] = new Array(CHAIN_COLUMNS.length + 1);
  constructor(private readonly raw: BetterSqlite3.Database) {
    this.head = raw.prepare('SELECT size, hash FROM audit_head WHERE id = ?');
    const cols = [...CHAIN_COLUMNS, 'shard'];
    this.insert = raw.prepare(`INSERT INTO access_log (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    this.move = raw.prepare('UPDATE audit_head SET size = ?, hash = ?, updated_at = ? WHERE id = ? AND size = ? AND hash = ?');
  }

  /** The shard the next transaction appends to (one writer: each shard in turn). */
  pickShard(): number {
    return rotation++ % shardCountOf(this.raw);
  }

  /** The stored head of a shard; read it inside the transaction that appends. */
  open(shard = this.pickShard()): ChainCursor {
    const h = this.head.get(headId(shard)) as { size: number; hash: string } | undefined;
    if (!h) throw new AuditHeadMissing(shard);
    return { shard, size: h.size, hash: h.hash, from: { size: h.size, hash: h.hash } };
  }

  /** Appends entries after the cursor and moves it. `pre` must cover exactly these entries to be used. */
  write(cursor: ChainCursor, entries: readonly NewEntry[], pre?: PrechainedHashes): void {
    if (entries.length === 0) return;
    const usable = pre && pre.hashes.length === entries.length && pre.start.size === cursor.size && pre.start.hash === cursor.hash;
    const hashes = usable ? pre.hashes : chainRows(chainKeyOf(this.raw), cursor, entries).rows.map((r) => r.hash);
    // Positional binding into one reused array: measurably cheaper than named parameters here.
    const a = this.args;
    a[CHAIN_COLUMNS.length] = cursor.shard;
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

  /** Stores the cursor as the shard's new head. */
  close(cursor: ChainCursor): void {
    const from = cursor.from ?? cursor;
    if (this.move.run(cursor.size, cursor.hash, Date.now(), headId(cursor.shard), from.size, from.hash).changes !== 1) {
      throw new ChainForked(`access-log shard ${cursor.shard} moved during the append`);
    }
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
    // into shard 0, the chain these rows would have joined
    await lockChain(trx, database, { shard: 0 });
    const head = await readHead(trx, 0);
    const limit = Number(head.legacy_seq);
    if (limit <= 0) return 0;
    let cur = { size: Number(head.size), hash: head.hash };
    let last = 0;
    let n = 0;
    for (;;) {
      const rows = await trx
        .selectFrom('access_log')
        .selectAll()
        .where('pos', 'is', null)
        .where('seq', '>', last)
        .where('seq', '<=', limit)
        .orderBy('seq')
        .limit(2000)
        .execute();
      if (rows.length === 0) break;
      const chained = chainRows(key, cur, rows as unknown as NewEntry[]);
      for (let i = 0; i < rows.length; i++) {
        await sql`UPDATE access_log SET pos = ${chained.rows[i]!.pos}, hash = ${chained.rows[i]!.hash} WHERE seq = ${rows[i]!.seq}`.execute(trx);
      }
      cur = { size: chained.size, hash: chained.hash };
      last = Number(rows[rows.length - 1]!.seq);
      n += rows.length;
    }
    await trx.updateTable('audit_head').set({ size: cur.size, hash: cur.hash, legacy_seq: 0, updated_at: Date.now() }).where('id', '=', headId(0)).execute();
    return n;
  });
}
