import type { FanzhaMigration } from './migration.ts';

/**
 * Case workflow (issue 22): status with a resolution, priority, due date, assignee and tags on
 * `cases`; notes; the case history (every change, who and when); saved case filters per key; and
 * `investigations.case_id` so a case's timeline can show the investigations run on it (and,
 * through them, the incidents opened from those).
 */
export const caseWorkflowMigration: FanzhaMigration = {
  async up(db, d) {
    const ms = d.epochMs;
    await db.schema
      .alterTable('cases')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
      .execute();
    await db.schema.alterTable('cases').addColumn('resolution', 'text').execute();
    await db.schema
      .alterTable('cases')
      .addColumn('priority', 'text', (c) => c.notNull().defaultTo('normal'))
      .execute();
    await db.schema.alterTable('cases').addColumn('due_at', ms).execute();
    await db.schema.alterTable('cases').addColumn('assignee', 'text').execute();
    await db.schema
      .alterTable('cases')
      .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    await db.schema.createIndex('cases_status').on('cases').columns(['status', 'due_at']).execute();
    await db.schema.createIndex('cases_assignee').on('cases').column('assignee').execute();

    await db.schema
      .createTable('case_notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('by_key', 'text')
      .addColumn('by_name', 'text')
      .addColumn('by_principal', 'text')
      .addColumn('at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('case_notes_case').on('case_notes').column('case_id').execute();

    await db.schema
      .createTable('case_history')
      .addColumn('id', d.serial, (c) => d.serialPk(c))
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('from_value', 'text')
      .addColumn('to_value', 'text')
      .addColumn('detail', 'text')
      .addColumn('by_key', 'text')
      .addColumn('by_name', 'text')
      .addColumn('by_principal', 'text')
      .addColumn('at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('case_history_case').on('case_history').columns(['case_id', 'at']).execute();

    await db.schema
      .createTable('case_filters')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_key', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('query', 'text', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('case_filters_owner').on('case_filters').column('owner_key').execute();

    await db.schema.alterTable('investigations').addColumn('case_id', 'text').execute();
    await db.schema.createIndex('investigations_case').on('investigations').column('case_id').execute();
    // Earlier investigations of a case kept its id only in the request JSON.
    const rows = (await db.selectFrom('investigations').select(['id', 'request']).where('source', '=', 'case').execute()) as { id: string; request: string }[];
    for (const r of rows) {
      const caseId = (JSON.parse(r.request) as { caseId?: string }).caseId;
      if (caseId) await db.updateTable('investigations').set({ case_id: caseId }).where('id', '=', r.id).execute();
    }
  },
};
