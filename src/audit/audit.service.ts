// The access log as a service: append (fail-closed callers await it before returning data),
// verify, signed checkpoints and analyst queries.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { FIELD_BIT, maskToFields, type AccessField } from '../lib/fields.ts';
import { appendEntries, lockChain } from './append.ts';
import type { ChainedRow, NewEntry } from './chain.ts';
import { verifyStoredLog, type TrustedCheckpoint, type VerifyResult } from './verify.ts';
import { NoteSigner, openCheckpoint, parseVerifierKey, splitNotes, NoteError, type Checkpoint } from './signed-note.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { AccessReads } from './access-reads.ts';
import './audit.tables.ts';

export interface AuditConfig {
  /** Checkpoint origin line and signing key name (no spaces). */
  origin: string;
  checkpointEveryEntries: number;
  checkpointEverySeconds: number;
  /** Minimum retention the deployment promises (PIPL: six months or more). The log is never pruned by fanzha. */
  retentionDays: number;
}

export function auditConfig(areas: Record<string, unknown>): AuditConfig {
  const c = (areas.audit ?? {}) as Partial<AuditConfig>;
  const cfg: AuditConfig = {
    origin: c.origin ?? 'fanzha.local/access-log',
    checkpointEveryEntries: c.checkpointEveryEntries ?? 10_000,
    checkpointEverySeconds: c.checkpointEverySeconds ?? 300,
    retentionDays: c.retentionDays ?? 183,
  };
  if (/\s|\+/.test(cfg.origin)) throw new Error('areas.audit.origin must not contain spaces or "+"');
  if (cfg.retentionDays < 183) throw new Error('areas.audit.retentionDays must be at least 183 (six months)');
  return cfg;
}

/** Thrown by a `record` guard to refuse an access (e.g. over quota); passes through unchanged. */
export class AppendRefused extends Error {
  override name = 'AppendRefused';
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
  position: number;
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
    const { db, dialect } = this.database;
    try {
      return await db.transaction().execute(async (trx) => {
        if (guard) {
          await lockChain(trx, dialect);
          await guard(trx);
        }
        return appendEntries(trx, this.database, entries);
      });
    } catch (e) {
      if (e instanceof AppendRefused) throw e;
      throw new AuditUnavailableError(`the access log could not be written: ${(e as Error).message}`);
    }
  }

  async head(): Promise<{ size: number; hash: string }> {
    const h = await this.database.db.selectFrom('audit_head').select(['size', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    return { size: Number(h.size), hash: h.hash };
  }

  /**
   * Verifies the stored log against the head row and every checkpoint given. Without explicit
   * checkpoints, the stored ones whose signature verifies with our key are used.
   */
  async verify(opts: { notes?: string; verifierKey?: string } = {}): Promise<VerifyResult & { checkpointsRejected?: number }> {
    let trusted: TrustedCheckpoint[];
    let rejected = 0;
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
    const r = await verifyStoredLog(this.database, this.chainKey, trusted);
    return rejected ? { ...r, checkpointsRejected: rejected } : r;
  }

  /** Signs the current head unless a checkpoint of that size exists; returns the checkpoint. */
  async checkpoint(): Promise<StoredCheckpoint> {
    const head = await this.head();
    const existing = await this.database.db.selectFrom('audit_checkpoints').selectAll().where('size', '=', head.size).executeTakeFirst();
    if (existing) return { size: Number(existing.size), hash: existing.hash, note: existing.note, createdAt: Number(existing.created_at) };
    const cp: Checkpoint = { origin: this.config.origin, size: head.size, hash: head.hash };
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
    if (q.before !== undefined) s = s.where('pos', '<', q.before);
    const rows = await s.orderBy('pos', 'desc').limit(q.limit + 1).execute();
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit).map((r) => ({
      position: Number(r.pos),
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
    return { items, nextBefore: more ? items[items.length - 1]!.position : null };
  }
}
