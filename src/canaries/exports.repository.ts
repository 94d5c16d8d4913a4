// Queries of fingerprinted exports: export files and per-recipient substitutes (ours), and — through
// their owners — the records an export file is rendered from (shop) and who each export reached
// (the access log, audit).
import type { Kysely, Insertable } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ShopService } from '../shop/shop.service.ts';
import type { AccessReads } from '../audit/access-reads.ts';
import type { ExportFilesTable, ExportSubstitutesTable, SubstituteCallsTable } from './canaries.tables.ts';
import { inChunks } from '../lib/chunks.ts';
import './canaries.tables.ts';

export class ExportsRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly shop: ShopService,
    private readonly access: AccessReads,
  ) {}

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
    const r = await this.db
      .insertInto('substitute_calls')
      .values(row)
      .onConflict((oc) => oc.column('client_id').doNothing())
      .executeTakeFirst();
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
    const r = await this.db
      .insertInto('export_files')
      .values(row)
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Whether an export.created event already used this id (the shop's exports table). */
  foundationExportExists(id: string): Promise<boolean> {
    return this.shop.exportExists(id);
  }

  orders(ids: readonly string[]) {
    return this.shop.orders(ids);
  }

  /** Sealed rows: only the vault opens them. */
  customers(ids: readonly string[]) {
    return this.shop.customers(ids);
  }

  latestRefunds(orderIds: readonly string[]): Promise<Map<string, string>> {
    return this.shop.latestRefunds(orderIds);
  }

  async substitutes(principalId: string, kind: string, customerIds: readonly string[]) {
    return inChunks(customerIds, (part) =>
      this.db
        .selectFrom('export_substitutes')
        .selectAll()
        .where('principal_id', '=', principalId)
        .where('kind', '=', kind)
        .where('customer_id', 'in', part)
        .execute(),
    );
  }

  async usedValues(kind: string, values: readonly string[]): Promise<Set<string>> {
    const rows = await inChunks(values, (part) =>
      this.db.selectFrom('export_substitutes').select('value').where('kind', '=', kind).where('value', 'in', part).execute(),
    );
    return new Set(rows.map((r) => r.value));
  }

  /** Inserts bindings; those whose value or (principal, customer) already exist are skipped. */
  async insertSubstitutes(rows: Insertable<ExportSubstitutesTable>[]) {
    for (let i = 0; i < rows.length; i += 500) {
      await this.db
        .insertInto('export_substitutes')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }

  async substitutesByValue(values: readonly string[]) {
    return inChunks(values, (part) => this.db.selectFrom('export_substitutes').selectAll().where('value', 'in', part).execute());
  }

  /** Export files sent to one recipient that contain a record of this customer. */
  async filesOfRecipient(recipientId: string) {
    return this.db.selectFrom('export_files').selectAll().where('recipient_id', '=', recipientId).orderBy('at').execute();
  }

  /** Which of these customers each export reached, from the access log (the single source of who received what). */
  exportHits(customerIds: readonly string[]) {
    return this.access.exportHits(customerIds);
  }

  /**
   * Distinct customers (canaries included) each export of these recipients reached, and each
   * recipient over all its exports, with when each export was made.
   */
  async audienceSizes(
    principalIds: readonly string[],
  ): Promise<{ byExport: Map<string, { principalId: string; at: number; size: number }>; byPrincipal: Map<string, number> }> {
    const reach = await this.access.exportReach(principalIds);
    const times = await this.shop.exportTimes(principalIds);
    const byExport = new Map([...reach.byExport].map(([id, e]) => [id, { ...e, at: times.get(id) ?? 0 }]));
    return { byExport, byPrincipal: reach.byPrincipal };
  }

  /** How many principals ever received an export: the number of hypotheses a match tests. */
  recipientCount(): Promise<number> {
    return this.shop.exportRecipientCount();
  }

  async realCustomersByPhone(bidx: readonly string[]) {
    return (await this.shop.realCustomersByIndex('phone_bidx', bidx)).map((r) => ({ id: r.id, phone_bidx: r.bidx }));
  }

  async realCustomersByEmail(bidx: readonly string[]) {
    return (await this.shop.realCustomersByIndex('email_bidx', bidx)).map((r) => ({ id: r.id, email_bidx: r.bidx }));
  }

  async ordersById(ids: readonly string[]) {
    return [...(await this.shop.customersOfOrders(ids))].map(([id, customer_id]) => ({ id, customer_id }));
  }

  realCustomerCount(): Promise<number> {
    return this.shop.realCustomerCount();
  }
}
