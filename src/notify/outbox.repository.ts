// The outbox: notices are inserted (in the caller's transaction when there is one) with a unique
// idempotency key, claimed by workers under a lease, and finished with a fenced update (only the
// lease holder may record the outcome, so a worker whose lease expired cannot overwrite a retry).
import { sql, type Kysely, type Selectable } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { DB } from '../db/schema.ts';
import type { Database } from '../db/database.ts';
import type { NoticesTable, NoticeStatus } from './notify.tables.ts';
import { newId } from '../lib/ids.ts';

export type NoticeRow = Selectable<NoticesTable>;

export interface NewNotice {
  idempotencyKey: string;
  template: string;
  customerId: string | null;
  orderId?: string | null;
  vars: Record<string, string | number>;
  channel: string;
  urgent: boolean;
  source: string;
  /** Earliest delivery time (default now). */
  notBefore?: number;
  /** Recorded but never sent, for this reason (status `skipped`, the reason in last_error). */
  skipped?: string;
}

function toRow(n: NewNotice, now: number): NoticesTable {
  return {
    id: newId('ntc'),
    idempotency_key: n.idempotencyKey,
    template: n.template,
    customer_id: n.customerId,
    order_id: n.orderId ?? null,
    vars: JSON.stringify(n.vars),
    channel: n.channel,
    urgent: n.urgent ? 1 : 0,
    source: n.source,
    status: n.skipped ? 'skipped' : 'pending',
    attempts: 0,
    next_attempt_at: n.notBefore ?? now,
    lease_owner: null,
    lease_until: null,
    provider_ref: null,
    last_error: n.skipped ?? null,
    created_at: now,
    updated_at: now,
    sent_at: null,
    delivered_at: null,
  };
}

export interface EnqueueResult {
  noticeId: string;
  duplicate: boolean;
}

/** Inserts notices with Kysely (a Kysely<DB> or a Transaction<DB>): one statement per notice. */
export async function enqueueWith(db: Kysely<DB>, notices: readonly NewNotice[], now = Date.now()): Promise<EnqueueResult[]> {
  const out: EnqueueResult[] = [];
  // Chunked multi-row inserts: the incidents area may enqueue 100,000 notices at once.
  const CHUNK = 500;
  for (let i = 0; i < notices.length; i += CHUNK) {
    const rows = notices.slice(i, i + CHUNK).map((n) => toRow(n, now));
    const inserted = await db
      .insertInto('notices')
      .values(rows)
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning(['id', 'idempotency_key'])
      .execute();
    const fresh = new Map(inserted.map((r) => [r.idempotency_key, r.id]));
    const missing = rows.filter((r) => !fresh.has(r.idempotency_key)).map((r) => r.idempotency_key);
    const existing = missing.length
      ? new Map(
          (await db.selectFrom('notices').select(['id', 'idempotency_key']).where('idempotency_key', 'in', missing).execute()).map((r) => [
            r.idempotency_key,
            r.id,
          ]),
        )
      : new Map<string, string>();
    for (const r of rows) {
      const id = fresh.get(r.idempotency_key);
      // A key repeated within one batch was inserted once: later copies are duplicates of it.
      if (id && id === r.id) out.push({ noticeId: id, duplicate: false });
      else out.push({ noticeId: id ?? existing.get(r.idempotency_key)!, duplicate: true });
    }
  }
  return out;
}

const SQLITE_COLS = Object.keys(toRow({ idempotencyKey: '', template: '', customerId: null, vars: {}, channel: '', urgent: false, source: '' }, 0));

/** Synchronous insert on the raw better-sqlite3 handle, for the SQLite ingest transaction. */
export function enqueueSqliteSync(raw: BetterSqlite3.Database, notices: readonly NewNotice[], now = Date.now()): number {
  const stmt = raw.prepare(
    `INSERT INTO notices (${SQLITE_COLS.join(', ')}) VALUES (${SQLITE_COLS.map((c) => '@' + c).join(', ')}) ON CONFLICT (idempotency_key) DO NOTHING`,
  );
  let n = 0;
  for (const x of notices) n += stmt.run(toRow(x, now)).changes;
  return n;
}

export class OutboxRepository {
  constructor(private readonly database: Database) {}
  private get db() {
    return this.database.db;
  }

  /**
   * Claims up to `limit` due notices for `owner`: pending ones whose time has come, and ones whose
   * previous lease expired (a worker died mid-delivery). PostgreSQL skips rows other nodes hold.
   */
  async claim(owner: string, now: number, leaseMs: number, limit: number): Promise<NoticeRow[]> {
    const lock = this.database.dialect === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
    const res = await sql<NoticeRow>`
      UPDATE notices SET status = 'sending', lease_owner = ${owner}, lease_until = ${now + leaseMs},
        attempts = attempts + 1, updated_at = ${now}
      WHERE id IN (
        SELECT id FROM notices
        WHERE (status = 'pending' AND next_attempt_at <= ${now}) OR (status = 'sending' AND lease_until < ${now})
        ORDER BY next_attempt_at LIMIT ${limit} ${lock}
      )
      RETURNING *`.execute(this.db);
    return res.rows.map((r) => ({
      ...r,
      attempts: Number(r.attempts),
      urgent: Number(r.urgent),
      next_attempt_at: Number(r.next_attempt_at),
      created_at: Number(r.created_at),
    }));
  }

  /**
   * Extends the lease of notices this owner still holds (a delivery in flight takes longer than the
   * lease: without this another node would claim and send it again). Returns how many it still holds.
   */
  async renew(ids: readonly string[], owner: string, until: number): Promise<number> {
    if (!ids.length) return 0;
    const r = await this.db
      .updateTable('notices')
      .set({ lease_until: until })
      .where('id', 'in', [...ids])
      .where('lease_owner', '=', owner)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Records a delivery; false when the lease was lost (another worker owns the notice now). */
  async complete(id: string, owner: string, now: number, status: 'sent' | 'delivered', providerRef: string | null): Promise<boolean> {
    const r = await this.db
      .updateTable('notices')
      .set({
        status,
        provider_ref: providerRef,
        sent_at: now,
        delivered_at: status === 'delivered' ? now : null,
        lease_owner: null,
        lease_until: null,
        last_error: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Back to pending at `at` (retry), or dead. `countAttempt: false` undoes the claim's increment. */
  async release(
    id: string,
    owner: string,
    now: number,
    opts: { status: 'pending' | 'dead' | 'suppressed' | 'unreachable'; at?: number; error?: string; countAttempt?: boolean; customerId?: string },
  ) {
    await this.db
      .updateTable('notices')
      .set((eb) => ({
        status: opts.status,
        next_attempt_at: opts.at ?? now,
        last_error: opts.error ?? null,
        lease_owner: null,
        lease_until: null,
        updated_at: now,
        ...(opts.countAttempt === false ? { attempts: eb('attempts', '-', 1) } : {}),
        ...(opts.customerId ? { customer_id: opts.customerId } : {}),
      }))
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'sending')
      .execute();
  }

  /** Notices sent to a customer since `since` and the oldest such time (for the rate limit). */
  async sentSince(customerId: string, since: number): Promise<{ count: number; oldest: number | null }> {
    const r = await this.db
      .selectFrom('notices')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('sent_at').as('oldest')])
      .where('customer_id', '=', customerId)
      .where('sent_at', '>=', since)
      .executeTakeFirstOrThrow();
    return { count: Number(r.n), oldest: r.oldest === null ? null : Number(r.oldest) };
  }

  /** A delivery receipt from a provider: moves a sent notice to delivered or failed. */
  async receipt(providerRef: string, status: 'delivered' | 'failed', now: number, error?: string): Promise<number> {
    const r = await this.db
      .updateTable('notices')
      .set({ status, delivered_at: status === 'delivered' ? now : null, last_error: error ?? null, updated_at: now })
      .where('provider_ref', '=', providerRef)
      .where('status', 'in', ['sent', 'delivered', 'failed'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async get(id: string): Promise<NoticeRow | undefined> {
    return this.db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(opts: { status?: NoticeStatus; customerId?: string; template?: string; before?: string; limit: number }): Promise<NoticeRow[]> {
    let q = this.db.selectFrom('notices').selectAll();
    if (opts.status) q = q.where('status', '=', opts.status);
    if (opts.customerId) q = q.where('customer_id', '=', opts.customerId);
    if (opts.template) q = q.where('template', '=', opts.template);
    if (opts.before) q = q.where('id', '<', opts.before);
    return q.orderBy('id', 'desc').limit(opts.limit).execute();
  }

  /** Skipped notices by template and reason class (the part of last_error before ':'), for /metrics. */
  async skippedByReason(): Promise<{ template: string; reason: string; n: number }[]> {
    const rows = await this.db
      .selectFrom('notices')
      .select((eb) => ['template', 'last_error', eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'skipped')
      .groupBy(['template', 'last_error'])
      .execute();
    const out = new Map<string, { template: string; reason: string; n: number }>();
    for (const r of rows) {
      const reason = (r.last_error ?? 'unknown').split(':')[0]!;
      const k = `${r.template}\0${reason}`;
      const e = out.get(k) ?? out.set(k, { template: r.template, reason, n: 0 }).get(k)!;
      e.n += Number(r.n);
    }
    return [...out.values()];
  }

  async countByTemplate(status: NoticeStatus): Promise<{ template: string; n: number }[]> {
    const rows = await this.db
      .selectFrom('notices')
      .select((eb) => ['template', eb.fn.countAll<number>().as('n')])
      .where('status', '=', status)
      .groupBy('template')
      .execute();
    return rows.map((r) => ({ template: r.template, n: Number(r.n) }));
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('notices')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
