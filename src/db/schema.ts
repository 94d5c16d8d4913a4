// Table types for Kysely. Each area declares its own tables in its `*.tables.ts` by augmenting `DB`
// (the shop's core tables in src/shop/shop.tables.ts, access_log in src/audit/audit.tables.ts); the
// owner of every table is listed in src/db/owners.ts.
// Times are epoch milliseconds (bigint in PostgreSQL, parsed to number), booleans are 0/1,
// JSON is stored as text so one migration serves both dialects.
export interface ApiKeysTable {
  id: string;
  name: string;
  role: string;
  principal_id: string | null;
  key_hash: string;
  key_prefix: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface EventsTable {
  id: string;
  type: string;
  at: number;
  received_at: number;
  /** The main id the event is about (customer, order, refund...), never personal data. */
  subject: string | null;
}

export interface DB {
  api_keys: ApiKeysTable;
  events: EventsTable;
}
