import type { FanzhaMigration } from './migration.ts';

/**
 * The API key behind each access-log entry (a bound key's reads, ingested accesses and exports),
 * so the real actor can be recovered. Part of the chained entry (src/audit/chain.ts, format 2);
 * existing entries keep null and verify as before.
 */
export const accessKeyIdMigration: FanzhaMigration = {
  async up(db) {
    await db.schema.alterTable('access_log').addColumn('key_id', 'text').execute();
  },
  async down(db) {
    await db.schema.alterTable('access_log').dropColumn('key_id').execute();
  },
};
