// Canary customers, their trips, fingerprinted export files and per-recipient phone substitutes.
import type { FanzhaMigration } from './migration.ts';

export const canariesExports: FanzhaMigration = {
  async up(db, d) {
    const ms = d.epochMs;
    await db.schema
      .createTable('canaries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text')
      .addColumn('customer_id', 'text', (c) => c.notNull().unique())
      .addColumn('order_ids', 'text', (c) => c.notNull())
      .addColumn('scope_kind', 'text', (c) => c.notNull())
      .addColumn('scope_id', 'text', (c) => c.notNull())
      .addColumn('recipient_id', 'text')
      .addColumn('phone_bidx', 'text', (c) => c.notNull())
      .addColumn('email_bidx', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('canaries_request').on('canaries').column('request_id').execute();
    // One canary per watched contact: a trip must name exactly one scope.
    await db.schema.createIndex('canaries_phone').on('canaries').column('phone_bidx').unique().execute();
    await db.schema.createIndex('canaries_email').on('canaries').column('email_bidx').unique().execute();
    await db.schema.createIndex('canaries_scope').on('canaries').columns(['scope_kind', 'scope_id']).execute();

    await db.schema
      .createTable('canary_trips')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('canary_id', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text')
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('from_bidx', 'text')
      .addColumn('scope_kind', 'text', (c) => c.notNull())
      .addColumn('scope_id', 'text', (c) => c.notNull())
      .addColumn('at', ms, (c) => c.notNull())
      .addColumn('received_at', ms, (c) => c.notNull())
      .addUniqueConstraint('canary_trips_client', ['canary_id', 'client_id'])
      .execute();
    await db.schema.createIndex('canary_trips_at').on('canary_trips').column('received_at').execute();

    await db.schema
      .createTable('export_files')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('recipient_id', 'text', (c) => c.notNull())
      .addColumn('subject_kind', 'text', (c) => c.notNull())
      .addColumn('fields', 'integer', (c) => c.notNull())
      .addColumn('phone_mode', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('record_ids', 'text', (c) => c.notNull())
      .addColumn('canary_ids', 'text', (c) => c.notNull())
      .addColumn('at', ms, (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('export_files_recipient').on('export_files').column('recipient_id').execute();

    await db.schema
      .createTable('export_substitutes')
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', ms, (c) => c.notNull())
      .addPrimaryKeyConstraint('export_substitutes_pk', ['principal_id', 'customer_id', 'kind'])
      .execute();
  },
};
