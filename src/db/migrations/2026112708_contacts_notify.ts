// Tables for official contact sessions (contacts/) and the notification outbox (notify/).
import type { FanzhaMigration } from './migration.ts';

export const contactsNotify: FanzhaMigration = {
  async up(db, d) {
    const ms = d.epochMs;
    await db.schema
      .createTable('notices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
      .addColumn('template', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text')
      .addColumn('order_id', 'text')
      .addColumn('vars', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('urgent', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', ms, (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', ms)
      .addColumn('provider_ref', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .addColumn('sent_at', ms)
      .addColumn('delivered_at', ms)
      .execute();
    await db.schema.createIndex('notices_due').on('notices').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('notices_customer_sent').on('notices').columns(['customer_id', 'sent_at']).execute();
    await db.schema.createIndex('notices_provider_ref').on('notices').column('provider_ref').execute();

    await db.schema
      .createTable('contact_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('order_id', 'text')
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('staff_name', 'text', (c) => c.notNull())
      .addColumn('staff_team', 'text')
      .addColumn('phrase', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('expires_at', ms, (c) => c.notNull())
      .addColumn('ringing_at', ms)
      .addColumn('connected_at', ms)
      .addColumn('ended_at', ms)
      .addColumn('updated_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('contact_sessions_customer').on('contact_sessions').columns(['customer_id', 'expires_at']).execute();
    await db.schema.createIndex('contact_sessions_created').on('contact_sessions').column('created_at').execute();

    // What stays after session details are purged: counts per day, channel and team (audit), and
    // per customer only the time of the last contact (so the app can say "we last contacted you on …").
    await db.schema
      .createTable('contact_aggregates')
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('team', 'text', (c) => c.notNull())
      .addColumn('sessions', 'integer', (c) => c.notNull())
      .addColumn('connected', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('contact_aggregates_pk', ['day', 'channel', 'team'])
      .execute();
    await db.schema
      .createTable('contact_last')
      .addColumn('customer_id', 'text', (c) => c.primaryKey())
      .addColumn('last_contact_at', ms, (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .execute();
  },
};
