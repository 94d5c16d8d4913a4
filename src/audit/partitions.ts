// Monthly partitions of the access log on PostgreSQL: `access_log` is range-partitioned by
// `recorded_at` (epoch ms), one partition per UTC month (`access_log_pYYYYMM`) plus a DEFAULT
// partition that catches a row no monthly partition covers yet (so an append never fails for want
// of a partition). The maintenance job (audit area, at start and then every few hours) creates the
// current month and the next two ahead of time; retention (prune.ts) detaches and drops whole
// months. `recorded_at` is the key, not `at`: it is when fanzha recorded the entry, so a month's
// partition fills while that month runs and retention counts from when the log held the entry.
// SQLite keeps one table; nothing here runs there. Takes a Kysely handle (not Database) because the
// migration that converts the table uses it too.
import { sql, type Kysely, type Transaction } from 'kysely';

/** Start of the UTC month containing `ms`. */
export function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The UTC month start `k` months after (or before, k < 0) the month containing `ms`. */
export function addMonths(ms: number, k: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, 1);
}

/** "2026-12" for any time in December 2026 (UTC). */
export function monthLabel(ms: number): string {
  return new Date(monthStart(ms)).toISOString().slice(0, 7);
}

export const DEFAULT_PARTITION = 'access_log_default';

/** Partition table of the month starting at `lo`: access_log_p202612. */
export function partitionName(lo: number): string {
  return `access_log_p${monthLabel(lo).replace('-', '')}`;
}

export interface Partition {
  name: string;
  /** Inclusive lower and exclusive upper bound of recorded_at; null for the DEFAULT partition. */
  from: number | null;
  to: number | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- also used by a migration, which sees the database as it was then
type Exec = Kysely<any> | Transaction<any>;

/** Whether access_log (in the current schema) is a partitioned table. */
export async function isPartitioned(db: Exec): Promise<boolean> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_partitioned_table WHERE partrelid = to_regclass('access_log')`.execute(db);
  return Number(r.rows[0]?.n ?? 0) > 0;
}

/** The partitions of access_log, oldest first, the DEFAULT partition last. */
export async function listPartitions(db: Exec): Promise<Partition[]> {
  const r = await sql<{ name: string; bound: string }>`
    SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = to_regclass('access_log')`.execute(db);
  const out = r.rows.map((p) => {
    const m = /FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)/.exec(p.bound);
    return { name: p.name, from: m ? Number(m[1]) : null, to: m ? Number(m[2]) : null };
  });
  return out.sort((a, b) => (a.from ?? Infinity) - (b.from ?? Infinity));
}

/**
 * The partition maintenance lock, one per schema (several fanzha schemas on one server — tenants,
 * tests — must not wait for each other's migrations, which hold it until they commit).
 */
const partitionLock = sql`pg_advisory_xact_lock(hashtextextended(current_schema() || '/fanzha/access-log-partitions', 0))`;

/**
 * Creates the monthly partition starting at `lo` unless it exists. Rows the DEFAULT partition holds
 * for that month (written before the partition existed) move into it first, since PostgreSQL
 * refuses to attach a range the DEFAULT partition already has rows for. Run inside a transaction.
 */
export async function createMonthPartition(trx: Exec, lo: number): Promise<boolean> {
  const from = monthStart(lo);
  const to = addMonths(from, 1);
  const name = partitionName(from);
  await sql`SELECT ${partitionLock}`.execute(trx);
  const exists = await sql<{ r: string | null }>`SELECT to_regclass(${name})::text AS r`.execute(trx);
  if (exists.rows[0]?.r) return false;
  const t = sql.table(name);
  await sql`CREATE TABLE ${t} (LIKE access_log INCLUDING DEFAULTS)`.execute(trx);
  if ((await listPartitions(trx)).some((p) => p.name === DEFAULT_PARTITION)) {
    await sql`WITH moved AS (DELETE FROM ${sql.table(DEFAULT_PARTITION)} WHERE recorded_at >= ${from} AND recorded_at < ${to} RETURNING *)
      INSERT INTO ${t} SELECT * FROM moved`.execute(trx);
  }
  await sql`ALTER TABLE access_log ATTACH PARTITION ${t} FOR VALUES FROM (${sql.lit(from)}) TO (${sql.lit(to)})`.execute(trx);
  return true;
}

/** How many months ahead of the current one the maintenance job keeps ready. */
export const MONTHS_AHEAD = 2;

/** Creates the current month's partition and the next MONTHS_AHEAD; returns the names created. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema, as above
export async function ensurePartitions(db: Kysely<any>, now = Date.now()): Promise<string[]> {
  if (!(await isPartitioned(db))) return [];
  const created: string[] = [];
  for (let k = 0; k <= MONTHS_AHEAD; k++) {
    const lo = addMonths(now, k);
    if (await db.transaction().execute((trx) => createMonthPartition(trx, lo))) created.push(partitionName(lo));
  }
  return created;
}
