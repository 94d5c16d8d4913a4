import type { FanzhaMigration } from './migration.ts';

/**
 * Where each connector (`fanzha connect mysql|nats`) resumes: one row per connector name, its
 * position as JSON text (a binlog file and offset, a snapshot cursor...). Written after the batch
 * it covers is committed; event ids derived from that position make the replay of a batch whose
 * position was not yet written harmless (stored once).
 */
export const connectorPositions: FanzhaMigration = {
  async up(db, d) {
    await db.schema
      .createTable('connector_positions')
      .addColumn('connector', 'text', (c) => c.primaryKey())
      .addColumn('position', 'text', (c) => c.notNull())
      .addColumn('updated_at', d.epochMs, (c) => c.notNull())
      .execute();
  },
};
