// Retention: removes the entries recorded before the cut (retention.ts) as a whole prefix of every
// shard, without weakening verification of what stays.
//
// The caller verifies the whole log first and never prunes one that does not verify (that would
// erase the evidence). Then, in one transaction holding every shard's lock (no append runs):
// 1. each shard's cut position p_s = its first entry recorded at or after the cut (its head when
//    none is) — everything before it goes, nothing after it, so an entry recorded before the cut
//    but appended after a later one (clock skew between nodes, a retried batch) simply stays;
// 2. a signed anchor (the checkpoint signer, a C2SP note like a checkpoint, origin
//    "<origin>/retention") states for each shard p_s and the chain hash before it: verification
//    starts each shard there (verify.ts). A database administrator cannot forge one without the
//    signing key, and deleting it makes the verifier look for entry 0 and report it missing;
// 3. the removal is itself an access-log entry (principal system:retention, channel retention,
//    the cut and the anchor named), chained after the heads, so it is as tamper-evident as the rest;
// 4. PostgreSQL: each monthly partition wholly before the cut is detached and dropped; the few
//    rows in it at or after their shard's cut position are put back first (they land in the
//    DEFAULT partition). Then, on both dialects, every remaining entry before its shard's cut
//    position is deleted (SQLite's single table; rows the DEFAULT partition held).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { AUDIT_LOCK_KEY, appendEntries, headId } from './append.ts';
import { genesisHash, type NewEntry } from './chain.ts';
import { combineHeads, type ShardHead } from './heads.ts';
import { listPartitions, monthLabel, type Partition } from './partitions.ts';
import type { NoteSigner } from './signed-note.ts';
import type { Anchor } from './verify.ts';

export const RETENTION_PRINCIPAL = 'system:retention';

/** How long the prune waits for a lock (shard locks, the table lock DETACH takes) before giving up. */
export const PRUNE_LOCK_TIMEOUT_MS = 10_000;

/** The origin line of retention anchors: never mistaken for a checkpoint of the log's current size. */
export const anchorOrigin = (origin: string) => `${origin}/retention`;

export interface PruneResult {
  /** Entries recorded before this time were removed (ms; a UTC month start). */
  cutAt: number;
  /** Entries removed. */
  pruned: number;
  /** PostgreSQL monthly partitions dropped ("2026-05"), oldest first; none on SQLite. */
  months: string[];
  /** Per shard, the first retained position and the hash before it (what the anchor signs). */
  anchors: ShardHead[];
  anchorId: number | null;
}

export interface PruneInput {
  database: Database;
  chainKey: Buffer;
  signer: NoteSigner;
  origin: string;
  cutAt: number;
  now: number;
  /** The furthest trusted anchor of each shard so far (signatures already checked). */
  previous: ReadonlyMap<number, Anchor>;
}

/** Where each shard would be cut, and the partitions wholly before the cut; `pending` when a prune would remove anything. */
export async function planPrune(
  trx: Transaction<DB> | Kysely<DB>,
  database: Database,
  p: Pick<PruneInput, 'chainKey' | 'cutAt' | 'previous'>,
  heads: readonly ShardHead[],
): Promise<{ cuts: ShardHead[]; pruned: number; partitions: Partition[] }> {
  const cuts: ShardHead[] = [];
  let pruned = 0;
  for (const h of heads) {
    const prev = p.previous.get(h.shard) ?? { size: 0, hash: genesisHash(p.chainKey, h.shard) };
    const first = await trx
      .selectFrom('access_log')
      .select((eb) => eb.fn.min('pos').as('p'))
      .where('shard', '=', h.shard)
      .where('recorded_at', '>=', p.cutAt)
      .where('pos', 'is not', null)
      .executeTakeFirst();
    const at = Math.max(prev.size, first?.p === null || first?.p === undefined ? h.size : Number(first.p));
    cuts.push({ shard: h.shard, size: at, hash: await hashBefore(trx, h, at, prev) });
    pruned += at - prev.size;
  }
  const partitions = database.dialect === 'postgres' ? (await listPartitions(trx)).filter((x) => x.to !== null && x.to <= p.cutAt) : [];
  return { cuts, pruned, partitions };
}

export async function pruneBefore(p: PruneInput): Promise<PruneResult> {
  const { database, cutAt } = p;
  return database.db.transaction().execute(async (trx) => {
    // DETACH needs an exclusive lock on access_log: behind a long reader it would queue every
    // append and read after it; give up instead (the job tries again in a few hours)
    if (database.dialect === 'postgres') await sql`SET LOCAL lock_timeout = ${sql.lit(`${PRUNE_LOCK_TIMEOUT_MS}ms`)}`.execute(trx);
    const heads = await lockAllShards(trx, database);
    const { cuts, pruned, partitions } = await planPrune(trx, database, p, heads);
    if (pruned === 0 && partitions.length === 0) return { cutAt, pruned: 0, months: [], anchors: cuts, anchorId: null };

    const root = combineHeads(cuts);
    const note = p.signer.sign({ origin: anchorOrigin(p.origin), size: root.size, hash: root.hash, shards: cuts });
    const inserted = await trx.insertInto('audit_anchors').values({ cut_at: cutAt, note, pruned, created_at: p.now }).returning('id').executeTakeFirstOrThrow();
    const anchorId = Number(inserted.id);
    const months = partitions.map((x) => monthLabel(x.from!));
    await appendEntries(trx, database, [retentionEntry(cutAt, pruned, months, anchorId, p.now)]);

    const cutTable = sql`(VALUES ${sql.join(cuts.map((c) => sql`(${c.shard}::int, ${c.size}::bigint)`))}) AS c(shard, p)`;
    for (const part of partitions) {
      const t = sql.table(part.name);
      await sql`ALTER TABLE access_log DETACH PARTITION ${t}`.execute(trx);
      await sql`INSERT INTO access_log SELECT x.* FROM ${t} x LEFT JOIN ${cutTable} ON c.shard = x.shard
        WHERE x.pos IS NULL OR c.p IS NULL OR x.pos >= c.p`.execute(trx);
      await sql`DROP TABLE ${t}`.execute(trx);
    }
    for (const c of cuts) {
      if (c.size > (p.previous.get(c.shard)?.size ?? 0)) await trx.deleteFrom('access_log').where('shard', '=', c.shard).where('pos', '<', c.size).execute();
    }
    return { cutAt, pruned, months, anchors: cuts, anchorId };
  });
}

/** Takes every shard's append lock (in shard order) and reads the heads under them. */
async function lockAllShards(trx: Transaction<DB>, database: Database): Promise<ShardHead[]> {
  const rows = await trx.selectFrom('audit_head').select(['id', 'size', 'hash']).orderBy('id').execute();
  if (database.dialect === 'postgres')
    for (const r of rows) await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY}::bigint + ${Number(r.id) - headId(0)}::int)`.execute(trx);
  // read again under the locks: an append may have moved a head meanwhile
  const locked = await trx.selectFrom('audit_head').select(['id', 'size', 'hash']).orderBy('id').execute();
  return locked.map((h) => ({ shard: Number(h.id) - headId(0), size: Number(h.size), hash: h.hash }));
}

/** The chain hash before position `at` of a shard (its start, its head, or the stored entry at-1). */
async function hashBefore(trx: Transaction<DB> | Kysely<DB>, head: ShardHead, at: number, prev: Anchor): Promise<string> {
  if (at === prev.size) return prev.hash;
  if (at === head.size) return head.hash;
  const r = await trx
    .selectFrom('access_log')
    .select('hash')
    .where('shard', '=', head.shard)
    .where('pos', '=', at - 1)
    .executeTakeFirst();
  if (!r) throw new Error(`access-log shard ${head.shard} has no entry ${at - 1}: verify the log before pruning`);
  return r.hash;
}

/** The access-log entry that records a prune (ids and counts only). */
function retentionEntry(cutAt: number, pruned: number, months: string[], anchorId: number, now: number): NewEntry {
  const range = months.length ? `; partitions ${months.join(', ')} dropped` : '';
  return {
    source: 'system',
    event_id: `retention:${anchorId}`,
    principal_id: RETENTION_PRINCIPAL,
    fields: 0,
    channel: 'retention',
    purpose: `retention: ${pruned} entries recorded before ${new Date(cutAt).toISOString()} removed${range}`,
    ticket: `anchor:${anchorId}`,
    at: now,
    recorded_at: now,
  };
}
