import type { FanzhaMigration } from './migration.ts';

/** Leak incidents: the incident, its transitions, its affected customers and frozen principals. */
export const incidentsMigration: FanzhaMigration = {
  async up(db, d) {
    const ms = d.epochMs;
    await db.schema
      .createTable('incidents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('client_ref', 'text', (c) => c.unique())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('source_ref', 'text')
      .addColumn('principal_ids', 'text', (c) => c.notNull())
      .addColumn('fields', 'integer', (c) => c.notNull())
      .addColumn('from_at', ms, (c) => c.notNull())
      .addColumn('to_at', ms, (c) => c.notNull())
      .addColumn('counts', 'text', (c) => c.notNull())
      .addColumn('affected', 'integer', (c) => c.notNull())
      .addColumn('containment', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('incidents_created').on('incidents').column('created_at').execute();
    await db.schema
      .createTable('incident_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('from_state', 'text')
      .addColumn('to_state', 'text')
      .addColumn('reason', 'text')
      .addColumn('detail', 'text')
      .addColumn('by_key', 'text')
      .addColumn('by_principal', 'text')
      .addColumn('at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('incident_events_incident').on('incident_events').columns(['incident_id', 'at']).execute();
    await db.schema
      .createTable('incident_customers')
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('province', 'text')
      .addColumn('fields', 'integer', (c) => c.notNull())
      .addColumn('first_read_at', ms, (c) => c.notNull())
      .addColumn('last_read_at', ms, (c) => c.notNull())
      .addColumn('max_pos', ms)
      .addColumn('notice_id', 'text')
      .addPrimaryKeyConstraint('incident_customers_pk', ['incident_id', 'customer_id'])
      .execute();
    await db.schema
      .createTable('incident_frozen_principals')
      .addColumn('principal_id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('at', ms, (c) => c.notNull())
      .execute();
  },
  async down(db) {
    await db.schema.dropTable('incident_frozen_principals').execute();
    await db.schema.dropTable('incident_customers').execute();
    await db.schema.dropTable('incident_events').execute();
    await db.schema.dropTable('incidents').execute();
  },
};
