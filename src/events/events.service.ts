// Ingestion of shop events: validate each event on its own, drop repeats within the batch,
// store the rest in one transaction, and count what happened.
import { EventNormalizer, isProblem, type NormalizedEvent, type EventProblem } from './events.normalize.ts';
import type { EventStore, IngestHook } from './events.store.ts';
import type { Metrics } from '../http/metrics.ts';
import type { IngestResultT } from './events.schemas.ts';

export interface IngestOutcome extends IngestResultT {}

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
  normalizeBatch(raw: readonly unknown[]): { valid: NormalizedEvent[]; rejected: IngestOutcome['rejected']; repeats: number } {
    const received = Date.now();
    const valid: NormalizedEvent[] = [];
    const rejected: IngestOutcome['rejected'] = [];
    const seen = new Set<string>();
    let repeats = 0;
    for (let i = 0; i < raw.length; i++) {
      const r = this.normalizer.normalize(raw[i], received);
      if (isProblem(r)) {
        const id = (raw[i] as { id?: unknown } | null)?.id;
        rejected.push({ index: i, ...(typeof id === 'string' && id.length <= 128 ? { id } : {}), problem: r as EventProblem });
        continue;
      }
      if (seen.has(r.id)) {
        repeats++;
        continue;
      }
      seen.add(r.id);
      valid.push(r);
    }
    return { valid, rejected, repeats };
  }

  async ingest(raw: readonly unknown[]): Promise<IngestOutcome> {
    const { valid, rejected, repeats } = this.normalizeBatch(raw);
    const stored = valid.length ? await this.store.apply(valid) : new Set<string>();
    const outcome = { accepted: stored.size, duplicates: valid.length - stored.size + repeats, rejected };
    if (this.metrics) {
      for (const e of valid) this.metrics.eventsIngested.inc({ type: e.type, result: stored.has(e.id) ? 'accepted' : 'duplicate' });
      if (rejected.length) this.metrics.eventsIngested.inc({ type: 'any', result: 'rejected' }, rejected.length);
    }
    return outcome;
  }
}
