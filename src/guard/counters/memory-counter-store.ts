// In-process counters for a single node (and for simulations, with a virtual clock).
// Built for the decision path's rate: a sliding-window count is a ring of SUB_BUCKETS slots in
// one small array of numbers (no Map of buckets, nothing allocated per update; plain arrays, as
// small typed arrays cost more to create than they save for keys that live one attack); a distinct count is
// one Map from member to the last sub-bucket it was seen in (exact; pruned only when its oldest
// entry leaves the window). Expired keys are swept lazily and by a periodic sweep, so memory
// stays bounded by the traffic of the longest window.
import { SUB_BUCKETS, bucketMs, type CounterOp, type CounterStore } from './counter-store.ts';

interface Ring {
  /** Per slot (slot = sub-bucket index % SUB_BUCKETS): [2·slot] the sub-bucket index it holds, [2·slot+1] its count. */
  s: number[];
  expiresAt: number;
}

const emptyRing = () => {
  const s = new Array<number>(2 * SUB_BUCKETS);
  for (let i = 0; i < 2 * SUB_BUCKETS; i += 2) {
    s[i] = -Infinity;
    s[i + 1] = 0;
  }
  return s;
};

interface Distinct {
  /** member → last sub-bucket index it was seen in */
  members: Map<string, number>;
  /** Smallest index in `members` (a lower bound): pruning is skipped while it is inside the window. */
  oldest: number;
  expiresAt: number;
}

export class MemoryCounterStore implements CounterStore {
  readonly backend = 'memory' as const;
  private readonly rings = new Map<string, Ring>();
  private readonly distincts = new Map<string, Distinct>();
  private readonly sets = new Map<string, Map<string, number>>();
  private lastSweep = 0;
  private appliesSinceSweep = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  async apply(ops: readonly CounterOp[]): Promise<number[]> {
    return this.applySync(ops);
  }

  /** Synchronous form, for simulations and benchmarks that replay millions of decisions. */
  applySync(ops: readonly CounterOp[]): number[] {
    const now = this.clock();
    // Sweep at most once a minute and only after enough work that its cost is amortised.
    if (++this.appliesSinceSweep > 1000 + (this.rings.size + this.distincts.size) / 4 && now - this.lastSweep > 60_000) this.sweep(now);
    const out = new Array<number>(ops.length);
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      switch (op.kind) {
        case 'count':
          out[i] = this.count(op.key, op.windowMs, op.add, now);
          break;
        case 'distinct':
          out[i] = this.distinct(op.key, op.windowMs, op.member, now);
          break;
        case 'member':
          out[i] = this.member(op.key, op.member, op.add, op.ttlMs, now);
          break;
        case 'reset':
          this.rings.delete(op.key);
          this.distincts.delete(op.key);
          this.sets.delete(op.key);
          out[i] = 0;
          break;
      }
    }
    return out;
  }

  private count(key: string, windowMs: number, add: number, now: number): number {
    const b = bucketMs(windowMs);
    const cur = Math.floor(now / b);
    let r = this.rings.get(key);
    if (r === undefined) {
      if (add === 0) return 0;
      r = { s: emptyRing(), expiresAt: 0 };
      this.rings.set(key, r);
    }
    const ring = r.s;
    if (add !== 0) {
      const slot = 2 * (((cur % SUB_BUCKETS) + SUB_BUCKETS) % SUB_BUCKETS); // also before 1970 (simulations)
      if (ring[slot] !== cur) {
        ring[slot] = cur;
        ring[slot + 1] = 0;
      }
      ring[slot + 1]! += add;
      r.expiresAt = (cur + SUB_BUCKETS + 1) * b;
    }
    const from = cur - SUB_BUCKETS;
    let sum = 0;
    for (let i = 0; i < 2 * SUB_BUCKETS; i += 2) if (ring[i]! > from) sum += ring[i + 1]!;
    return sum;
  }

  private distinct(key: string, windowMs: number, member: string | undefined, now: number): number {
    const b = bucketMs(windowMs);
    const cur = Math.floor(now / b);
    let d = this.distincts.get(key);
    if (d === undefined) {
      if (member === undefined) return 0;
      d = { members: new Map(), oldest: cur, expiresAt: 0 };
      this.distincts.set(key, d);
    }
    const from = cur - SUB_BUCKETS;
    if (d.oldest <= from) {
      let oldest = cur;
      for (const [m, idx] of d.members) {
        if (idx <= from) d.members.delete(m);
        else if (idx < oldest) oldest = idx;
      }
      d.oldest = oldest;
    }
    if (member !== undefined) {
      d.members.set(member, cur);
      d.expiresAt = (cur + SUB_BUCKETS + 1) * b;
    }
    return d.members.size;
  }

  private member(key: string, member: string, add: boolean, ttlMs: number, now: number): number {
    let s = this.sets.get(key);
    const expiry = s?.get(member);
    const present = expiry !== undefined && expiry > now ? 1 : 0;
    if (add) {
      if (!s) this.sets.set(key, (s = new Map()));
      s.set(member, now + ttlMs);
    }
    return present;
  }

  private sweep(now: number) {
    this.lastSweep = now;
    this.appliesSinceSweep = 0;
    for (const [k, r] of this.rings) if (r.expiresAt <= now) this.rings.delete(k);
    for (const [k, d] of this.distincts) if (d.expiresAt <= now) this.distincts.delete(k);
    for (const [k, s] of this.sets) {
      for (const [m, exp] of s) if (exp <= now) s.delete(m);
      if (s.size === 0) this.sets.delete(k);
    }
  }

  /** Number of live keys (for tests of memory bounds). */
  size(): number {
    return this.rings.size + this.distincts.size + this.sets.size;
  }

  async ping() {}
  async close() {
    this.rings.clear();
    this.distincts.clear();
    this.sets.clear();
  }
}
