// Base rates of suspects: how many customers of each population stratum a principal read in a
// span with at least the fields every victim's caller knew. Exact for ordinary principals (one
// pass over the principal's own reads), estimated from a systematic sample for heavy readers.
// These are the hot loops of an investigation: they read the index's typed columns directly
// (no callback, Map or closure per read) and go through callbacks only for the small tail of
// appended, not yet folded rows.
import type { AccessIndex } from './access-index.ts';

/** Stratum samples for heavy readers: about this many customers per stratum. */
export const SAMPLE_PER_STRATUM = 2000;
/** One-sided z for the upper confidence bound of a sampled rate (≈ 1e-6). */
const Z_UPPER = 4.75;

/** Wilson score upper bound for a proportion of hits in m draws. */
export function wilsonUpper(hits: number, m: number, z = Z_UPPER): number {
  if (m === 0) return 1;
  const p = hits / m;
  const z2 = z * z;
  return Math.min(1, (p + z2 / (2 * m) + z * Math.sqrt((p * (1 - p)) / m + z2 / (4 * m * m))) / (1 + z2 / m));
}

/**
 * Customers of each stratum (index s-1) that principal p read with from ≤ at < to and with all
 * the fields of kStar, over all its reads together. A principal's rows are grouped by customer in
 * the index, so each customer is one run: its mask is complete when the run ends. The principal's
 * appended rows, if any, are merged in per customer.
 */
export function stratumHits(index: AccessIndex, p: number, from: number, to: number, stratum: Uint8Array, kStar: number, nStrata: number): number[] {
  const hits = new Array<number>(nStrata).fill(0);
  const tail = tailMasks(index, p, from, to, stratum);
  if (p < index.byPrincipalStart.length - 1) {
    const pAt = index.pAt;
    const pCustomer = index.pCustomer;
    const pFields = index.pFields;
    let cur = -1;
    let mask = 0;
    for (let k = index.byPrincipalStart[p]!, end = index.byPrincipalStart[p + 1]!; k < end; k++) {
      const t = pAt[k]!;
      if (t < from || t >= to) continue;
      const c = pCustomer[k]!;
      if (c !== cur) {
        // rows out of customer order would split a customer into several runs (the index never
        // builds them so; never miscount if it did)
        if (c < cur) return straightStratumHits(index, p, from, to, stratum, kStar, nStrata);
        if (cur >= 0) countCustomer(hits, stratum, kStar, tail, cur, mask);
        cur = c;
        mask = 0;
      }
      mask |= pFields[k]!;
    }
    if (cur >= 0) countCustomer(hits, stratum, kStar, tail, cur, mask);
  }
  // customers p read only in appended rows
  if (tail) for (const [c, m] of tail) if ((m & kStar) === kStar) hits[stratum[c]! - 1]!++;
  return hits;
}

/** The fields principal p read of each population customer in its appended rows (null: none). */
function tailMasks(index: AccessIndex, p: number, from: number, to: number, stratum: Uint8Array): Map<number, number> | null {
  const tail = new Map<number, number>();
  index.forPrincipalTail(p, from, to, (c, f) => {
    if (stratum[c]! > 0) tail.set(c, (tail.get(c) ?? 0) | f);
  });
  return tail.size ? tail : null;
}

/** Counts customer c (all of p's reads in its run: mask) if it is in the population and has kStar. */
function countCustomer(hits: number[], stratum: Uint8Array, kStar: number, tail: Map<number, number> | null, c: number, mask: number) {
  const st = stratum[c]!;
  if (!(st > 0)) return;
  if (tail) {
    const tm = tail.get(c);
    if (tm !== undefined) {
      mask |= tm;
      tail.delete(c); // what is left in the tail afterwards: customers read only there
    }
  }
  if ((mask & kStar) === kStar) hits[st - 1]!++;
}

/** The same as stratumHits by the definition, through the index's callbacks and a Map (reference). */
export function straightStratumHits(index: AccessIndex, p: number, from: number, to: number, stratum: Uint8Array, kStar: number, nStrata: number): number[] {
  const masks = new Map<number, number>();
  index.forPrincipal(p, from, to, (c, f) => masks.set(c, (masks.get(c) ?? 0) | f));
  const hits = new Array<number>(nStrata).fill(0);
  for (const [c, m] of masks) {
    const st = stratum[c] ?? 0;
    if (st > 0 && (m & kStar) === kStar) hits[st - 1]!++;
  }
  return hits;
}

/**
 * Base rates of heavy readers from a systematic sample of each stratum (every k-th member):
 * each sampled customer's reads in [from, to) are one binary search and a short scan in the
 * per-customer index, shared by all heavy principals. Strata smaller than the sample are read in
 * full (exact rates); otherwise the Wilson upper bound is used, so the estimate can only make
 * the test more conservative.
 */
export function sampledBaseRates(index: AccessIndex, members: Int32Array[], heavy: number[], from: number, to: number, kStar: number): Map<number, number[]> {
  const slotOf = new Int32Array(index.principals.size).fill(-1);
  heavy.forEach((p, i) => (slotOf[p] = i));
  const hits = members.map(() => new Int32Array(heavy.length));
  const sizes = members.map((list, s) => sampleStratum(index, list, Math.max(1, Math.floor(list.length / SAMPLE_PER_STRATUM)), from, to, kStar, slotOf, hits[s]!));
  const out = new Map<number, number[]>();
  heavy.forEach((p, k) =>
    out.set(
      p,
      members.map((list, s) => (sizes[s]! >= list.length ? (sizes[s] ? hits[s]![k]! / sizes[s]! : 1) : wilsonUpper(hits[s]![k]!, sizes[s]!))),
    ),
  );
  return out;
}

/**
 * One stratum's sample: every `step`-th customer of `list`; hits[slot] counts the sampled
 * customers the heavy principal in that slot read in [from, to) with all of kStar. Returns the
 * sample size. (A function of its own, so that its loop is optimised once and stays so: compiled
 * on the fly inside a longer function, it was thrown away at the first code after the loop.)
 */
function sampleStratum(index: AccessIndex, list: Int32Array, step: number, from: number, to: number, kStar: number, slotOf: Int32Array, hits: Int32Array): number {
  const nSlots = hits.length;
  // per heavy principal, the fields it read of the current customer (high bit: read at all)
  const mask = new Int32Array(nSlots);
  const visitTail = (_row: number, p: number, f: number) => {
    const k = p < slotOf.length ? slotOf[p]! : -1;
    if (k >= 0) mask[k]! |= f | 0x10000;
  };
  const byCustomerStart = index.byCustomerStart;
  const nMain = byCustomerStart.length - 1;
  const at = index.at;
  const principal = index.principal;
  const fields = index.fields;
  let size = 0;
  for (let i = 0; i < list.length; i += step) {
    size++;
    const c = list[i]!;
    if (c < nMain) {
      // first read at ≥ from (binary search; rows are sorted by time), then up to `to`
      let r = byCustomerStart[c]!;
      const end = byCustomerStart[c + 1]!;
      for (let hi = end; r < hi; ) {
        const mid = (r + hi) >>> 1;
        if (at[mid]! < from) r = mid + 1;
        else hi = mid;
      }
      for (; r < end && at[r]! < to; r++) {
        const k = slotOf[principal[r]!]!;
        if (k >= 0) mask[k]! |= fields[r]! | 0x10000;
      }
    }
    index.forCustomerTail(c, from, to, visitTail);
    for (let k = 0; k < nSlots; k++) {
      const m = mask[k]!;
      if (m === 0) continue;
      if ((m & kStar) === kStar) hits[k]!++;
      mask[k] = 0;
    }
  }
  return size;
}
