import type { FanzhaMigration } from './migration.ts';

/**
 * Cases in hindsight: an indicator found over-correlated stops linking (`unlinked_reason`:
 * bridge, count or institution) and the cases it alone joined split; `cases.next_review` is the
 * case size at which its values are tested next. Splits are recorded like merges.
 */
export const caseSplitsMigration: FanzhaMigration = {
  async up(db, d) {
    const ms = d.epochMs;
    await db.schema.alterTable('indicators').addColumn('unlinked_reason', 'text').execute();
    await db.schema.alterTable('indicators').addColumn('unlinked_at', ms).execute();
    await db.schema.alterTable('cases').addColumn('split_from', 'text').execute();
    await db.schema
      .alterTable('cases')
      .addColumn('next_review', 'integer', (c) => c.notNull().defaultTo(3))
      .execute();
    await db.schema
      .createTable('case_splits')
      .addColumn('id', d.serial, (c) => d.serialPk(c))
      .addColumn('from_case', 'text', (c) => c.notNull())
      .addColumn('into_case', 'text', (c) => c.notNull())
      .addColumn('via_kind', 'text', (c) => c.notNull())
      .addColumn('via_value', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('reports', 'integer', (c) => c.notNull())
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('case_splits_from').on('case_splits').column('from_case').execute();
    await db.schema.createIndex('case_splits_into').on('case_splits').column('into_case').execute();
  },
};
