// Ingestion of shop events: validate each event on its own, drop repeats within the batch,
// store the rest in one transaction, and count what happened.
import type { EventNormalizer, IngestActor } from './events.normalize.ts';
import { BatchNormalizer, type NormalizedChunk } from './events.batch.ts';
import type { EventStore, IngestHook, StoreOutcome } from './events.store.ts';
import type { Metrics } from '../http/metrics.ts';
import type { IngestResultT } from './events.schemas.ts';
import { BadJsonLine, NdjsonError, NdjsonLines } from './ndjson.ts';

export type IngestOutcome = IngestResultT;

export class EventsService {
  constructor(
    private readonly normalizer: EventNormalizer,
    private readonly store: EventStore,
    private readonly metrics?: Metrics,
  ) {}

  addHook(hook: IngestHook) {
    this.store.addHook(hook);
  }

  /** Normalises a batch without storing it (used by import to report progress per chunk). */
  normalizeBatch(raw: readonly unknown[], actor?: IngestActor): NormalizedChunk {
    return new BatchNormalizer(this.normalizer.forActor(actor), Date.now()).take(raw);
  }

  /**
   * Stores a batch; NDJSON lines (NdjsonLines) are parsed here, and a bad one fails the whole batch
   * with NdjsonError. `actor` is the API key sending it: recorded on its access entries, and a key
   * bound to a principal may report only that principal's reads and exports.
   */
  async ingest(raw: readonly unknown[], actor?: IngestActor): Promise<IngestOutcome> {
    const { valid, stored, rejected, repeats } =
      (await this.pipelined(raw, actor)) ?? (await this.inThread(raw instanceof NdjsonLines ? raw.parse() : raw, actor));
    const outcome = { accepted: stored.size, duplicates: valid.length - stored.size + repeats, rejected };
    if (this.metrics) {
      const counts = new Map<string, number>();
      // an id can be in `valid` twice (chunks normalised apart); only its first copy was stored
      const counted = new Set<string>();
      for (const e of valid) {
        const accepted = stored.has(e.id) && !counted.has(e.id);
        if (accepted) counted.add(e.id);
        const k = `${e.type}\0${accepted ? 'accepted' : 'duplicate'}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      for (const [k, n] of counts) {
        const [type, result] = k.split('\0') as [string, string];
        this.metrics.eventsIngested.inc({ type, result }, n);
      }
      if (rejected.length) this.metrics.eventsIngested.inc({ type: 'any', result: 'rejected' }, rejected.length);
    }
    return outcome;
  }

  private async pipelined(raw: readonly unknown[], actor?: IngestActor): Promise<StoreOutcome | null> {
    if (!this.store.ingest) return null;
    const json = raw instanceof NdjsonLines;
    try {
      return await this.store.ingest(raw, this.normalizer.forActor(actor), json);
    } catch (e) {
      throw json && e instanceof BadJsonLine ? new NdjsonError(raw.lineOf(e.index)) : e;
    }
  }

  private async inThread(raw: readonly unknown[], actor?: IngestActor): Promise<StoreOutcome> {
    const batch = this.normalizeBatch(raw, actor);
    return { ...batch, stored: batch.valid.length ? await this.store.apply(batch.valid) : new Set<string>() };
  }
}
