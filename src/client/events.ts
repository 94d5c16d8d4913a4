// Event ingestion for a shop's code, a connector or the staff-tool middleware: a Batcher wired to
// POST /v1/events. Every event gets its id when queued (a random one if the caller gave none), so
// a batch retried after a timeout is stored once (fanzha keeps each event id once). Events fanzha
// rejects (invalid) are not retried: onRejected gets them with the problem.
import { randomUUID } from 'node:crypto';
import { Batcher, type BatcherOptions } from './batcher.ts';
import type { Transport } from './http.ts';
import type { EventInput, FanzhaEvent, IngestResultT } from './types.ts';

export type Rejected = IngestResultT['rejected'][number] & { event: FanzhaEvent };

export interface EventQueueOptions extends Omit<BatcherOptions<FanzhaEvent>, 'send'> {
  onRejected?: (rejected: Rejected[]) => void;
  onIngested?: (result: IngestResultT) => void;
}

/** POST one batch (ids already set); retried by the transport on 429/503/network failures. */
export function sendEvents(transport: Transport, events: FanzhaEvent[], signal?: AbortSignal): Promise<IngestResultT> {
  return transport.call<IngestResultT>('/v1/events', { method: 'POST', body: events, idempotent: true, signal });
}

export function withId(e: EventInput): FanzhaEvent {
  return (e.id ? e : { ...e, id: randomUUID() }) as FanzhaEvent;
}

export class EventQueue {
  readonly batcher: Batcher<FanzhaEvent>;
  constructor(transport: Transport, opts: EventQueueOptions = {}) {
    this.batcher = new Batcher<FanzhaEvent>({
      ...opts,
      send: async (batch) => {
        const r = await sendEvents(transport, batch);
        opts.onIngested?.(r);
        if (r.rejected.length) opts.onRejected?.(r.rejected.map((x) => ({ ...x, event: batch[x.index]! })));
      },
    });
  }

  /** Queue events; returns their ids (kept across retries). */
  async add(...events: EventInput[]): Promise<string[]> {
    const withIds = events.map(withId);
    await this.batcher.add(...withIds);
    return withIds.map((e) => e.id);
  }

  flush() {
    return this.batcher.flush();
  }
  close() {
    return this.batcher.close();
  }
  get stats() {
    return this.batcher.stats;
  }
}
