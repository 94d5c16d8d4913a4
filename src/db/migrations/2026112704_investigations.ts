import type { FanzhaMigration } from './migration.ts';

/** Investigations (leak attribution) and the indexes their baseline queries need. */
export const investigations: FanzhaMigration = {
  async up(db, d) {
    const ms = d.epochMs;
    await db.schema
      .createTable('investigations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('client_ref', 'text', (c) => c.unique())
      .addColumn('created_by', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('verdict', 'text', (c) => c.notNull())
      .addColumn('victim_count', 'integer', (c) => c.notNull())
      .addColumn('request', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('investigations_created').on('investigations').column('created_at').execute();
    // baseline population: orders placed and refunds requested in a period
    await db.schema.createIndex('orders_placed_at').on('orders').column('placed_at').execute();
    await db.schema.createIndex('refunds_requested_at').on('refunds').column('requested_at').execute();
  },
  async down(db) {
    await db.schema.dropIndex('refunds_requested_at').execute();
    await db.schema.dropIndex('orders_placed_at').execute();
    await db.schema.dropTable('investigations').execute();
  },
};
