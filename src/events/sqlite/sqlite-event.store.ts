// SQLite event store: prepared statements on the better-sqlite3 handle, one transaction per
// batch. The Kysely connection is held for the duration so no Kysely transaction can interleave
// with ours on the single connection (every other user of the raw handle goes through it too).
//
// Two ways in, same rows: apply() takes events normalised in this thread and writes them in one
// synchronous transaction; ingest() (large batches) opens the transaction, then writes the chunks
// the ingest worker normalises, encrypts and pre-chains, so that CPU work overlaps the writes.
import { availableParallelism } from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../../db/database.ts';
import type { EventNormalizer, NormalizedEvent } from '../events.normalize.ts';
import type { EventStore, IngestHook, StoreOutcome } from '../events.store.ts';
import { sqliteShopWriter, type SqliteShopWriter } from '../../shop/shop.ingest.ts';
import { SqliteChainAppender, chainKeyIfSet, type ChainCursor, type PrechainedHashes } from '../../audit/append.ts';
import type { AccessRow } from '../events.normalize.ts';
import { BatchNormalizer, type Rejection } from '../events.batch.ts';
import { ingestWorker } from '../pipeline/ingest-worker.ts';
import { parseJsonLines } from '../ndjson.ts';

/** Events per worker chunk: small enough that the first one is ready almost at once. */
const CHUNK = 500;
/** Below this, a batch is normalised in this thread (the hand-off would cost more than it saves). */
export const PIPELINE_MIN = 2_000;

/** With one core the hand-off is pure overhead. */
const PARALLEL = availableParallelism() > 1;

export class SqliteEventStore implements EventStore {
  private readonly raw: BetterSqlite3.Database;
  private readonly hooks: IngestHook[] = [];
  private readonly event: BetterSqlite3.Statement;
  /** The shop's rows go through the shop's writer (src/shop owns those tables). */
  private readonly shop: SqliteShopWriter;
  private readonly tx: (events: readonly NormalizedEvent[]) => Set<string>;
  /** Access rows go to the tamper-evident chain (src/audit), in event order. */
  private readonly chain: SqliteChainAppender;

  constructor(
    private readonly database: Database,
    private readonly pipelineMin = PIPELINE_MIN,
  ) {
    this.raw = database.sqlite!;
    this.event = this.raw.prepare('INSERT INTO events (id, type, at, received_at, subject) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING');
    this.shop = sqliteShopWriter(this.raw);
    this.chain = new SqliteChainAppender(this.raw);
    this.tx = this.raw.transaction((events: readonly NormalizedEvent[]) => {
      const cursor = this.chain.open();
      const fresh: NormalizedEvent[] = [];
      this.write(events, Date.now(), cursor, fresh);
      this.finish(cursor, fresh);
      return new Set(fresh.map((e) => e.id));
    });
  }

  addHook(hook: IngestHook) {
    this.hooks.push(hook);
  }

  /** Writes events whose id is new (appending them to `fresh`) and their access rows to the chain. */
  private write(events: readonly NormalizedEvent[], received: number, cursor: ChainCursor, fresh: NormalizedEvent[], pre?: PrechainedHashes) {
    const s = this.shop;
    const access: AccessRow[] = [];
    for (const e of events) {
      if (this.event.run(e.id, e.type, e.at, received, e.subject).changes === 0) continue;
      fresh.push(e);
      const st = e.stored;
      switch (st.kind) {
        case 'customer':
          s.write('customers', st.row);
          break;
        case 'principal':
          s.write('principals', st.row);
          break;
        case 'order':
          s.write('orders', st.row);
          break;
        case 'refund':
          s.write('refunds', st.row);
          break;
        case 'access':
          if (st.exportRow) s.write('exports', st.exportRow);
          for (const r of st.rows) access.push(r);
          break;
        case 'login':
          s.write('logins', st.row);
          break;
      }
    }
    this.chain.write(cursor, access, pre);
  }

  private finish(cursor: ChainCursor, fresh: readonly NormalizedEvent[]) {
    this.chain.close(cursor);
    for (const h of this.hooks) h.sqlite(this.raw, fresh);
  }

  async apply(events: readonly NormalizedEvent[]): Promise<Set<string>> {
    return this.database.db.connection().execute(async () => this.tx(events));
  }

  async ingest(raw: readonly unknown[], normalizer: EventNormalizer, json = false): Promise<StoreOutcome | null> {
    if (raw.length < this.pipelineMin || !PARALLEL || !ingestWorker.available()) return null;
    return this.database.db.connection().execute(async () => {
      const db = this.raw;
      const key = chainKeyIfSet(db);
      const snap = normalizer.snapshot();
      const snapshot = { ...snap, active: { id: snap.active.id, key: ownCopy(snap.active.key) }, index: ownCopy(snap.index) };
      // one shard for the whole batch: the worker pre-chains from its head
      const shard = this.chain.pickShard();
      const start = { snapshot, received: Date.now(), chainKey: key ? ownCopy(key) : Buffer.alloc(32), head: this.chain.open(shard) };
      db.exec('BEGIN IMMEDIATE');
      try {
        const cursor = this.chain.open(shard);
        const received = Date.now();
        const valid: NormalizedEvent[] = [];
        const fresh: NormalizedEvent[] = [];
        const rejected: Rejection[] = [];
        let repeats = 0;
        // Chunks normalised here come back to front, so each gets its own BatchNormalizer: a repeat
        // across chunks is then dropped by the events table (first written wins, as in batch order).
        const local = (events: readonly unknown[], offset: number) => ({
          ...new BatchNormalizer(normalizer, start.received).take(json ? parseJsonLines(events as string[], offset) : events, offset),
          chain: { start: cursor, hashes: [] },
        });
        for await (const c of ingestWorker.run(raw, start, CHUNK, local, json)) {
          for (const e of c.valid) valid.push(e);
          for (const r of c.rejected) rejected.push(r);
          repeats += c.repeats;
          // Pre-chained hashes are only trusted under the real key.
          this.write(c.valid, received, cursor, fresh, key ? c.chain : undefined);
        }
        this.finish(cursor, fresh);
        db.exec('COMMIT');
        return { valid, stored: new Set(fresh.map((e) => e.id)), rejected, repeats };
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
    });
  }
}

/**
 * A key in memory of its own. Small Buffers share Node's 8 KB pool, and copying one to a thread
 * copies its whole pool block, with whatever other secrets sit beside it.
 */
function ownCopy(b: Uint8Array): Buffer {
  return Buffer.from(new Uint8Array(b).buffer);
}
