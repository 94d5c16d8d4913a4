import type { Kysely } from 'kysely';
import type { DB, ApiKeysTable } from '../db/schema.ts';

export type ApiKeyRow = ApiKeysTable;

export class ApiKeysRepository {
  // Read on every authenticated request: built and compiled once, not per call.
  private readonly versionQuery;
  constructor(private readonly db: Kysely<DB>) {
    this.versionQuery = db
      .selectFrom('api_keys')
      .select((eb) => [eb.fn.count<number>('revoked_at').as('n'), eb.fn.max('revoked_at').as('last')])
      .compile();
  }

  insert(row: ApiKeyRow) {
    return this.db.insertInto('api_keys').values(row).execute();
  }
  findByHash(hash: string) {
    return this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
  }
  findById(id: string) {
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }
  list() {
    return this.db.selectFrom('api_keys').selectAll().orderBy('created_at').execute();
  }
  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async revoke(id: string, at: number): Promise<boolean> {
    const r = await this.db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
  async revokeByPrincipal(principalId: string, at: number): Promise<number> {
    const r = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('principal_id', '=', principalId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
  /**
   * Changes whenever a key is revoked, on any node: the number of revoked keys and the latest
   * revocation time (a count alone could miss nothing, the time guards against a restored row).
   * The table holds one row per key issued, so this stays a tiny read.
   */
  async revocationVersion(): Promise<string> {
    const { rows } = await this.db.executeQuery(this.versionQuery);
    const r = rows[0]!;
    return `${Number(r.n)}:${r.last ?? 0}`;
  }
  touch(id: string, at: number) {
    return this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
