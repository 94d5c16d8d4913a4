// The counters behind login decisions, as one interface with two backends: memory (one node)
// and Redis (several nodes). Every call is a batch applied atomically at one instant of the
// store's own clock, so a decision reads and writes all its counters in one round trip.
//
// Three primitives cover every signal:
//  - count:    a sliding-window counter (sum of sub-buckets of windowMs / SUB_BUCKETS), with `add`
//              (0 to only read) — failures per account, IP, prefix, device; attempts; surges.
//  - distinct: distinct members seen in a sliding window (HyperLogLog in Redis, exact sets in
//              memory) — distinct usernames per IP, prefix and device.
//  - member:   a long-lived set with a TTL refreshed on add — known devices and networks of an
//              account. `add` inserts; the result is 1 when the member was present before.
//  - reset:    deletes a counter (consecutive failures end with a success).
export const SUB_BUCKETS = 10;

export type CounterOp =
  | { kind: 'count'; key: string; windowMs: number; add: number }
  | { kind: 'distinct'; key: string; windowMs: number; member?: string }
  | { kind: 'member'; key: string; member: string; add: boolean; ttlMs: number }
  | { kind: 'reset'; key: string };

export interface CounterStore {
  readonly backend: 'memory' | 'redis';
  /** Applies the ops in order, atomically; returns one number per op (reset returns 0). */
  apply(ops: readonly CounterOp[]): Promise<number[]>;
  /** Resolves when the backend answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The sub-bucket width of a window; windows are whole multiples of SUB_BUCKETS ms. */
export function bucketMs(windowMs: number): number {
  return Math.max(1, Math.ceil(windowMs / SUB_BUCKETS));
}
