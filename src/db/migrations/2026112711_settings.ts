import type { FanzhaMigration } from './migration.ts';

/** Settings edited in the console (masking rules, notice texts) and the history of their changes. */
export const settingsMigration: FanzhaMigration = {
  async up(db, d) {
    const ms = d.epochMs;
    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .execute();
    await db.schema
      .createTable('settings_changes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('before', 'text')
      .addColumn('after', 'text')
      .addColumn('by_key', 'text')
      .addColumn('by_name', 'text')
      .addColumn('by_role', 'text')
      .addColumn('at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('settings_changes_key_at').on('settings_changes').columns(['key', 'at']).execute();
    await db.schema.createIndex('settings_changes_at').on('settings_changes').column('at').execute();
  },
  async down(db) {
    await db.schema.dropTable('settings_changes').execute();
    await db.schema.dropTable('settings').execute();
  },
};
