// The attribution engine: given victims (customer, contact time, fields the caller knew) and the
// access index, find the principal through which their data left. Pure computation over
// interned integers; the service maps ids and loads data, the simulator's evaluation calls it
// directly. The method and why it controls false attribution are in docs/areas/leaks.md.
import type { AccessIndex } from './access-index.ts';
import { holmAdjust, stratifiedBinomialTail } from './stats.ts';
import { leakStartBound } from './leak-start.ts';
import { sampledBaseRates, stratumHits } from './base-rates.ts';

const DAY = 86_400_000;

export interface AttributionSettings {
  /** Family-wise error rate for naming an innocent principal, over all principals and rounds. */
  alpha: number;
  /** A read counts for a victim only if it happened within this many days before the contact. */
  windowDays: number;
  /** Never attribute on fewer covered victims than this, however small the p-value. */
  minCovered: number;
  /** Rounds of "explain the victims by the attributed principal, re-test the rest". */
  maxRounds: number;
  /** A principal that is not attributed but read at least this share of the victims is "not excluded". */
  notExcludedCoverage: number;
  /** Share of victims with a credential-stuffing login pattern that suggests account takeover. */
  takeoverShare: number;
  /** Chance, at most, that a leak began before the start used for the customers at risk (leak-start.ts). */
  leakStartBeta: number;
}

export const DEFAULT_SETTINGS: AttributionSettings = {
  alpha: 0.001,
  windowDays: 60,
  minCovered: 3,
  maxRounds: 3,
  notExcludedCoverage: 0.9,
  takeoverShare: 0.5,
  leakStartBeta: 0.01,
};

export interface EngineVictim {
  customer: number;
  contactAt: number;
  knewMask: number;
}

/** The baseline: which customers could have been victims, split into strata matched on the victims. */
export interface Population {
  /** Per customer index: 0 = outside the population (or a canary), s ≥ 1 = stratum s. */
  stratum: Uint8Array;
  /** Human-readable stratum names, index s-1. */
  labels: string[];
  /** Members of each stratum (optional: computed from `stratum` when absent). */
  members?: Int32Array[];
}

export interface LoginRecord {
  at: number;
  ok: boolean;
  ip: string | null;
  device: string | null;
}

export interface AccessEvidence {
  at: number;
  fields: number;
  order: number;
  channel: number;
}

export interface SuspectStat {
  principal: number;
  round: number;
  /** Victims tested in this round. */
  tested: number;
  covered: number;
  missed: number;
  /** Expected coverage if unrelated: Σ over victims of the base rate of their stratum. */
  expected: number;
  /** Base rate per stratum (share of that stratum's population the principal read with ≥ the fields). */
  baseRates: number[];
  pValue: number;
  adjustedP: number;
  status: 'attributed' | 'not_excluded' | 'not_significant';
  /** Victim positions (into the deduplicated victim list) this principal covers, with the reads. */
  evidence: { victim: number; reads: AccessEvidence[] }[];
}

export interface AttributionResult {
  verdict: 'attributed' | 'inconclusive' | 'consistent_with_account_takeover';
  victims: EngineVictim[];
  /** Victims dropped because they are canaries (each is itself proof of a leak from its scope). */
  canaryVictims: number;
  family: number;
  rounds: { round: number; alpha: number; victims: number; attributed: number | null }[];
  suspects: SuspectStat[];
  attributed: number[];
  notExcluded: number[];
  takeover: { victimsWithPattern: number; share: number; victims: number[] };
  atRisk: { principal: number; from: number; customers: number[] }[];
  populationSizes: number[];
  /** Stratum of each (deduplicated) victim. */
  victimStrata: number[];
  /** Victims not explained by any attributed principal. */
  unexplained: number[];
}

interface Coverage {
  mask: number;
  reads: AccessEvidence[];
}

export function attribute(
  index: AccessIndex,
  population: Population,
  inputVictims: readonly EngineVictim[],
  opts: {
    settings?: Partial<AttributionSettings>;
    logins?: (customer: number, from: number, to: number) => LoginRecord[];
    isCanary?: (customer: number) => boolean;
    now?: number;
    /** How many not-attributed suspects to report per round (by p-value). */
    report?: number;
    /** Number of principals in the family of tests (default: every principal in the index). */
    family?: number;
    /** Principals with more reads than this get a sampled, upper-bounded base rate. */
    exactRowLimit?: number;
  } = {},
): AttributionResult {
  const s = { ...DEFAULT_SETTINGS, ...opts.settings };
  const W = s.windowDays * DAY;
  const report = opts.report ?? 10;
  // one victim per customer: the earliest contact (a later one adds no independent evidence)
  const byCustomer = new Map<number, EngineVictim>();
  let canaryVictims = 0;
  for (const v of [...inputVictims].sort((a, b) => a.contactAt - b.contactAt)) {
    if (opts.isCanary?.(v.customer)) {
      canaryVictims++;
      continue;
    }
    if (!byCustomer.has(v.customer)) byCustomer.set(v.customer, v);
  }
  const victims = [...byCustomer.values()];
  const nStrata = population.labels.length;
  const memberLists = population.members ?? stratumMembers(population.stratum, nStrata);
  const popSizes = memberLists.map((m) => m.length);
  const victimStratum = victims.map((v) => Math.max(1, population.stratum[v.customer] ?? 0));
  // the family: every principal that could have been tested
  const family = Math.max(1, index.principals.size, opts.family ?? 0);

  // who read each victim, with which fields, within the window before the contact
  const coverage: Map<number, Coverage>[] = victims.map((v) => {
    const m = new Map<number, Coverage>();
    const add = (_row: number, p: number, fields: number, at: number, order: number, channel: number) => {
      let c = m.get(p);
      if (!c) m.set(p, (c = { mask: 0, reads: [] }));
      c.mask |= fields;
      c.reads.push({ at, fields, order, channel });
    };
    const from = v.contactAt - W;
    // the sorted rows straight from the columns, then the appended ones (as forCustomer does)
    if (v.customer < index.byCustomerStart.length - 1) {
      const end = index.byCustomerStart[v.customer + 1]!;
      for (let k = index.firstRowOf(v.customer, from); k < end && index.at[k]! < v.contactAt; k++) add(k, index.principal[k]!, index.fields[k]!, index.at[k]!, index.order[k]!, index.channel[k]!);
    }
    index.forCustomerTail(v.customer, from, v.contactAt, add);
    return m;
  });
  const covers = (vi: number, p: number) => {
    const c = coverage[vi]!.get(p);
    return !!c && (c.mask & victims[vi]!.knewMask) === victims[vi]!.knewMask;
  };

  const suspects: SuspectStat[] = [];
  const attributed: number[] = [];
  const rounds: AttributionResult['rounds'] = [];
  let remaining = victims.map((_, i) => i);
  let round1: SuspectStat[] = [];
  // round 1 always runs (its statistics are reported); later rounds need enough victims left
  for (let round = 1; round <= s.maxRounds && (round === 1 || remaining.length >= s.minCovered); round++) {
    const alphaRound = s.alpha / 2 ** round;
    let kStar = 0xffff;
    let from = Infinity;
    let to = -Infinity;
    const nByStratum = new Array<number>(nStrata).fill(0);
    for (const vi of remaining) {
      const v = victims[vi]!;
      kStar &= v.knewMask;
      from = Math.min(from, v.contactAt - W);
      to = Math.max(to, v.contactAt);
      nByStratum[victimStratum[vi]! - 1]!++;
    }
    const coveredBy = new Map<number, number[]>();
    for (const vi of remaining) {
      for (const p of coverage[vi]!.keys()) {
        if (!covers(vi, p)) continue;
        let l = coveredBy.get(p);
        if (!l) coveredBy.set(p, (l = []));
        l.push(vi);
      }
    }
    const stats: SuspectStat[] = [];
    // readers of (nearly) everyone — BI syncs, the main courier — would cost a pass over millions
    // of reads; their base rates are estimated from a systematic sample of the population instead,
    // and the upper confidence bound is used, so the estimate can only make the test more
    // conservative for them
    const heavy = [...coveredBy.keys()].filter((p) => p < index.byPrincipalStart.length - 1 && index.byPrincipalStart[p + 1]! - index.byPrincipalStart[p]! > (opts.exactRowLimit ?? EXACT_ROW_LIMIT));
    const sampled = heavy.length ? sampledBaseRates(index, memberLists, heavy, from, to, kStar) : new Map<number, number[]>();
    for (const [p, list] of coveredBy) {
      // base rate: share of each stratum of the population this principal read, in the span of
      // the victims' windows, with at least the fields every victim's caller knew (conservative:
      // a wider span and fewer required fields can only raise the base rate)
      const baseRates =
        sampled.get(p) ??
        stratumHits(index, p, from, to, population.stratum, kStar, nStrata).map((h, i) => (popSizes[i]! > 0 ? Math.min(1, h / popSizes[i]!) : 1));
      const strata = nByStratum.map((n, i) => ({ n, p: baseRates[i]! }));
      stats.push({
        principal: p,
        round,
        tested: remaining.length,
        covered: list.length,
        missed: remaining.length - list.length,
        expected: strata.reduce((acc, x) => acc + x.n * x.p, 0),
        baseRates,
        pValue: stratifiedBinomialTail(strata, list.length),
        adjustedP: 1,
        status: 'not_significant',
        evidence: list.map((vi) => ({ victim: vi, reads: coverage[vi]!.get(p)!.reads })),
      });
    }
    const adj = holmAdjust(stats.map((x) => x.pValue), family);
    stats.forEach((x, i) => (x.adjustedP = adj[i]!));
    stats.sort((a, b) => a.pValue - b.pValue || b.covered - a.covered || a.principal - b.principal);
    const top = stats[0];
    const ok = !!top && top.adjustedP <= alphaRound && top.covered >= s.minCovered && top.covered > top.expected;
    rounds.push({ round, alpha: alphaRound, victims: remaining.length, attributed: ok ? top!.principal : null });
    if (round === 1) round1 = stats;
    if (!ok) {
      if (round > 1) suspects.push(...stats.slice(0, report));
      break;
    }
    top!.status = 'attributed';
    attributed.push(top!.principal);
    suspects.push(top!);
    const explained = new Set(top!.evidence.map((e) => e.victim));
    remaining = remaining.filter((vi) => !explained.has(vi));
  }
  // round-1 view of everyone else: not excluded (read nearly every victim) or not significant
  const notExcluded: number[] = [];
  const need = Math.ceil(s.notExcludedCoverage * victims.length);
  for (const x of round1) {
    if (x.status === 'attributed') continue;
    if (victims.length >= s.minCovered && x.covered >= need && !attributed.includes(x.principal)) {
      x.status = 'not_excluded';
      notExcluded.push(x.principal);
    }
  }
  const shown = new Set(suspects);
  for (const x of round1.filter((x) => x.status === 'not_excluded')) if (!shown.has(x)) {
      suspects.push(x);
      shown.add(x);
    }
  for (const x of round1.slice(0, report))
    if (!shown.has(x)) {
      suspects.push(x);
      shown.add(x);
    }

  // account takeover: failures then a success from a device/IP the account never used before
  const takeoverVictims: number[] = [];
  if (opts.logins) {
    victims.forEach((v, vi) => {
      const ls = opts.logins!(v.customer, v.contactAt - 180 * DAY, v.contactAt).sort((a, b) => a.at - b.at);
      if (suspiciousLogin(ls, v.contactAt - 30 * DAY)) takeoverVictims.push(vi);
    });
  }
  const takeoverShare = victims.length ? takeoverVictims.length / victims.length : 0;

  // customers at risk: everyone the attributed principal read since the leak began, estimated
  // conservatively from where its victims sit among its reads (leak-start.ts)
  const victimCustomers = new Set(inputVictims.map((v) => v.customer));
  const until = opts.now ?? Number.MAX_SAFE_INTEGER;
  const atRisk = attributed.map((p) => {
    const st = suspects.find((x) => x.principal === p && x.status === 'attributed')!;
    let required = 0xffff;
    const victimReads: number[] = [];
    for (const e of st.evidence) {
      required &= victims[e.victim]!.knewMask;
      victimReads.push(Math.min(...e.reads.map((r) => r.at)));
    }
    const lookback = Math.min(...victimReads) - W;
    const reads: number[] = [];
    index.forPrincipal(p, lookback, until, (_c, f, at) => {
      if ((f & required) === required) reads.push(at);
    });
    const from = leakStartBound(reads, victimReads, s.leakStartBeta);
    const masks = new Map<number, number>();
    index.forPrincipal(p, from, until, (c, f) => masks.set(c, (masks.get(c) ?? 0) | f));
    const customers: number[] = [];
    for (const [c, m] of masks) if ((m & required) === required && !victimCustomers.has(c) && !opts.isCanary?.(c)) customers.push(c);
    customers.sort((a, b) => a - b);
    return { principal: p, from, customers };
  });

  const verdict: AttributionResult['verdict'] = attributed.length
    ? 'attributed'
    : victims.length && takeoverShare >= s.takeoverShare
      ? 'consistent_with_account_takeover'
      : 'inconclusive';
  return {
    verdict,
    victims,
    canaryVictims,
    family,
    rounds,
    suspects,
    attributed,
    notExcluded,
    takeover: { victimsWithPattern: takeoverVictims.length, share: takeoverShare, victims: takeoverVictims },
    atRisk,
    populationSizes: popSizes,
    victimStrata: victimStratum,
    unexplained: remaining,
  };
}

/** Principals with more reads than this get a sampled (upper-bounded) base rate. */
export const EXACT_ROW_LIMIT = 5_000;

/** The members of each stratum (typed arrays), from the per-customer stratum marks. */
export function stratumMembers(stratum: Uint8Array, nStrata: number): Int32Array[] {
  const counts = new Int32Array(nStrata + 1);
  for (let c = 0; c < stratum.length; c++) counts[stratum[c]!]!++;
  const out = Array.from({ length: nStrata }, (_, i) => new Int32Array(counts[i + 1]!));
  const fill = new Int32Array(nStrata + 1);
  for (let c = 0; c < stratum.length; c++) {
    const x = stratum[c]!;
    if (x > 0) out[x - 1]![fill[x]!++] = c;
  }
  return out;
}

/**
 * Credential stuffing as it shows in one account's logins: at least three failures and then a
 * success within an hour, the success from a device and an IP the account had not signed in
 * from before. Ordinary typos (one or two failures from the usual device) do not match.
 */
export function suspiciousLogin(logins: readonly LoginRecord[], since: number): boolean {
  const knownDevices = new Set<string>();
  const knownIps = new Set<string>();
  for (let i = 0; i < logins.length; i++) {
    const l = logins[i]!;
    if (l.ok && l.at >= since) {
      let fails = 0;
      for (let j = i - 1; j >= 0 && logins[j]!.at >= l.at - 3_600_000; j--) if (!logins[j]!.ok) fails++;
      const newDevice = !l.device || !knownDevices.has(l.device);
      const newIp = !l.ip || !knownIps.has(l.ip);
      if (fails >= 3 && newDevice && newIp) return true;
    }
    if (l.ok) {
      if (l.device) knownDevices.add(l.device);
      if (l.ip) knownIps.add(l.ip);
    }
  }
  return false;
}
