// Resume positions of the connectors, one JSON value per connector name.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import './connect.tables.ts';

export class PositionStore {
  constructor(private readonly db: Kysely<DB>) {}

  async get<T>(connector: string): Promise<T | null> {
    const row = await this.db.selectFrom('connector_positions').select('position').where('connector', '=', connector).executeTakeFirst();
    return row ? (JSON.parse(row.position) as T) : null;
  }

  /** Called after the batch the position covers is committed (see the migration's note). */
  async set(connector: string, position: unknown): Promise<void> {
    const value = { connector, position: JSON.stringify(position), updated_at: Date.now() };
    await this.db
      .insertInto('connector_positions')
      .values(value)
      .onConflict((oc) => oc.column('connector').doUpdateSet({ position: value.position, updated_at: value.updated_at }))
      .execute();
  }
}
