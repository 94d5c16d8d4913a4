// Base rates of suspects: the share of each population stratum a suspect (one principal, or a
// group of them) read in a span with at least the fields every victim's caller knew — per
// customer for customer-level victims, per order for order-level ones (an order counts if the
// suspect read that order, with the customer-level fields possibly from another read of the same
// customer). Exact for ordinary principals (one pass over the principal's own reads), estimated
// from a simple random sample with an exact upper confidence bound for heavy readers and groups.
// The exact pass is a hot loop: it reads the index's typed columns directly (no callback, Map or
// closure per read); principals with appended, not yet folded rows take the Map-based path.
import type { AccessIndex } from './access-index.ts';
import type { Population } from './population.ts';
import { clopperPearsonUpper } from './stats.ts';
import { CUSTOMER_FIELDS } from '../lib/fields.ts';
import { mulberry32 } from '../lib/seeded-random.ts';

/** Stratum samples for heavy readers: about this many units per stratum. */
export const SAMPLE_PER_STRATUM = 2000;
/** Sample size of a stratum that holds no victim (its rate is shown, never tested). */
const UNTESTED_SAMPLE = 200;
const READ = 0x10000; // "read at all" flag beside the field bits

export interface UnitQuery {
  from: number;
  to: number;
  /** Fields every customer-level victim's caller knew (−1: no customer-level victim). */
  kStarC: number;
  /** Fields every order-level victim's caller knew (−1: no order-level victim). */
  kStarO: number;
}

/** Hits (or rates) per stratum, customers and orders (index s-1). */
export interface UnitCounts {
  customers: number[];
  orders: number[];
}

/**
 * Population units of each stratum that the suspect (its member principals together) read in
 * [from, to) with the query's fields. A unit is read by the group when the reads of any one member
 * carry the fields (members are not pooled field by field).
 */
export function exactHits(index: AccessIndex, pop: Population, members: readonly number[], q: UnitQuery): UnitCounts {
  const nS = pop.labels.length;
  if (members.length === 1 && !index.hasTail(members[0]!)) return columnHits(index, pop, members[0]!, q, nS);
  const custHit = new Set<number>();
  const orderHit = new Set<number>();
  for (const p of members) {
    const cm = new Map<number, number>();
    const om = new Map<number, number>();
    index.forPrincipal(p, q.from, q.to, (c, f, _at, o) => {
      cm.set(c, (cm.get(c) ?? 0) | f);
      if (o >= 0) om.set(o, (om.get(o) ?? 0) | f);
    });
    if (q.kStarC >= 0) for (const [c, m] of cm) if (pop.stratum[c]! > 0 && (m & q.kStarC) === q.kStarC) custHit.add(c);
    if (q.kStarO >= 0 && pop.orderStratum) {
      for (const [o, m] of om) {
        const c = pop.orderCustomer![o]!;
        if (pop.orderStratum[o]! > 0 && c >= 0 && ((m | ((cm.get(c) ?? 0) & CUSTOMER_FIELDS)) & q.kStarO) === q.kStarO) orderHit.add(o);
      }
    }
  }
  const hits: UnitCounts = { customers: new Array<number>(nS).fill(0), orders: new Array<number>(nS).fill(0) };
  for (const c of custHit) hits.customers[pop.stratum[c]! - 1]!++;
  for (const o of orderHit) hits.orders[pop.orderStratum![o]! - 1]!++;
  return hits;
}

/**
 * One principal's hits straight from its by-principal columns: its rows are in customer order, so
 * each customer's reads are one run whose masks (customer and per order) are complete when the
 * run ends.
 */
function columnHits(index: AccessIndex, pop: Population, p: number, q: UnitQuery, nS: number): UnitCounts {
  const hc = new Array<number>(nS).fill(0);
  const ho = new Array<number>(nS).fill(0);
  if (p >= index.byPrincipalStart.length - 1) return { customers: hc, orders: ho };
  const { pAtLo, pAtHi, atBase, pCustomer, pFields, pOrder } = index;
  const stratum = pop.stratum;
  const orderStratum = pop.orderStratum;
  const wantO = q.kStarO >= 0 && !!orderStratum;
  // the current customer's run: per order of it, the fields read
  const runOrders: number[] = [];
  const runMasks: number[] = [];
  let cur = -1;
  let mask = 0;
  const flush = () => {
    if (q.kStarC >= 0) {
      const st = stratum[cur]!;
      if (st > 0 && (mask & q.kStarC) === q.kStarC) hc[st - 1]!++;
    }
    if (wantO) {
      const cf = mask & CUSTOMER_FIELDS;
      for (let i = 0; i < runOrders.length; i++) {
        const os = orderStratum![runOrders[i]!]!;
        if (os > 0 && ((runMasks[i]! | cf) & q.kStarO) === q.kStarO) ho[os - 1]!++;
      }
    }
    runOrders.length = 0;
    runMasks.length = 0;
  };
  for (let k = index.byPrincipalStart[p]!, end = index.byPrincipalStart[p + 1]!; k < end; k++) {
    const t = atBase + pAtHi[k]! * 4294967296 + pAtLo[k]!;
    if (t < q.from || t >= q.to) continue;
    const c = pCustomer[k]!;
    if (c !== cur) {
      // rows out of customer order would split a customer into several runs (the index never
      // builds them so; never miscount if it did)
      if (c < cur) return exactHits(index, pop, [p, p], q);
      if (cur >= 0) flush();
      cur = c;
      mask = 0;
    }
    const f = pFields[k]!;
    mask |= f;
    if (wantO) {
      const o = pOrder[k]!;
      if (o >= 0) {
        const i = runOrders.indexOf(o);
        if (i < 0) {
          runOrders.push(o);
          runMasks.push(f);
        } else runMasks[i]! |= f;
      }
    }
  }
  if (cur >= 0) flush();
  return { customers: hc, orders: ho };
}

/** A simple random sample without replacement of k of the list (Floyd's algorithm), sorted. */
function sampleOf(list: Int32Array, k: number, rand: () => number): Int32Array {
  if (k >= list.length) return list;
  const chosen = new Set<number>();
  for (let j = list.length - k; j < list.length; j++) {
    const t = Math.floor(rand() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from(
    [...chosen].sort((a, b) => a - b),
    (i) => list[i]!,
  );
}

export interface SampledRates {
  rates: UnitCounts;
  /** Strata whose rate is an upper confidence bound (sampled), rather than exact. */
  bounds: number;
}

/**
 * Base rates of heavy suspects (each a list of member principals) from a simple random sample of
 * each stratum: every sampled unit's reads in [from, to) are one binary search and a short scan in
 * the per-customer index, shared by all heavy suspects (a group's members' fields are pooled
 * here: a rate at least the per-member one). Strata no larger than the sample are read
 * in full (exact rates); otherwise the exact (Clopper–Pearson) upper bound at level δ is used, so
 * each rate is below the true one with probability at most δ (the caller spends that inside α).
 */
export function sampledRates(
  index: AccessIndex,
  pop: Population,
  suspects: readonly (readonly number[])[],
  q: UnitQuery,
  delta: number,
  seed: number,
  /**
   * Which strata a test uses (customer strata 0…nS−1, then order strata nS…2nS−1). The others get
   * the plain share in a small sample (an estimate for display and the canary plan's audience,
   * not a bound: no test reads it).
   */
  tested: (stratum: number) => boolean = () => true,
): SampledRates[] {
  const nP = index.principals.size;
  // principal → the suspect slots it belongs to (a linked list: a principal can be in its own
  // slot and in its groups' slots)
  const head = new Int32Array(nP).fill(-1);
  const next: number[] = [];
  const val: number[] = [];
  suspects.forEach((members, s) => {
    for (const p of members) {
      if (p >= nP) continue;
      next.push(head[p]!);
      val.push(s);
      head[p] = val.length - 1;
    }
  });
  const slots = { head, next: Int32Array.from(next), val: Int32Array.from(val), n: suspects.length };
  const rand = mulberry32(seed);
  const nS = pop.labels.length;
  const ones = () => new Array<number>(nS).fill(1);
  const out: SampledRates[] = suspects.map(() => ({ rates: { customers: ones(), orders: ones() }, bounds: 0 }));
  const rate = (hits: number, size: number, total: number, s: number, bound: boolean) => {
    if (size >= total) return size ? hits / size : 1;
    if (!bound) return hits / size;
    out[s]!.bounds++;
    return clopperPearsonUpper(hits, size, delta);
  };
  const sizeFor = (stratum: number) => (tested(stratum) ? SAMPLE_PER_STRATUM : UNTESTED_SAMPLE);
  const members = pop.members ?? [];
  if (q.kStarC >= 0) {
    members.forEach((list, st) => {
      const sample = sampleOf(list, sizeFor(st), rand);
      const hits = new Int32Array(slots.n);
      sampleCustomers(index, sample, q, slots, hits);
      for (let s = 0; s < slots.n; s++) out[s]!.rates.customers[st] = rate(hits[s]!, sample.length, list.length, s, tested(st));
    });
  }
  if (q.kStarO >= 0 && pop.orderMembers) {
    pop.orderMembers.forEach((list, st) => {
      const sample = sampleOf(list, sizeFor(nS + st), rand);
      const hits = new Int32Array(slots.n);
      sampleOrders(index, pop.orderCustomer!, sample, q, slots, hits);
      for (let s = 0; s < slots.n; s++) out[s]!.rates.orders[st] = rate(hits[s]!, sample.length, list.length, s, tested(nS + st));
    });
  }
  return out;
}

interface Slots {
  head: Int32Array;
  next: Int32Array;
  val: Int32Array;
  n: number;
}

/**
 * Scans customer c's reads in [from, to): per slot, the fields read of the customer and of order o
 * (−1: none). The slots touched are listed in `touched` (their count is returned), so callers
 * visit only those, not every heavy suspect for every sampled unit.
 */
function scanCustomer(index: AccessIndex, c: number, o: number, q: UnitQuery, slots: Slots, cmask: Int32Array, omask: Int32Array, touched: Int32Array): number {
  let n = 0;
  // the folded rows are scanned here, not through a callback per read (this runs for every sampled unit)
  if (c < index.byCustomerStart.length - 1) {
    const end = index.byCustomerStart[c + 1]!;
    const { principal, fields, order } = index;
    for (let r = index.firstRowOf(c, q.from); r < end && index.atOf(r) < q.to; r++)
      n = markRead(slots, principal[r]!, fields[r]!, o >= 0 && order[r] === o, cmask, omask, touched, n);
  }
  if (index.tailSize)
    index.forCustomerTail(c, q.from, q.to, (_row, p, f, _at, ord) => (n = markRead(slots, p, f, o >= 0 && ord === o, cmask, omask, touched, n)));
  return n;
}

/** One read by p: its fields into the masks of every slot p is in; returns the new count of touched slots. */
function markRead(slots: Slots, p: number, fields: number, sameOrder: boolean, cmask: Int32Array, omask: Int32Array, touched: Int32Array, n: number): number {
  const { head, next, val } = slots;
  if (p >= head.length) return n;
  const f = fields | READ;
  for (let e = head[p]!; e >= 0; e = next[e]!) {
    const s = val[e]!;
    if (cmask[s] === 0) touched[n++] = s;
    cmask[s]! |= f;
    if (sameOrder) omask[s]! |= f;
  }
  return n;
}

/** Sampled customers: hits[slot] counts those the slot's suspect read with kStarC. */
function sampleCustomers(index: AccessIndex, sample: Int32Array, q: UnitQuery, slots: Slots, hits: Int32Array) {
  const cmask = new Int32Array(slots.n);
  const omask = new Int32Array(slots.n);
  const touched = new Int32Array(slots.n);
  for (let i = 0; i < sample.length; i++) {
    const n = scanCustomer(index, sample[i]!, -1, q, slots, cmask, omask, touched);
    for (let k = 0; k < n; k++) {
      const s = touched[k]!;
      const m = cmask[s]!;
      if ((m & q.kStarC) === q.kStarC) hits[s]!++;
      cmask[s] = 0;
      omask[s] = 0;
    }
  }
}

/** Sampled orders: hits[slot] counts those the slot's suspect read (that order) with kStarO. */
function sampleOrders(index: AccessIndex, orderCustomer: Int32Array, sample: Int32Array, q: UnitQuery, slots: Slots, hits: Int32Array) {
  const cmask = new Int32Array(slots.n);
  const omask = new Int32Array(slots.n);
  const touched = new Int32Array(slots.n);
  for (let i = 0; i < sample.length; i++) {
    const o = sample[i]!;
    const n = scanCustomer(index, orderCustomer[o]!, o, q, slots, cmask, omask, touched);
    for (let k = 0; k < n; k++) {
      const s = touched[k]!;
      const m = omask[s]!;
      if (m && ((m | (cmask[s]! & CUSTOMER_FIELDS)) & q.kStarO) === q.kStarO) hits[s]!++;
      cmask[s] = 0;
      omask[s] = 0;
    }
  }
}
