// Where every connector's events go: the events service, the same path as POST /v1/events
// (validation per event, idempotency by event id, one transaction per batch). In-process rather
// than over HTTP: the connector runs as a `fanzha` command on the service's own database, so it
// needs no API key and no second copy of the events in flight, and is measured in bench/connectors.ts.
import type { EventsService, IngestOutcome } from '../events/events.service.ts';

export interface SinkTotals {
  accepted: number;
  duplicates: number;
  rejected: number;
}

export class EventSink {
  readonly totals: SinkTotals = { accepted: 0, duplicates: 0, rejected: 0 };
  constructor(private readonly events: EventsService) {}

  async write(batch: readonly unknown[]): Promise<IngestOutcome> {
    const r = await this.events.ingest(batch);
    this.totals.accepted += r.accepted;
    this.totals.duplicates += r.duplicates;
    this.totals.rejected += r.rejected.length;
    return r;
  }
}

/** A rejected event's problem in one line, without values (they may be personal data). */
export function problemLine(p: { title: string; detail?: string; errors?: { path: string; message: string }[] }): string {
  const paths = p.errors?.map((e) => `${e.path} ${e.message}`).join('; ');
  return paths ? `${p.title}: ${paths}` : `${p.title}${p.detail ? `: ${p.detail}` : ''}`;
}
