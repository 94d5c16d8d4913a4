// Storage of normalised events: one interface, one implementation per dialect.
// Both apply a whole batch in one transaction: an event row (the idempotency key) is inserted
// first and the event's effects are applied only when that insert was new, so the same id sent
// twice — concurrently, or after a restart — is stored once.
import type BetterSqlite3 from 'better-sqlite3';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { EventNormalizer, NormalizedEvent } from './events.normalize.ts';
import type { NormalizedChunk } from './events.batch.ts';

/** A batch normalised and stored: the valid events, the ids that were new, and what was refused. */
export interface StoreOutcome extends NormalizedChunk {
  stored: Set<string>;
}

export interface IngestHook {
  /** Runs inside the SQLite ingest transaction with the events newly stored (never duplicates). */
  sqlite(raw: BetterSqlite3.Database, events: readonly NormalizedEvent[]): void;
  /** Runs inside the PostgreSQL ingest transaction with the events newly stored. */
  postgres(trx: Transaction<DB>, events: readonly NormalizedEvent[]): Promise<void>;
}

export interface EventStore {
  /** Stores a batch (ids already unique within it); returns the ids that were new. */
  apply(events: readonly NormalizedEvent[]): Promise<Set<string>>;
  addHook(hook: IngestHook): void;
  /**
   * Normalises and stores a raw batch in one go when the store has a faster way than
   * normalise-then-apply (SQLite's worker pipeline); null means "use normalise-then-apply".
   * With `json`, raw holds NDJSON lines to parse first (a bad one: BadJsonLine, nothing stored).
   */
  ingest?(raw: readonly unknown[], normalizer: EventNormalizer, json?: boolean): Promise<StoreOutcome | null>;
}

/** SQL shared by both dialects: upserts that keep the newest state when history arrives out of order. */
export const UPSERT_SQL = {
  customers: `ON CONFLICT (id) DO UPDATE SET name_enc = excluded.name_enc, phone_enc = excluded.phone_enc,
    email_enc = excluded.email_enc, address_enc = excluded.address_enc, province = excluded.province,
    city = excluded.city, phone_bidx = excluded.phone_bidx, email_bidx = excluded.email_bidx,
    lang = COALESCE(excluded.lang, customers.lang), updated_at = excluded.updated_at
    WHERE excluded.updated_at >= customers.updated_at`,
  principals: `ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, org = excluded.org,
    team = excluded.team, updated_at = excluded.updated_at WHERE excluded.updated_at >= principals.updated_at`,
  orders: `ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, items = excluded.items,
    total_minor = excluded.total_minor, currency = excluded.currency, placed_at = excluded.placed_at,
    updated_at = excluded.updated_at WHERE excluded.updated_at >= orders.updated_at`,
  refunds: `ON CONFLICT (id) DO UPDATE SET
    requested_at = COALESCE(excluded.requested_at, refunds.requested_at),
    completed_at = COALESCE(excluded.completed_at, refunds.completed_at),
    cancelled_at = COALESCE(excluded.cancelled_at, refunds.cancelled_at),
    reason = COALESCE(excluded.reason, refunds.reason),
    state = CASE WHEN excluded.updated_at >= refunds.updated_at THEN excluded.state ELSE refunds.state END,
    updated_at = CASE WHEN excluded.updated_at > refunds.updated_at THEN excluded.updated_at ELSE refunds.updated_at END`,
} as const;

export const COLUMNS = {
  customers: ['id', 'name_enc', 'phone_enc', 'email_enc', 'address_enc', 'province', 'city', 'phone_bidx', 'email_bidx', 'lang', 'canary', 'created_at', 'updated_at'],
  principals: ['id', 'kind', 'name', 'org', 'team', 'updated_at'],
  orders: ['id', 'customer_id', 'items', 'total_minor', 'currency', 'placed_at', 'updated_at'],
  refunds: ['id', 'order_id', 'state', 'reason', 'requested_at', 'completed_at', 'cancelled_at', 'updated_at'],
  access_log: ['source', 'event_id', 'principal_id', 'customer_id', 'order_id', 'fields', 'purpose', 'channel', 'ip', 'export_id', 'at', 'recorded_at', 'key_id'],
  exports: ['id', 'principal_id', 'fields', 'subject_kind', 'record_count', 'at'],
  logins: ['event_id', 'customer_id', 'username_bidx', 'ip', 'device_id', 'user_agent', 'outcome', 'at'],
} as const;
