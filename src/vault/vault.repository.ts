// Queries of the vault: customers' sealed columns, orders, refunds and tokens.
import type { Kysely } from 'kysely';
import type { DB, CustomersTable } from '../db/schema.ts';
import './vault.tables.ts';

export type SealedColumn = 'name_enc' | 'phone_enc' | 'email_enc' | 'address_enc';
export const SEALED: SealedColumn[] = ['name_enc', 'phone_enc', 'email_enc', 'address_enc'];

export class VaultRepository {
  constructor(private readonly db: Kysely<DB>) {}

  customer(id: string): Promise<CustomersTable | undefined> {
    return this.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  customersByIndex(column: 'phone_bidx' | 'email_bidx', bidx: string, limit: number): Promise<CustomersTable[]> {
    return this.db.selectFrom('customers').selectAll().where(column, '=', bidx).orderBy('id').limit(limit).execute();
  }

  order(id: string) {
    return this.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  }

  refundsOf(orderId: string) {
    return this.db.selectFrom('refunds').select(['id', 'state', 'requested_at']).where('order_id', '=', orderId).orderBy('id').execute();
  }

  /** Compare-and-set of re-sealed columns: only if the row still holds the ciphertexts we read. */
  async reseal(id: string, before: Partial<Record<SealedColumn, string>>, after: Partial<Record<SealedColumn, string>>): Promise<boolean> {
    let q = this.db.updateTable('customers').set(after).where('id', '=', id);
    for (const [c, v] of Object.entries(before)) q = q.where(c as SealedColumn, '=', v);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Customers holding any ciphertext not sealed by `activeKeyId`, by id after `afterId`. */
  staleCustomers(activeKeyId: string, afterId: string, limit: number) {
    const prefix = `v1.${activeKeyId}.%`;
    return this.db
      .selectFrom('customers')
      .selectAll()
      .where('id', '>', afterId)
      .where((eb) => eb.or(SEALED.map((c) => eb.and([eb(c, 'is not', null), eb(c, 'not like', prefix)]))))
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  tokenByBidx(kind: string, bidx: string) {
    return this.db.selectFrom('vault_tokens').select(['id', 'kind']).where('kind', '=', kind).where('value_bidx', '=', bidx).executeTakeFirst();
  }

  async insertToken(row: DB['vault_tokens']) {
    await this.db.insertInto('vault_tokens').values(row).onConflict((oc) => oc.columns(['kind', 'value_bidx']).doNothing()).execute();
  }

  tokens(ids: string[]) {
    return this.db.selectFrom('vault_tokens').selectAll().where('id', 'in', ids).execute();
  }
}
