// Storage of normalised events: one interface, one implementation per dialect.
// Both apply a whole batch in one transaction: an event row (the idempotency key) is inserted
// first and the event's effects are applied only when that insert was new, so the same id sent
// twice — concurrently, or after a restart — is stored once.
import type BetterSqlite3 from 'better-sqlite3';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { EventNormalizer, NormalizedEvent } from './events.normalize.ts';
import type { NormalizedChunk } from './events.batch.ts';
import { SHOP_COLUMNS } from '../shop/shop.columns.ts';

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

/**
 * Column order of each stored row kind: the shop's tables (owned by src/shop, written through its
 * ingest writer) and the access rows appended to the audit chain. The ingest worker's wire format.
 */
export const COLUMNS = {
  ...SHOP_COLUMNS,
  access_log: [
    'source',
    'event_id',
    'principal_id',
    'customer_id',
    'order_id',
    'fields',
    'purpose',
    'channel',
    'ip',
    'export_id',
    'at',
    'recorded_at',
    'key_id',
  ],
} as const;
