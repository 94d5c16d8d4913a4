import type { FanzhaMigration } from './migration.ts';

export const guard: FanzhaMigration = {
  async up(db, d) {
    await db.schema
      .createTable('guard_stats_minutes')
      .addColumn('minute', d.epochMs, (c) => c.primaryKey())
      .addColumn('allow', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('challenge', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('deny', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('guard_prefix_days')
      .addColumn('day', d.epochMs, (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('challenged', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('denied', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('guard_prefix_days_pk', ['day', 'prefix'])
      .execute();
  },
  async down(db) {
    await db.schema.dropTable('guard_prefix_days').execute();
    await db.schema.dropTable('guard_stats_minutes').execute();
  },
};
