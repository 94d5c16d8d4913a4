// Saved case filters: the built-in ones every analyst has, and each key's own (named queries of
// the cases list). A key sees and deletes only its own.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { BUILTIN_FILTERS, type CaseQuery } from './case-list.ts';

export class SavedFilters {
  constructor(private readonly db: Kysely<DB>) {}

  async list(ownerKey: string) {
    const own = await this.db.selectFrom('case_filters').selectAll().where('owner_key', '=', ownerKey).orderBy('created_at').execute();
    return [
      ...BUILTIN_FILTERS.map((f) => ({ ...f, builtin: true })),
      ...own.map((f) => ({ id: f.id, name: f.name, builtin: false, query: JSON.parse(f.query) as CaseQuery })),
    ];
  }

  async get(ownerKey: string, id: string): Promise<CaseQuery | undefined> {
    const b = BUILTIN_FILTERS.find((f) => f.id === id);
    if (b) return b.query;
    const r = await this.db.selectFrom('case_filters').select('query').where('id', '=', id).where('owner_key', '=', ownerKey).executeTakeFirst();
    return r && (JSON.parse(r.query) as CaseQuery);
  }

  async save(ownerKey: string, name: string, query: CaseQuery) {
    const row = { id: newId('cflt'), owner_key: ownerKey, name, query: JSON.stringify(query), created_at: Date.now() };
    await this.db.insertInto('case_filters').values(row).execute();
    return { id: row.id, name, builtin: false, query };
  }

  async remove(ownerKey: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('case_filters').where('id', '=', id).where('owner_key', '=', ownerKey).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
