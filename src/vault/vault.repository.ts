// Queries of the vault's own tables (tokens). Customers, orders and refunds are read through the
// shop area (ShopService), the access log through the audit area.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import './vault.tables.ts';

export class VaultRepository {
  constructor(private readonly db: Kysely<DB>) {}

  tokenByBidx(kind: string, bidx: string) {
    return this.db.selectFrom('vault_tokens').select(['id', 'kind']).where('kind', '=', kind).where('value_bidx', '=', bidx).executeTakeFirst();
  }

  async insertToken(row: DB['vault_tokens']) {
    await this.db
      .insertInto('vault_tokens')
      .values(row)
      .onConflict((oc) => oc.columns(['kind', 'value_bidx']).doNothing())
      .execute();
  }

  tokens(ids: string[]) {
    return this.db.selectFrom('vault_tokens').selectAll().where('id', 'in', ids).execute();
  }
}
