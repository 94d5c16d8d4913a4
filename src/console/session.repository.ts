import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ConsoleSessionsTable } from './console.tables.ts';

export type SessionRow = ConsoleSessionsTable;

export class SessionRepository {
  constructor(private readonly db: Kysely<DB>) {}

  insert(row: SessionRow) {
    return this.db.insertInto('console_sessions').values(row).execute();
  }
  find(idHash: string) {
    return this.db.selectFrom('console_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  }
  touch(idHash: string, at: number) {
    return this.db.updateTable('console_sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
  }
  delete(idHash: string) {
    return this.db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
  }
  deleteByKey(keyId: string) {
    return this.db.deleteFrom('console_sessions').where('key_id', '=', keyId).execute();
  }
  /** Removes sessions past their absolute expiry (called opportunistically at sign-in). */
  deleteExpired(now: number) {
    return this.db.deleteFrom('console_sessions').where('expires_at', '<', now).execute();
  }
}
