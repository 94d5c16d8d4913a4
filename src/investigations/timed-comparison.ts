// The timing comparison of attribution (docs/areas/leaks.md, method item 4c): who read each
// victim's unit in the hazard window just before the call, against
//  (a) units at the same point of their life at the same moment — same stratum, same kind of last
//      event (placed, refund requested) at the same lag before the victim's contact — so what the
//      event itself explains (the seller ships, after-sales answers the refund, the nightly jobs
//      pick up new orders) is the same for the victim and its matches; and
//  (b) every unit of the victim's stratum in the same window — so a trait of the victims that a
//      principal's reads follow (its customers, its region) raises its coverage at most as much as
//      the reporting bias guarded against, since a random call time rarely falls just after its read.
// A principal is significant by timing only if both reject (an intersection–union test: its
// p-value is the larger of the two, no split of α). (a) alone is fooled by a bias on who reports
// among customers called at the same point of their life; (b) alone by calls that follow the
// customers' own events with the leak outside the shop (a payment processor's refund data), which
// makes every reader of fresh events look guilty.
import type { AccessIndex } from './access-index.ts';
import { CUSTOMER_FIELDS } from '../lib/fields.ts';
import { firstEventAtOrAfter, isLastOrderEventBefore, lagBucket, lastCustomerEvent, lastOrderEvent } from './life-events.ts';
import type { Population } from './population.ts';
import { mulberry32 } from '../lib/seeded-random.ts';
import { grown } from '../lib/typed-arrays.ts';

export interface TimedVictim {
  customer: number;
  order?: number;
  contactAt: number;
  knewMask: number;
}

export interface MatchedWindows {
  /** Per victim: units in its matched set, itself included (0: its last event is unknown, no evidence). */
  size: Int32Array;
  /** Per victim: suspect key → units of its matched set that suspect read in their hazard window. */
  counts: Map<number, number>[];
  /** Per victim: suspect keys that read the victim's own unit in its hazard window with the known fields. */
  hazard: Set<number>[];
}

/** Units sampled at most per matched set: a random subset of the matches keeps the victim exchangeable with them. */
export const MAX_MATCHED = 250;

/**
 * For each victim, its matched set (units of its stratum whose last event before the contact is
 * of the same kind and in the same lag bucket) and which suspects (principals, and groups as
 * `principals + index`) read how many of them in [contact − H, contact), having read the fields
 * the caller knew within [contact − W, contact).
 */
export function matchedWindows(
  index: AccessIndex,
  pop: Population,
  victims: readonly TimedVictim[],
  orderLevel: readonly boolean[],
  H: number,
  W: number,
  groupsOf: ReadonlyMap<number, readonly number[]>,
  seed: number,
): MatchedWindows {
  const n = victims.length;
  const out: MatchedWindows = { size: new Int32Array(n), counts: victims.map(() => new Map()), hazard: victims.map(() => new Set()) };
  const ev = pop.events;
  if (!ev) return out;
  const rand = mulberry32(seed);
  const scratch = new ReaderScratch(index.principals.size);
  victims.forEach((v, vi) => {
    const level = orderLevel[vi]!;
    const unit = level ? v.order! : v.customer;
    const t = v.contactAt;
    const lastOf = (u: number) => (level ? lastOrderEvent(ev, u, t) : lastCustomerEvent(ev, u, t));
    const stratumOf = (u: number) => (level ? (pop.orderStratum?.[u] ?? 0) : (pop.stratum[u] ?? 0));
    const last = lastOf(unit);
    const s = stratumOf(unit);
    if (!last || !s) return;
    const { lo, hi } = lagBucket(t - last.at);
    // the units whose last event before t is one of this kind in the bucket (an order has at most
    // one such event; a customer may have several, so customers are deduplicated)
    const seen = level ? null : new Set<number>([unit]);
    let units = [unit];
    const { at: times, order: orders } = ev.byKind[last.kind]!;
    for (let j = firstEventAtOrAfter(times, t - hi); j < times.length && times[j]! <= t - lo; j++) {
      const at = times[j]!;
      if (at <= t - hi) continue;
      const o = orders[j]!;
      if (level) {
        if (o === unit || stratumOf(o) !== s || !isLastOrderEventBefore(ev, o, at, last.kind, t)) continue;
        units.push(o);
      } else {
        const u = pop.orderCustomer?.[o] ?? -1;
        if (u < 0 || seen!.has(u) || stratumOf(u) !== s) continue;
        const e = lastOf(u);
        if (e && e.at === at && e.kind === last.kind) {
          seen!.add(u);
          units.push(u);
        }
      }
    }
    if (units.length > MAX_MATCHED) {
      // the victim and a random subset of its matches (partial Fisher–Yates over the others)
      const others = units.slice(1);
      for (let k = 0; k < MAX_MATCHED - 1; k++) {
        const j = k + Math.floor(rand() * (others.length - k));
        [others[k], others[j]] = [others[j]!, others[k]!];
      }
      units = [unit, ...others.slice(0, MAX_MATCHED - 1)];
    }
    out.size[vi] = units.length;
    const counts = out.counts[vi]!;
    const own = out.hazard[vi]!;
    for (const u of units) {
      const n = readersInWindow(index, pop, level, u, t - W, t - H, t, v.knewMask, groupsOf, scratch);
      for (let i = 0; i < n; i++) {
        const k = scratch.keys[i]!;
        counts.set(k, (counts.get(k) ?? 0) + 1);
        if (u === unit) own.add(k);
      }
    }
  });
  return out;
}

/**
 * Per-principal accumulators for one unit at a time, reused across units: a unit touches a few
 * principals, and a fresh Map per unit (thousands per investigation) cost more than the scan.
 */
class ReaderScratch {
  private stamp: Int32Array;
  cust: Int32Array;
  ord: Int32Array;
  recent: Uint8Array;
  touched: number[] = [];
  /** The keys found for the current unit (readersInWindow's answer). */
  keys: number[] = [];
  private gen = 0;
  constructor(n: number) {
    this.stamp = new Int32Array(n);
    this.cust = new Int32Array(n);
    this.ord = new Int32Array(n);
    this.recent = new Uint8Array(n);
  }
  /** Starts a unit: every principal's accumulators read as empty. */
  reset() {
    this.gen++;
    this.touched.length = 0;
    this.keys.length = 0;
  }
  /** Principal p's slot for this unit (cleared on first touch). */
  touch(p: number) {
    if (p >= this.stamp.length) this.grow(p + 1);
    if (this.stamp[p] !== this.gen) {
      this.stamp[p] = this.gen;
      this.cust[p] = 0;
      this.ord[p] = 0;
      this.recent[p] = 0;
      this.touched.push(p);
    }
  }
  /** One read of the unit's customer by p: `recent` (in the hazard window), `ofUnit` (of the unit's order). */
  add(p: number, fields: number, recent: boolean, ofUnit: boolean, orderLevel: boolean) {
    this.touch(p);
    this.cust[p]! |= fields;
    if (orderLevel && ofUnit) this.ord[p]! |= fields;
    if (recent && (!orderLevel || ofUnit)) this.recent[p] = 1;
  }
  private grow(n: number) {
    this.stamp = grown(this.stamp, n);
    this.cust = grown(this.cust, n);
    this.ord = grown(this.ord, n);
    this.recent = grown(this.recent, n);
  }
}

/**
 * The suspect keys (principals, and their groups) that read a unit in the hazard window
 * [hazardFrom, to) and, over the whole window [from, to), read at least the `need` fields of it:
 * the caller may have learnt the phone number from an earlier read, the timing evidence is the
 * recent one. They are left in `s.keys` (a group once, however many of its members qualify); the
 * count is returned.
 */
function readersInWindow(
  index: AccessIndex,
  pop: Population,
  orderLevel: boolean,
  unit: number,
  from: number,
  hazardFrom: number,
  to: number,
  need: number,
  groupsOf: ReadonlyMap<number, readonly number[]>,
  s: ReaderScratch,
): number {
  s.reset();
  const customer = orderLevel ? (pop.orderCustomer?.[unit] ?? -1) : unit;
  if (customer < 0) return 0;
  // the folded rows are scanned here, not through a callback per read (this runs for every matched unit)
  if (customer < index.byCustomerStart.length - 1) {
    const end = index.byCustomerStart[customer + 1]!;
    for (let k = index.firstRowOf(customer, from); k < end; k++) {
      const at = index.atOf(k);
      if (at >= to) break;
      s.add(index.principal[k]!, index.fields[k]!, at >= hazardFrom, index.order[k]! === unit, orderLevel);
    }
  }
  if (index.tailSize) index.forCustomerTail(customer, from, to, (_row, p, fields, at, order) => s.add(p, fields, at >= hazardFrom, order === unit, orderLevel));
  const keys = s.keys;
  for (const p of s.touched) {
    if (!s.recent[p]) continue;
    const mask = orderLevel ? s.ord[p]! | (s.cust[p]! & CUSTOMER_FIELDS) : s.cust[p]!;
    if ((mask & need) !== need) continue;
    keys.push(p);
    const gs = groupsOf.get(p);
    if (gs) for (const g of gs) if (!keys.includes(g)) keys.push(g);
  }
  return keys.length;
}

/**
 * The share of the units of stratum `stratum` (1-based, customer or order strata by `orderLevel`)
 * that one of `members` read in the hazard window [hazardFrom, to) having read at least `need` of
 * them within [from, to): the same rule as a victim's hazard-window read, over its whole stratum.
 */
export function stratumHazardShare(
  index: AccessIndex,
  pop: Population,
  members: readonly number[],
  orderLevel: boolean,
  stratum: number,
  from: number,
  hazardFrom: number,
  to: number,
  need: number,
): number {
  const size = (orderLevel ? pop.orderMembers?.[stratum - 1] : pop.members?.[stratum - 1])?.length ?? 0;
  if (!size) return 1;
  const hit = new Set<number>();
  for (const p of members) {
    const cust = new Map<number, number>();
    const ord = new Map<number, number>();
    const recent = new Set<number>();
    index.forPrincipal(p, from, to, (c, fields, at, o) => {
      cust.set(c, (cust.get(c) ?? 0) | fields);
      if (orderLevel && o >= 0) ord.set(o, (ord.get(o) ?? 0) | fields);
      if (at >= hazardFrom && (!orderLevel || o >= 0)) recent.add(orderLevel ? o : c);
    });
    for (const u of recent) {
      if ((orderLevel ? pop.orderStratum?.[u] : pop.stratum[u]) !== stratum) continue;
      const c = orderLevel ? (pop.orderCustomer?.[u] ?? -1) : u;
      const mask = orderLevel ? (ord.get(u) ?? 0) | ((cust.get(c) ?? 0) & CUSTOMER_FIELDS) : (cust.get(u) ?? 0);
      if ((mask & need) === need) hit.add(u);
    }
  }
  return Math.min(1, hit.size / size);
}
