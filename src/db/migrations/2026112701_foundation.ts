import type { FanzhaMigration } from './migration.ts';

export const foundation: FanzhaMigration = {
  async up(db, d) {
    const ms = d.epochMs;
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('principal_id', 'text')
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('key_prefix', 'text', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('revoked_at', ms)
      .addColumn('last_used_at', ms)
      .execute();

    await db.schema
      .createTable('events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('at', ms, (c) => c.notNull())
      .addColumn('received_at', ms, (c) => c.notNull())
      .addColumn('subject', 'text')
      .execute();

    await db.schema
      .createTable('customers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name_enc', 'text')
      .addColumn('phone_enc', 'text')
      .addColumn('email_enc', 'text')
      .addColumn('address_enc', 'text')
      .addColumn('province', 'text')
      .addColumn('city', 'text')
      .addColumn('phone_bidx', 'text')
      .addColumn('email_bidx', 'text')
      .addColumn('lang', 'text')
      .addColumn('canary', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('customers_phone_bidx').on('customers').column('phone_bidx').execute();
    await db.schema.createIndex('customers_email_bidx').on('customers').column('email_bidx').execute();

    await db.schema
      .createTable('orders')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('items', 'text', (c) => c.notNull())
      .addColumn('total_minor', ms, (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('placed_at', ms, (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('orders_customer').on('orders').column('customer_id').execute();

    await db.schema
      .createTable('refunds')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('requested_at', ms)
      .addColumn('completed_at', ms)
      .addColumn('cancelled_at', ms)
      .addColumn('updated_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('refunds_order').on('refunds').column('order_id').execute();

    await db.schema
      .createTable('principals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('org', 'text')
      .addColumn('team', 'text')
      .addColumn('updated_at', ms, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('access_log')
      .addColumn('seq', d.serial, d.serialPk)
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text')
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text')
      .addColumn('order_id', 'text')
      .addColumn('fields', 'integer', (c) => c.notNull())
      .addColumn('purpose', 'text')
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('export_id', 'text')
      .addColumn('at', ms, (c) => c.notNull())
      .addColumn('recorded_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('access_log_principal_at').on('access_log').columns(['principal_id', 'at']).execute();
    await db.schema.createIndex('access_log_customer').on('access_log').column('customer_id').execute();
    await db.schema.createIndex('access_log_order').on('access_log').column('order_id').execute();

    await db.schema
      .createTable('exports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('fields', 'integer', (c) => c.notNull())
      .addColumn('subject_kind', 'text', (c) => c.notNull())
      .addColumn('record_count', 'integer', (c) => c.notNull())
      .addColumn('at', ms, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('logins')
      .addColumn('seq', d.serial, d.serialPk)
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text')
      .addColumn('username_bidx', 'text')
      .addColumn('ip', 'text')
      .addColumn('device_id', 'text')
      .addColumn('user_agent', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('logins_customer_at').on('logins').columns(['customer_id', 'at']).execute();
  },
};
