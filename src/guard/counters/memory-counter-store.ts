// In-process counters for a single node (and for simulations, with a virtual clock).
// Expired buckets and members are swept lazily on access and by a periodic sweep so memory
// stays bounded by the traffic of the longest window.
import { SUB_BUCKETS, bucketMs, type CounterOp, type CounterStore } from './counter-store.ts';

interface Windowed {
  /** bucket index → count or member set */
  buckets: Map<number, number | Set<string>>;
  expiresAt: number;
  /** Smallest bucket index present: pruning is skipped while it is still inside the window. */
  oldest: number;
}

export class MemoryCounterStore implements CounterStore {
  readonly backend = 'memory' as const;
  private readonly windows = new Map<string, Windowed>();
  private readonly sets = new Map<string, { members: Map<string, number> }>();
  private lastSweep = 0;
  private appliesSinceSweep = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  async apply(ops: CounterOp[]): Promise<number[]> {
    return this.applySync(ops);
  }

  /** Synchronous form, for simulations and benchmarks that replay millions of decisions. */
  applySync(ops: CounterOp[]): number[] {
    const now = this.clock();
    // Sweep at most once a minute and only after enough work that its cost is amortised.
    if (++this.appliesSinceSweep > 1000 + this.windows.size / 4 && now - this.lastSweep > 60_000) this.sweep(now);
    const out: number[] = [];
    for (const op of ops) {
      switch (op.kind) {
        case 'count':
          out.push(this.count(op.key, op.windowMs, op.add, now));
          break;
        case 'distinct':
          out.push(this.distinct(op.key, op.windowMs, op.member, now));
          break;
        case 'member':
          out.push(this.member(op.key, op.member, op.add, op.ttlMs, now));
          break;
        case 'reset':
          this.windows.delete(op.key);
          this.sets.delete(op.key);
          out.push(0);
          break;
      }
    }
    return out;
  }

  private window(key: string, windowMs: number, now: number, create: boolean): { w: Windowed | undefined; cur: number } {
    const b = bucketMs(windowMs);
    const cur = Math.floor(now / b);
    let w = this.windows.get(key);
    if (w && w.expiresAt <= now) {
      this.windows.delete(key);
      w = undefined;
    }
    if (!w && create) {
      w = { buckets: new Map(), expiresAt: 0, oldest: cur };
      this.windows.set(key, w);
    }
    if (w) {
      if (w.oldest <= cur - SUB_BUCKETS) {
        let oldest = cur;
        for (const idx of w.buckets.keys()) {
          if (idx <= cur - SUB_BUCKETS) w.buckets.delete(idx);
          else if (idx < oldest) oldest = idx;
        }
        w.oldest = oldest;
      }
      if (create) w.expiresAt = (cur + SUB_BUCKETS + 1) * b;
    }
    return { w, cur };
  }

  private count(key: string, windowMs: number, add: number, now: number): number {
    const { w, cur } = this.window(key, windowMs, now, add !== 0);
    if (!w) return 0;
    if (add) w.buckets.set(cur, ((w.buckets.get(cur) as number | undefined) ?? 0) + add);
    let sum = 0;
    for (const v of w.buckets.values()) sum += v as number;
    return sum;
  }

  private distinct(key: string, windowMs: number, member: string | undefined, now: number): number {
    const { w, cur } = this.window(key, windowMs, now, member !== undefined);
    if (!w) return 0;
    if (member !== undefined) {
      let s = w.buckets.get(cur) as Set<string> | undefined;
      if (!s) w.buckets.set(cur, (s = new Set()));
      s.add(member);
    }
    if (w.buckets.size === 1) return (w.buckets.values().next().value as Set<string>).size;
    const union = new Set<string>();
    for (const s of w.buckets.values()) for (const m of s as Set<string>) union.add(m);
    return union.size;
  }

  private member(key: string, member: string, add: boolean, ttlMs: number, now: number): number {
    let s = this.sets.get(key);
    const expiry = s?.members.get(member);
    const present = expiry !== undefined && expiry > now ? 1 : 0;
    if (add) {
      if (!s) this.sets.set(key, (s = { members: new Map() }));
      s.members.set(member, now + ttlMs);
    }
    return present;
  }

  private sweep(now: number) {
    this.lastSweep = now;
    this.appliesSinceSweep = 0;
    for (const [k, w] of this.windows) if (w.expiresAt <= now) this.windows.delete(k);
    for (const [k, s] of this.sets) {
      for (const [m, exp] of s.members) if (exp <= now) s.members.delete(m);
      if (s.members.size === 0) this.sets.delete(k);
    }
  }

  /** Number of live keys (for tests of memory bounds). */
  size(): number {
    return this.windows.size + this.sets.size;
  }

  async ping() {}
  async close() {
    this.windows.clear();
    this.sets.clear();
  }
}
