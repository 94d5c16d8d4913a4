// One batch's normalisation, fed in order (possibly in chunks): each event on its own, repeats of
// an id within the batch dropped. Shared by the in-thread path and the ingest worker so both
// reject, dedupe and index exactly alike.
import { isProblem, type EventNormalizer, type EventProblem, type NormalizedEvent } from './events.normalize.ts';
import type { IngestResultT } from './events.schemas.ts';

export type Rejection = IngestResultT['rejected'][number];

export interface NormalizedChunk {
  valid: NormalizedEvent[];
  rejected: Rejection[];
  repeats: number;
}

export class BatchNormalizer {
  private readonly seen = new Set<string>();
  constructor(
    private readonly normalizer: EventNormalizer,
    private readonly received: number,
  ) {}

  /** Normalises raw[0..] whose first element is event `offset` of the batch. */
  take(raw: readonly unknown[], offset = 0): NormalizedChunk {
    const valid: NormalizedEvent[] = [];
    const rejected: Rejection[] = [];
    let repeats = 0;
    for (let i = 0; i < raw.length; i++) {
      const r = this.normalizer.normalize(raw[i], this.received);
      if (isProblem(r)) {
        const id = (raw[i] as { id?: unknown } | null)?.id;
        rejected.push({ index: offset + i, ...(typeof id === 'string' && id.length <= 128 ? { id } : {}), problem: r as EventProblem });
        continue;
      }
      if (this.seen.has(r.id)) {
        repeats++;
        continue;
      }
      this.seen.add(r.id);
      valid.push(r);
    }
    return { valid, rejected, repeats };
  }
}
