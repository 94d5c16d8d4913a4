// Messages between the SQLite ingest transaction (main thread) and the ingest worker.
import type { NormalizerSnapshot } from '../events.normalize.ts';
import type { NormalizedChunk } from '../events.batch.ts';
import type { ChainCursor } from '../../audit/append.ts';

/** What a batch's first chunk carries so the worker can set the batch up. */
export interface JobStart {
  snapshot: NormalizerSnapshot;
  received: number;
  chainKey: Buffer;
  /** The access log's head when the batch was dispatched (the transaction checks it). */
  head: ChainCursor;
}

export type ToWorker =
  /** With `json`, events are NDJSON lines to parse first. */
  | { kind: 'chunk'; job: number; offset: number; events: readonly unknown[]; json: boolean; start?: JobStart }
  /** The batch is over (written, stolen back or abandoned): drop its state. */
  | { kind: 'done'; job: number };

export interface ChunkResult extends NormalizedChunk {
  /** Hashes of the chunk's access rows, chained as if every one of them were appended from `start`. */
  chain: { start: ChainCursor; hashes: string[] };
}

/** A chunk as the worker sends it: the valid events packed (chunk.codec.ts). */
export interface PackedChunk extends Omit<ChunkResult, 'valid'> {
  packed: unknown[];
}

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'chunk'; job: number; result: PackedChunk }
  /** badJson: the value index of an unparsable NDJSON line. */
  | { kind: 'error'; job: number; message: string; badJson?: number };
