import type { FanzhaMigration } from './migration.ts';

/**
 * Calls that reached a per-recipient substitute (a virtual number the shop rents, or a token found
 * in use): each names the one recipient that was given it. Ids and the substitute only; the caller's
 * number is kept as a blind index, like canary trips.
 */
export const substituteCallsMigration: FanzhaMigration = {
  async up(db, d) {
    const ms = d.epochMs;
    await db.schema
      .createTable('substitute_calls')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text')
      .addColumn('from_bidx', 'text')
      .addColumn('at', ms, (c) => c.notNull())
      .addColumn('received_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('substitute_calls_client').on('substitute_calls').column('client_id').unique().execute();
    await db.schema.createIndex('substitute_calls_principal_at').on('substitute_calls').columns(['principal_id', 'at']).execute();
  },
  async down(db) {
    await db.schema.dropTable('substitute_calls').execute();
  },
};
