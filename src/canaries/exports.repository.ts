// Queries of fingerprinted exports: export files, per-recipient substitutes, and the records
// (orders, customers, refunds) an export file is rendered from.
import { sql, type Kysely, type Insertable } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ExportFilesTable, ExportSubstitutesTable, SubstituteCallsTable } from './canaries.tables.ts';
import { inChunks } from './canaries.repository.ts';
import './canaries.tables.ts';

export class ExportsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async file(id: string) {
    return this.db.selectFrom('export_files').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async files(opts: { recipientId?: string; limit: number; after?: string }) {
    let q = this.db.selectFrom('export_files').selectAll().orderBy('id').limit(opts.limit);
    if (opts.recipientId) q = q.where('recipient_id', '=', opts.recipientId);
    if (opts.after) q = q.where('id', '>', opts.after);
    return q.execute();
  }

  async insertSubstituteCall(row: SubstituteCallsTable): Promise<boolean> {
    const r = await this.db.insertInto('substitute_calls').values(row).onConflict((oc) => oc.column('client_id').doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async substituteCallByClientId(clientId: string) {
    return this.db.selectFrom('substitute_calls').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  }

  async substituteCalls(opts: { principalIds?: readonly string[]; limit: number }) {
    let q = this.db.selectFrom('substitute_calls').selectAll().orderBy('received_at', 'desc').orderBy('id', 'desc').limit(opts.limit);
    if (opts.principalIds) {
      if (!opts.principalIds.length) return [];
      q = q.where('principal_id', 'in', [...opts.principalIds]);
    }
    return q.execute();
  }

  async insertFile(row: ExportFilesTable): Promise<boolean> {
    const r = await this.db.insertInto('export_files').values(row).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async foundationExportExists(id: string): Promise<boolean> {
    return !!(await this.db.selectFrom('exports').select('id').where('id', '=', id).executeTakeFirst());
  }

  async orders(ids: readonly string[]) {
    return inChunks(ids, (part) => this.db.selectFrom('orders').selectAll().where('id', 'in', part).execute());
  }

  async customers(ids: readonly string[]) {
    return inChunks(ids, (part) => this.db.selectFrom('customers').selectAll().where('id', 'in', part).execute());
  }

  async latestRefunds(orderIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await inChunks(orderIds, (part) => this.db.selectFrom('refunds').select(['order_id', 'state', 'updated_at']).where('order_id', 'in', part).execute());
    const m = new Map<string, { state: string; at: number }>();
    for (const r of rows) {
      const prev = m.get(r.order_id);
      if (!prev || Number(r.updated_at) >= prev.at) m.set(r.order_id, { state: r.state, at: Number(r.updated_at) });
    }
    return new Map([...m].map(([k, v]) => [k, v.state]));
  }

  async substitutes(principalId: string, kind: string, customerIds: readonly string[]) {
    return inChunks(customerIds, (part) =>
      this.db.selectFrom('export_substitutes').selectAll().where('principal_id', '=', principalId).where('kind', '=', kind).where('customer_id', 'in', part).execute(),
    );
  }

  async usedValues(kind: string, values: readonly string[]): Promise<Set<string>> {
    const rows = await inChunks(values, (part) => this.db.selectFrom('export_substitutes').select('value').where('kind', '=', kind).where('value', 'in', part).execute());
    return new Set(rows.map((r) => r.value));
  }

  /** Inserts bindings; those whose value or (principal, customer) already exist are skipped. */
  async insertSubstitutes(rows: Insertable<ExportSubstitutesTable>[]) {
    for (let i = 0; i < rows.length; i += 500) {
      await this.db.insertInto('export_substitutes').values(rows.slice(i, i + 500)).onConflict((oc) => oc.doNothing()).execute();
    }
  }

  async substitutesByValue(values: readonly string[]) {
    return inChunks(values, (part) => this.db.selectFrom('export_substitutes').selectAll().where('value', 'in', part).execute());
  }

  /** Export files sent to one recipient that contain a record of this customer. */
  async filesOfRecipient(recipientId: string) {
    return this.db.selectFrom('export_files').selectAll().where('recipient_id', '=', recipientId).orderBy('at').execute();
  }

  /**
   * Which of these customers each export reached, read from the access log (the single source of
   * who received what), through customer rows and through order rows. Only the export.created
   * entries (channel 'export') count: a later download of the file is a read, not a new recipient.
   */
  async exportHits(customerIds: readonly string[]): Promise<{ exportId: string; principalId: string; customerId: string }[]> {
    const direct = await inChunks(customerIds, (part) =>
      this.db.selectFrom('access_log').select(['export_id', 'principal_id', 'customer_id']).where('export_id', 'is not', null).where('channel', '=', 'export').where('customer_id', 'in', part).execute(),
    );
    const viaOrder = await inChunks(customerIds, (part) =>
      this.db
        .selectFrom('access_log')
        .innerJoin('orders', 'orders.id', 'access_log.order_id')
        .select(['access_log.export_id', 'access_log.principal_id', 'orders.customer_id'])
        .where('access_log.export_id', 'is not', null)
        .where('access_log.channel', '=', 'export')
        .where('orders.customer_id', 'in', part)
        .execute(),
    );
    return [...direct, ...viaOrder].map((r) => ({ exportId: r.export_id!, principalId: r.principal_id, customerId: r.customer_id! }));
  }

  /**
   * Distinct customers (canaries included) each export of these recipients reached, and each
   * recipient over all its exports. Reads only those recipients' export rows (principal index).
   */
  async audienceSizes(principalIds: readonly string[]): Promise<{ byExport: Map<string, { principalId: string; at: number; size: number }>; byPrincipal: Map<string, number> }> {
    const byExport = new Map<string, { principalId: string; at: number; size: number }>();
    const byPrincipal = new Map<string, number>();
    for (let i = 0; i < principalIds.length; i += 200) {
      const part = principalIds.slice(i, i + 200);
      const ids = sql.join(part.map((p) => sql`${p}`));
      const reached = sql`(SELECT a.export_id AS export_id, a.principal_id AS principal_id, a.customer_id AS cid FROM access_log a
          WHERE a.principal_id IN (${ids}) AND a.export_id IS NOT NULL AND a.channel = 'export' AND a.customer_id IS NOT NULL
        UNION ALL SELECT a.export_id, a.principal_id, o.customer_id FROM access_log a JOIN orders o ON o.id = a.order_id
          WHERE a.principal_id IN (${ids}) AND a.export_id IS NOT NULL AND a.channel = 'export' AND a.customer_id IS NULL) r`;
      const perExport = await sql<{ export_id: string; principal_id: string; n: number }>`
        SELECT r.export_id, r.principal_id, COUNT(DISTINCT r.cid) AS n FROM ${reached} GROUP BY r.export_id, r.principal_id`.execute(this.db);
      const perPrincipal = await sql<{ principal_id: string; n: number }>`
        SELECT r.principal_id, COUNT(DISTINCT r.cid) AS n FROM ${reached} GROUP BY r.principal_id`.execute(this.db);
      const times = new Map(
        (await this.db.selectFrom('exports').select(['id', 'at']).where('principal_id', 'in', part).execute()).map((e) => [e.id, Number(e.at)]),
      );
      for (const r of perExport.rows) byExport.set(r.export_id, { principalId: r.principal_id, at: times.get(r.export_id) ?? 0, size: Number(r.n) });
      for (const r of perPrincipal.rows) byPrincipal.set(r.principal_id, Number(r.n));
    }
    return { byExport, byPrincipal };
  }

  /** How many principals ever received an export: the number of hypotheses a match tests. */
  async recipientCount(): Promise<number> {
    const r = await this.db.selectFrom('exports').select((eb) => eb.fn.count<number>('principal_id').distinct().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async realCustomersByPhone(bidx: readonly string[]) {
    return inChunks(bidx, (part) => this.db.selectFrom('customers').select(['id', 'phone_bidx']).where('canary', '=', 0).where('phone_bidx', 'in', part).execute());
  }

  async realCustomersByEmail(bidx: readonly string[]) {
    return inChunks(bidx, (part) => this.db.selectFrom('customers').select(['id', 'email_bidx']).where('canary', '=', 0).where('email_bidx', 'in', part).execute());
  }

  async ordersById(ids: readonly string[]) {
    return inChunks(ids, (part) => this.db.selectFrom('orders').select(['id', 'customer_id']).where('id', 'in', part).execute());
  }

  async realCustomerCount(): Promise<number> {
    const r = await this.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).where('canary', '=', 0).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
