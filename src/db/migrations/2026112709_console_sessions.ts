import type { FanzhaMigration } from './migration.ts';

/** Console sign-in sessions: an admin/analyst API key exchanged for a cookie (see src/console). */
export const consoleSessions: FanzhaMigration = {
  async up(db, d) {
    const ms = d.epochMs;
    await db.schema
      .createTable('console_sessions')
      // SHA-256 of the cookie value: a stolen database does not yield usable sessions.
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('last_seen_at', ms, (c) => c.notNull())
      .addColumn('expires_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('console_sessions_key').on('console_sessions').column('key_id').execute();
    await db.schema.createIndex('console_sessions_expires').on('console_sessions').column('expires_at').execute();
  },
  async down(db) {
    await db.schema.dropTable('console_sessions').execute();
  },
};
