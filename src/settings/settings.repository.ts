// Rows of the settings and settings_changes tables; a change and its history row commit together.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { SettingsChangesTable, SettingsTable } from './settings.tables.ts';
import { newId } from '../lib/ids.ts';
import './settings.tables.ts';

export interface Actor {
  keyId: string;
  keyName: string;
  role: string;
}

export class SettingsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  all(): Promise<SettingsTable[]> {
    return this.db.selectFrom('settings').selectAll().execute();
  }

  /**
   * Writes (value) or removes (null) a setting and records the change in the same transaction.
   * Returns the JSON before the change; a write equal to what is stored records nothing.
   */
  async write(key: string, value: string | null, actor: Actor, at: number): Promise<{ before: string | null; changed: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      const before = row?.value ?? null;
      if (before === value) return { before, changed: false };
      if (value === null) await trx.deleteFrom('settings').where('key', '=', key).execute();
      else
        await trx
          .insertInto('settings')
          .values({ key, value, updated_at: at, updated_by: actor.keyId })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at, updated_by: actor.keyId }))
          .execute();
      await trx
        .insertInto('settings_changes')
        .values({ id: newId('set'), key, before, after: value, by_key: actor.keyId, by_name: actor.keyName, by_role: actor.role, at })
        .execute();
      return { before, changed: true };
    });
  }

  changes(q: { prefix?: string; limit: number; beforeAt?: number }): Promise<SettingsChangesTable[]> {
    let s = this.db.selectFrom('settings_changes').selectAll();
    if (q.prefix) s = s.where('key', '>=', q.prefix).where('key', '<', q.prefix + '\uffff');
    if (q.beforeAt !== undefined) s = s.where('at', '<', q.beforeAt);
    return s.orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  }
}
