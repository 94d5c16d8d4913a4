// Queries of the incidents area: its own four tables only.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { IncidentCustomersTable, IncidentEventsTable, IncidentsTable } from './incidents.tables.ts';

export class IncidentsRepository {
  constructor(readonly db: Kysely<DB>) {}

  transaction<T>(fn: (repo: IncidentsRepository, trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new IncidentsRepository(trx), trx));
  }

  get(id: string) {
    return this.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  }
  byClientRef(ref: string) {
    return this.db.selectFrom('incidents').selectAll().where('client_ref', '=', ref).executeTakeFirst();
  }
  /** Incidents opened from these investigations. */
  fromInvestigations(ids: readonly string[]) {
    if (!ids.length) return Promise.resolve([]);
    return this.db.selectFrom('incidents').selectAll().where('source', '=', 'investigation').where('source_ref', 'in', ids).orderBy('created_at').execute();
  }
  /** A page of incidents, filtered and sorted, with the total matching. */
  async page(q: { limit: number; offset: number; state?: string; source?: string; sort: 'created' | 'updated' | 'affected'; order: 'asc' | 'desc' }) {
    let base = this.db.selectFrom('incidents');
    if (q.state) base = base.where('state', '=', q.state as IncidentsTable['state']);
    if (q.source) base = base.where('source', '=', q.source);
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const col = ({ created: 'created_at', updated: 'updated_at', affected: 'affected' } as const)[q.sort];
    const rows = await base.selectAll().orderBy(col, q.order).orderBy('id', q.order).limit(q.limit).offset(q.offset).execute();
    return { total, rows };
  }
  list(limit: number) {
    return this.db.selectFrom('incidents').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }
  async insert(row: IncidentsTable) {
    await this.db.insertInto('incidents').values(row).execute();
  }
  async update(id: string, patch: Partial<IncidentsTable>) {
    await this.db.updateTable('incidents').set(patch).where('id', '=', id).execute();
  }
  async addEvent(e: IncidentEventsTable) {
    await this.db.insertInto('incident_events').values(e).execute();
  }
  /** The transitions, in order. */
  events(id: string) {
    return this.db.selectFrom('incident_events').selectAll().where('incident_id', '=', id).orderBy('at').orderBy('id').execute();
  }
  /** Replaces the affected customers, keeping notice ids of those still in scope. */
  async replaceCustomers(id: string, rows: IncidentCustomersTable[]) {
    const kept = new Map(
      (
        await this.db
          .selectFrom('incident_customers')
          .select(['customer_id', 'notice_id'])
          .where('incident_id', '=', id)
          .where('notice_id', 'is not', null)
          .execute()
      ).map((r) => [r.customer_id, r.notice_id]),
    );
    await this.db.deleteFrom('incident_customers').where('incident_id', '=', id).execute();
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500).map((r) => ({ ...r, notice_id: kept.get(r.customer_id) ?? r.notice_id }));
      await this.db.insertInto('incident_customers').values(chunk).execute();
    }
  }
  customers(id: string, opts: { afterId?: string; limit: number; unnotifiedOnly?: boolean }) {
    let q = this.db.selectFrom('incident_customers').selectAll().where('incident_id', '=', id);
    if (opts.afterId) q = q.where('customer_id', '>', opts.afterId);
    if (opts.unnotifiedOnly) q = q.where('notice_id', 'is', null);
    return q.orderBy('customer_id').limit(opts.limit).execute();
  }
  /** One UPDATE per chunk (a CASE over the customer ids), not one per customer. */
  async setNoticeIds(id: string, pairs: { customerId: string; noticeId: string }[]) {
    if (!pairs.length) return;
    const cases = sql.join(
      pairs.map((p) => sql`WHEN ${p.customerId} THEN ${p.noticeId}`),
      sql` `,
    );
    await sql`UPDATE incident_customers SET notice_id = CASE customer_id ${cases} END WHERE incident_id = ${id} AND customer_id IN (${sql.join(pairs.map((p) => p.customerId))})`.execute(
      this.db,
    );
  }
  async noticeCount(id: string): Promise<number> {
    const r = await this.db
      .selectFrom('incident_customers')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('incident_id', '=', id)
      .where('notice_id', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async maxPos(id: string): Promise<number | null> {
    const r = await this.db
      .selectFrom('incident_customers')
      .select((eb) => eb.fn.max('max_pos').as('m'))
      .where('incident_id', '=', id)
      .executeTakeFirst();
    return r?.m === null || r?.m === undefined ? null : Number(r.m);
  }
  async freeze(principalId: string, incidentId: string, at: number) {
    await this.db
      .insertInto('incident_frozen_principals')
      .values({ principal_id: principalId, incident_id: incidentId, at })
      .onConflict((oc) => oc.column('principal_id').doNothing())
      .execute();
  }
  async isFrozen(principalId: string): Promise<boolean> {
    return !!(await this.db.selectFrom('incident_frozen_principals').select('principal_id').where('principal_id', '=', principalId).executeTakeFirst());
  }
}
