// The access log becomes N hash chains ("shards", src/audit/append.ts): each entry names its shard,
// positions are unique within a shard. Existing entries are shard 0, whose chain is unchanged.
import type { FanzhaMigration } from './migration.ts';

export const auditShards: FanzhaMigration = {
  async up(db) {
    await db.schema
      .alterTable('access_log')
      .addColumn('shard', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.dropIndex('access_log_pos').execute();
    await db.schema.createIndex('access_log_shard_pos').unique().on('access_log').columns(['shard', 'pos']).execute();
  },
};
