// A probe the composition root makes before any area is set up: does the database already hold
// customers (sealed personal data)? Then a missing master key must not be replaced by a new one.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import './shop.tables.ts';

export async function shopHasCustomers(db: Kysely<DB>): Promise<boolean> {
  return (await db.selectFrom('customers').select('id').limit(1).execute()).length > 0;
}
