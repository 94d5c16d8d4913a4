// Read bursts: hours in which a principal read far more records than in any hour of the weeks
// before — a stolen API key draining the order table in one night, a staff account exporting what
// it never touched before. The shop's own logs show them before anyone reports a scam, so they are
// evidence about a principal that owes nothing to the victims: attribution gives the principals
// with a burst in the investigation's window a larger share of α (weighted Holm, attribution.ts;
// docs/areas/leaks.md, method item 8). The rule compares each principal with its own peak, not
// its mean, so a nightly batch job's usual surge is not a burst.
import type { AccessIndex } from './access-index.ts';
import { grown } from '../lib/typed-arrays.ts';

const HOUR = 3_600_000;

export interface BurstRule {
  /** Reads in one clock hour below this are never a burst. */
  minReads: number;
  /** A burst hour has at least this many times the principal's busiest hour of the baseline. */
  factor: number;
  /** The baseline: the days before the hour. */
  baselineDays: number;
}

export const DEFAULT_BURST_RULE: BurstRule = { minReads: 30, factor: 3, baselineDays: 14 };

/**
 * Per principal, the start times (ms) of its burst hours over everything the index holds, in
 * time order. One pass over the reads; computed once per state of the index (see `burstyPrincipals`).
 */
export function burstHours(index: AccessIndex, rule: BurstRule = DEFAULT_BURST_RULE): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const P = index.principals.size;
  const baselineHours = Math.max(1, Math.round(rule.baselineDays * 24));
  let hours = new Int32Array(1024);
  let counts = new Int32Array(1024);
  let deque = new Int32Array(1024);
  // hours whose baseline reaches back before the first read the index holds are not judged: the
  // principal's history there is unknown, not quiet (a principal first seen later was quiet)
  let earliest = index.size > index.tailSize ? index.atBase : Infinity;
  if (index.tailSize) for (let p = 0; p < P; p++) index.forPrincipalTail(p, -Infinity, Infinity, (_c, _f, at) => (earliest = Math.min(earliest, at)));
  const judgeFrom = Math.floor(earliest / HOUR) + baselineHours;
  for (let p = 0; p < P; p++) {
    if (index.rowCount(p) < rule.minReads) continue;
    // the principal's reads as hour numbers, then counted per hour over its span
    let n = 0;
    let lo = Infinity;
    let hi = -Infinity;
    index.forPrincipal(p, -Infinity, Infinity, (_c, _f, at) => {
      if (n === hours.length) hours = grown(hours, n + 1);
      const h = Math.floor(at / HOUR);
      hours[n++] = h;
      if (h < lo) lo = h;
      if (h > hi) hi = h;
    });
    const span = hi - lo + 1;
    if (span > counts.length) [counts, deque] = [new Int32Array(span), new Int32Array(span)];
    counts.fill(0, 0, span);
    for (let k = 0; k < n; k++) counts[hours[k]! - lo]!++;
    // the busiest hour of the preceding baseline, by a monotonic deque of hour positions
    let head = 0;
    let tail = 0;
    const bursts: number[] = [];
    for (let h = 0; h < span; h++) {
      while (head < tail && deque[head]! < h - baselineHours) head++;
      const peak = head < tail ? counts[deque[head]!]! : 0;
      const c = counts[h]!;
      if (c >= rule.minReads && c >= rule.factor * peak && lo + h >= judgeFrom) bursts.push((lo + h) * HOUR);
      while (head < tail && counts[deque[tail - 1]!]! <= c) tail--;
      deque[tail++] = h;
    }
    if (bursts.length) out.set(p, bursts);
  }
  return out;
}

const cache = new WeakMap<AccessIndex, { arrays: unknown; size: number; rule: BurstRule; hours: Map<number, number[]> }>();

/**
 * Principals with a burst hour in [from, to). The per-principal burst hours are cached for the
 * index as it is (recomputed after new reads arrive), so repeated investigations pay the pass once.
 */
export function burstyPrincipals(index: AccessIndex, from: number, to: number, rule: BurstRule = DEFAULT_BURST_RULE): Set<number> {
  let c = cache.get(index);
  if (!c || c.arrays !== index.atLo || c.size !== index.size || c.rule !== rule) {
    c = { arrays: index.atLo, size: index.size, rule, hours: burstHours(index, rule) };
    cache.set(index, c);
  }
  const out = new Set<number>();
  for (const [p, list] of c.hours) if (list.some((t) => t + HOUR > from && t < to)) out.add(p);
  return out;
}
