// The access log as a service: append (fail-closed callers await it before returning data),
// verify, signed checkpoints and analyst queries.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { FIELD_BIT, maskToFields, type AccessField } from '../lib/fields.ts';
import { appendEntries, lockChain, headId, AuditHeadMissing } from './append.ts';
import { combineHeads, isSharded, type ShardHead } from './heads.ts';
import type { ChainedRow, NewEntry } from './chain.ts';
import { verifyStoredLog, type TrustedCheckpoint, type VerifyResult } from './verify.ts';
import { NoteSigner, openCheckpoint, parseVerifierKey, splitNotes, NoteError, type Checkpoint } from './signed-note.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AccessReads } from './access-reads.ts';
import { MIN_RETENTION_DAYS, checkRetentionDays, retentionCut } from './retention.ts';
import { anchorOrigin, planPrune, pruneBefore, type PruneResult } from './prune.ts';
import { retryTransaction } from '../db/postgres/retry.ts';
import type { Anchor } from './verify.ts';
import './audit.tables.ts';

export interface AuditConfig {
  /** Checkpoint origin line and signing key name (no spaces). */
  origin: string;
  checkpointEveryEntries: number;
  checkpointEverySeconds: number;
  /**
   * Days every access-log entry is kept at least (never below retention.ts MIN_RETENTION_DAYS, the
   * Cybersecurity Law's six months; a lower value stops the start). With `prune`, whole months of
   * entries older than that (and than six calendar months) are removed; without it, nothing is.
   */
  retentionDays: number;
  /** Remove entries older than retentionDays (prune.ts; off by default: the log only grows). */
  prune: boolean;
  /**
   * Hash chains appended in parallel (append.ts). 1 is a single chain; several nodes on one
   * PostgreSQL want about one per concurrently appending transaction. Shards can be added later,
   * never removed (the verifier checks every shard that ever existed).
   */
  shards: number;
}

export function auditConfig(areas: Record<string, unknown>): AuditConfig {
  const c = (areas.audit ?? {}) as Partial<AuditConfig>;
  const cfg: AuditConfig = {
    origin: c.origin ?? 'fanzha.local/access-log',
    checkpointEveryEntries: c.checkpointEveryEntries ?? 10_000,
    checkpointEverySeconds: c.checkpointEverySeconds ?? 300,
    retentionDays: c.retentionDays ?? MIN_RETENTION_DAYS,
    prune: c.prune ?? false,
    shards: c.shards ?? 1,
  };
  if (!Number.isInteger(cfg.shards) || cfg.shards < 1 || cfg.shards > 1024) throw new Error('areas.audit.shards must be an integer from 1 to 1024');
  if (/\s|\+/.test(cfg.origin)) throw new Error('areas.audit.origin must not contain spaces or "+"');
  checkRetentionDays(cfg.retentionDays);
  return cfg;
}

/** Thrown by a `record` guard to refuse an access (e.g. over quota); passes through unchanged. */
export class AppendRefused extends Error {
  override name = 'AppendRefused';
}

/** A prune refused because the log does not verify (it would erase the evidence). */
export class PruneRefused extends Error {
  override name = 'PruneRefused';
}

export class AuditUnavailableError extends Error {
  override name = 'AuditUnavailableError';
}

export interface AccessQuery {
  principalId?: string;
  customerId?: string;
  orderId?: string;
  field?: AccessField;
  from?: number;
  to?: number;
  /** Position to continue below (newest first). */
  before?: number;
  limit: number;
}

export interface AccessEntry {
  /** Position within its shard's chain. */
  position: number;
  shard: number;
  /** Row sequence (the pagination cursor). */
  seq: number;
  source: string;
  principalId: string;
  customerId: string | null;
  orderId: string | null;
  fields: AccessField[];
  purpose: string | null;
  channel: string;
  ticket: string | null;
  eventId: string | null;
  exportId: string | null;
  at: number;
  recordedAt: number;
}

export interface StoredCheckpoint {
  size: number;
  hash: string;
  note: string;
  createdAt: number;
}

export class AuditService {
  /** Start of the current T-second period: the last checkpoint, or when this process started. */
  private lastCheckpointAt = Date.now();
  /** The access-log reads other areas need (investigation scan, incident scope, export reach). */
  readonly reads: AccessReads;
  constructor(
    private readonly database: Database,
    readonly signer: NoteSigner,
    readonly config: AuditConfig,
    private readonly chainKey: Buffer,
  ) {
    this.reads = new AccessReads(database.db);
  }

  /**
   * Appends entries in their own transaction. `guard` runs under the append lock first (quotas
   * counted there are exact); if it throws, nothing is appended. Throws AuditUnavailableError when
   * the log cannot be written — callers must then withhold the data (fail closed).
   */
  async record(entries: NewEntry[], guard?: (trx: Transaction<DB>) => Promise<void>): Promise<ChainedRow[]> {
    const { db } = this.database;
    // A guarded append serialises per principal (its quota is counted under that shard's lock).
    const lock = guard && entries[0] ? { principal: entries[0].principal_id } : {};
    try {
      return await db.transaction().execute(async (trx) => {
        if (guard) {
          await lockChain(trx, this.database, lock);
          await guard(trx);
        }
        return appendEntries(trx, this.database, entries, lock);
      });
    } catch (e) {
      if (e instanceof AppendRefused) throw e;
      throw new AuditUnavailableError(`the access log could not be written: ${(e as Error).message}`);
    }
  }

  /** Every shard's head, read in one statement (a consistent state of all of them). */
  async heads(): Promise<ShardHead[]> {
    const rows = await this.database.db.selectFrom('audit_head').select(['id', 'size', 'hash']).orderBy('id').execute();
    const heads = rows.map((h) => ({ shard: Number(h.id) - headId(0), size: Number(h.size), hash: h.hash }));
    // a configured shard without its head row: damaged or tampered with (never recreated silently)
    for (let s = 0; s < this.config.shards; s++) if (!heads.some((h) => h.shard === s)) throw new AuditHeadMissing(s);
    return heads;
  }

  /** The log's size (all shards) and head (a single chain's, or the combined root of the shards'). */
  async head(): Promise<{ size: number; hash: string }> {
    return combineHeads(await this.heads());
  }

  /**
   * Verifies the stored log against the head row and every checkpoint given. Without explicit
   * checkpoints, the stored ones whose signature verifies with our key are used.
   */
  async verify(opts: { notes?: string; verifierKey?: string } = {}): Promise<VerifyResult & { checkpointsRejected?: number; anchorsRejected?: number }> {
    let trusted: TrustedCheckpoint[];
    let rejected = 0;
    // retention anchors are checked with the same key as the checkpoints: an outside verifier's own
    const anchors = await this.anchors(opts.notes !== undefined ? opts.verifierKey : undefined);
    if (opts.notes !== undefined) {
      const v = parseVerifierKey(opts.verifierKey ?? this.signer.verifierKey());
      trusted = splitNotes(opts.notes).map((n) => openCheckpoint(n, v, this.config.origin));
    } else {
      const v = parseVerifierKey(this.signer.verifierKey());
      trusted = [];
      for (const c of await this.listCheckpoints()) {
        try {
          trusted.push(openCheckpoint(c.note, v, this.config.origin));
        } catch (e) {
          if (!(e instanceof NoteError)) throw e;
          rejected++;
        }
      }
    }
    const r = await verifyStoredLog(this.database, this.chainKey, trusted, { anchors: anchors.trusted });
    return { ...r, ...(rejected ? { checkpointsRejected: rejected } : {}), ...(anchors.rejected ? { anchorsRejected: anchors.rejected } : {}) };
  }

  /**
   * The stored retention anchors whose signature verifies (with our key, or the one given); the
   * others are ignored and counted — a shard then verifies from further back and, its entries
   * being gone, is reported: a forged or damaged anchor can never hide anything.
   */
  async anchors(verifierKey?: string): Promise<{ trusted: TrustedCheckpoint[]; rejected: number }> {
    const v = parseVerifierKey(verifierKey ?? this.signer.verifierKey());
    const trusted: TrustedCheckpoint[] = [];
    let rejected = 0;
    for (const a of await this.database.db.selectFrom('audit_anchors').select('note').orderBy('id').execute()) {
      try {
        const cp = openCheckpoint(a.note, v, anchorOrigin(this.config.origin));
        trusted.push({ ...cp, shards: cp.shards ?? [{ shard: 0, size: cp.size, hash: cp.hash }] });
      } catch (e) {
        if (!(e instanceof NoteError)) throw e;
        rejected++;
      }
    }
    return { trusted, rejected };
  }

  /**
   * Removes the entries older than the retention (whole UTC months, retention.ts), after verifying
   * the log: a log that does not verify is never pruned. Runs whatever the `prune` setting says
   * (that decides only whether the maintenance job calls it), never below the legal floor.
   */
  async prune(now = Date.now()): Promise<PruneResult> {
    checkRetentionDays(this.config.retentionDays);
    const cutAt = retentionCut(now, this.config.retentionDays);
    const previous = new Map<number, Anchor>();
    for (const a of (await this.anchors()).trusted)
      for (const h of a.shards!) if (h.size >= (previous.get(h.shard)?.size ?? 0)) previous.set(h.shard, { size: h.size, hash: h.hash });
    // most runs of the maintenance job find nothing old enough: no verification pass then
    const input = { database: this.database, chainKey: this.chainKey, signer: this.signer, origin: this.config.origin, cutAt, now, previous };
    // (a plan that cannot be made — an entry missing — goes on to the verification, which names it)
    const plan = await planPrune(this.database.db, this.database, input, await this.heads()).catch(() => null);
    if (plan && plan.pruned === 0 && plan.partitions.length === 0) return { cutAt, pruned: 0, months: [], anchors: plan.cuts, anchorId: null };
    const v = await this.verify();
    if (!v.intact)
      throw new PruneRefused(
        `the access log does not verify (shard ${v.shard}, position ${v.position}: ${v.reason}); nothing was pruned — find out why first (fanzha audit verify)`,
      );
    const run = () => pruneBefore(input);
    return this.database.dialect === 'postgres' ? retryTransaction(run) : run();
  }

  /** Signs the current head unless a checkpoint of that size exists; returns the checkpoint. */
  async checkpoint(): Promise<StoredCheckpoint> {
    const heads = await this.heads();
    const head = combineHeads(heads);
    const existing = await this.database.db.selectFrom('audit_checkpoints').selectAll().where('size', '=', head.size).executeTakeFirst();
    if (existing) return { size: Number(existing.size), hash: existing.hash, note: existing.note, createdAt: Number(existing.created_at) };
    // a sharded log signs every shard's head with the root
    const cp: Checkpoint = { origin: this.config.origin, size: head.size, hash: head.hash, ...(isSharded(heads) ? { shards: heads } : {}) };
    const note = this.signer.sign(cp);
    const now = Date.now();
    await this.database.db
      .insertInto('audit_checkpoints')
      .values({ size: head.size, hash: head.hash, note, key_name: this.signer.name, created_at: now })
      .onConflict((oc) => oc.column('size').doNothing())
      .execute();
    this.lastCheckpointAt = now;
    return { size: head.size, hash: head.hash, note, createdAt: now };
  }

  /** Checkpoints when N entries were added or T seconds passed with growth (called on a timer). */
  async maybeCheckpoint(now = Date.now()): Promise<StoredCheckpoint | null> {
    const head = await this.head();
    const last = await this.database.db.selectFrom('audit_checkpoints').select(['size', 'created_at']).orderBy('size', 'desc').limit(1).executeTakeFirst();
    const lastSize = last ? Number(last.size) : 0;
    if (head.size <= lastSize) return null;
    const lastAt = Math.max(this.lastCheckpointAt, last ? Number(last.created_at) : 0);
    if (head.size - lastSize >= this.config.checkpointEveryEntries || now - lastAt >= this.config.checkpointEverySeconds * 1000) return this.checkpoint();
    return null;
  }

  async listCheckpoints(opts: { limit?: number; afterSize?: number } = {}): Promise<StoredCheckpoint[]> {
    let q = this.database.db.selectFrom('audit_checkpoints').selectAll().orderBy('size');
    if (opts.afterSize !== undefined) q = q.where('size', '>', opts.afterSize);
    if (opts.limit) q = q.limit(opts.limit);
    return (await q.execute()).map((c) => ({ size: Number(c.size), hash: c.hash, note: c.note, createdAt: Number(c.created_at) }));
  }

  /** All checkpoints as one text file of signed notes, for holding outside the shop. */
  async exportNotes(): Promise<string> {
    return (await this.listCheckpoints()).map((c) => c.note).join('\n');
  }

  async query(q: AccessQuery): Promise<{ items: AccessEntry[]; nextBefore: number | null }> {
    let s = this.database.db.selectFrom('access_log').selectAll().where('pos', 'is not', null);
    if (q.principalId) s = s.where('principal_id', '=', q.principalId);
    if (q.customerId) s = s.where('customer_id', '=', q.customerId);
    if (q.orderId) s = s.where('order_id', '=', q.orderId);
    if (q.field) s = s.where(sql<boolean>`(fields & ${FIELD_BIT[q.field]}) <> 0`);
    if (q.from !== undefined) s = s.where('at', '>=', q.from);
    if (q.to !== undefined) s = s.where('at', '<', q.to);
    // the cursor is the row sequence: positions repeat across shards
    if (q.before !== undefined) s = s.where('seq', '<', q.before);
    const rows = await s
      .orderBy('seq', 'desc')
      .limit(q.limit + 1)
      .execute();
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit).map((r) => ({
      position: Number(r.pos),
      shard: Number(r.shard),
      seq: Number(r.seq),
      source: r.source,
      principalId: r.principal_id,
      customerId: r.customer_id,
      orderId: r.order_id,
      fields: maskToFields(Number(r.fields)),
      purpose: r.purpose,
      channel: r.channel,
      ticket: r.ticket,
      eventId: r.event_id,
      exportId: r.export_id,
      at: Number(r.at),
      recordedAt: Number(r.recorded_at),
    }));
    return { items, nextBefore: more ? items[items.length - 1]!.seq : null };
  }
}
