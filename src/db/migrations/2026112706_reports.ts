import type { FanzhaMigration } from './migration.ts';

export const reportsMigration: FanzhaMigration = {
  async up(db, d) {
    const ms = d.epochMs;
    await db.schema
      .createTable('reports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('ref', 'text', (c) => c.notNull().unique())
      .addColumn('idem_key', 'text', (c) => c.unique())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('trust', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('contact_at', ms, (c) => c.notNull())
      .addColumn('received_at', ms, (c) => c.notNull())
      .addColumn('submitted_by', 'text')
      .addColumn('customer_id', 'text')
      .addColumn('knew_fields', 'integer', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('loss_minor', ms, (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('reports_case').on('reports').column('case_id').execute();
    await db.schema.createIndex('reports_received').on('reports').column('received_at').execute();

    await db.schema
      .createTable('report_orders')
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('order_id', 'text')
      .addColumn('order_bidx', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('report_orders_report').on('report_orders').column('report_id').execute();

    await db.schema
      .createTable('report_payments')
      .addColumn('id', d.serial, (c) => d.serialPk(c))
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('amount_minor', ms, (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('payee_name', 'text')
      .addColumn('payee_account', 'text')
      .addColumn('institution', 'text')
      .addColumn('merchant_id', 'text')
      .addColumn('txn_ref', 'text')
      .addColumn('paid_at', ms)
      .execute();
    await db.schema.createIndex('report_payments_report').on('report_payments').column('report_id').execute();

    await db.schema
      .createTable('report_indicators')
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('linked', 'integer', (c) => c.notNull())
      .addColumn('official', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('report_indicators_pk', ['report_id', 'kind', 'value'])
      .execute();
    await db.schema.createIndex('report_indicators_value').on('report_indicators').columns(['kind', 'value']).execute();

    await db.schema
      .createTable('indicators')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('report_count', 'integer', (c) => c.notNull())
      .addColumn('case_id', 'text')
      .addColumn('first_seen', ms, (c) => c.notNull())
      .addColumn('last_seen', ms, (c) => c.notNull())
      .addPrimaryKeyConstraint('indicators_pk', ['kind', 'value'])
      .execute();
    await db.schema.createIndex('indicators_case').on('indicators').column('case_id').execute();

    await db.schema
      .createTable('cases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('merged_into', 'text')
      .addColumn('report_count', 'integer', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cases_merged_into').on('cases').column('merged_into').execute();

    await db.schema
      .createTable('case_merges')
      .addColumn('id', d.serial, (c) => d.serialPk(c))
      .addColumn('from_case', 'text', (c) => c.notNull())
      .addColumn('into_case', 'text', (c) => c.notNull())
      .addColumn('via_kind', 'text', (c) => c.notNull())
      .addColumn('via_value', 'text', (c) => c.notNull())
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('case_merges_into').on('case_merges').column('into_case').execute();

    await db.schema
      .createTable('warning_list')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('label', 'text')
      .addColumn('created_at', ms, (c) => c.notNull())
      .addUniqueConstraint('warning_list_kind_value', ['kind', 'value'])
      .execute();

    await db.schema
      .createTable('report_evidence')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('report_evidence_report').on('report_evidence').column('report_id').execute();
  },
};
