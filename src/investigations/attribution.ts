// The attribution engine: given victims (customer, the order the caller quoted, contact time,
// fields the caller knew) and the access index, find the principal — or group of principals —
// through which their data left. Pure computation over interned integers; the service maps ids
// and loads data, the simulator's evaluation calls it directly. The method, what it assumes and
// why it controls false attribution are in docs/areas/leaks.md.
import type { AccessIndex } from './access-index.ts';
import { biasedRate, log10PoissonBinomialTail, log10StratifiedBinomialTail, selectionBiasToExplain } from './stats.ts';
import { leakStartBound } from './leak-start.ts';
import { exactHits, sampledRates, type UnitCounts, type UnitQuery } from './base-rates.ts';
import { CUSTOMER_FIELDS, ORDER_FIELDS } from '../lib/fields.ts';
import { stratumMembers, type Population } from './population.ts';
import { matchedWindows, stratumHazardShare } from './timed-comparison.ts';
import { burstyPrincipals } from './read-bursts.ts';
export type { Population } from './population.ts';

const DAY = 86_400_000;
/** The decision takes the best of three comparisons (population, self-controlled, timing): Bonferroni over them. */
const LOG10_TESTS = Math.log10(3);

export interface AttributionSettings {
  /** Family-wise error rate for naming an innocent principal or group, over all of them and all rounds. */
  alpha: number;
  /** A read counts for a victim only if it happened within this many days before the contact. */
  windowDays: number;
  /** Never attribute on fewer covered victims than this, however small the p-value. */
  minCovered: number;
  /** Rounds of "explain the victims by the attributed suspect, re-test the rest". */
  maxRounds: number;
  /** A principal that is not attributed but read at least this share of the victims is "not excluded". */
  notExcludedCoverage: number;
  /** Share of victims with a credential-stuffing login pattern that suggests account takeover. */
  takeoverShare: number;
  /** Chance, at most, that a leak began before the start used for the customers at risk (leak-start.ts). */
  leakStartBeta: number;
  /**
   * Reporting bias (odds ratio) the population comparison must survive to attribute on its own,
   * for principals whose readership follows the customer's own choices (sellers, couriers, API
   * clients: partners and anything of unknown kind): coverage that reporters this many times
   * likelier among a principal's customers could explain is "associated, not attributed" unless
   * the timing of the reads attributes it.
   */
  minSelectionBias: number;
  /**
   * The same for staff and systems, whose work the shop assigns (queues, shifts): a trait of the
   * customers selects their readers only through what the assignment follows, and the strata
   * already match on that (refund requests, activity).
   */
  minSelectionBiasAssigned: number;
  /**
   * The self-controlled comparison's windows: reads in the last this many days before the contact
   * (the hazard window) against the same victim's earlier windows of this length.
   */
  hazardDays: number;
  /** Share of α spent on the sampling error of sampled base rates (only when some rate is sampled). */
  samplingAlphaShare: number;
  /**
   * The timing comparison's guard for partners, API clients and unknown kinds: the reporting bias
   * among customers called at the same point of their order's life (the same kind of last event,
   * as long ago) that it must survive. It adds to a leak of fresh data outside the shop, the only
   * way such reads could cluster before the calls by chance. Staff and systems: always 1.
   */
  minSelectionBiasTimed: number;
  /**
   * Share of the tests' α given to the principals with a read burst in the investigation's window
   * (read-bursts.ts: an hour of reads far above their own busiest hour of the weeks before), split
   * evenly among them; the other hypotheses share the rest (weighted Holm). The bursts come from
   * the access log alone, before any report, so the weights do not depend on the victims. 0: every
   * hypothesis weighs the same. Without a burst in the window nothing changes.
   */
  burstAlphaShare: number;
}

export const DEFAULT_SETTINGS: AttributionSettings = {
  alpha: 0.001,
  windowDays: 60,
  minCovered: 3,
  maxRounds: 3,
  notExcludedCoverage: 0.9,
  takeoverShare: 0.5,
  leakStartBeta: 0.01,
  minSelectionBias: 5,
  minSelectionBiasAssigned: 2,
  hazardDays: 3,
  samplingAlphaShare: 0.1,
  minSelectionBiasTimed: 1,
  burstAlphaShare: 0.25,
};

export interface EngineVictim {
  customer: number;
  contactAt: number;
  knewMask: number;
  /** The order the report names (interned), when there is one: the unit of evidence if the caller knew order fields. */
  order?: number;
  /**
   * The last event in the life of the victim's unit before the contact (its order placed or a
   * refund requested; for a customer, any of its orders): the self-controlled comparison uses only
   * windows that start a hazard window after it (the order's life drives ordinary reads). Without
   * it the victim gives that comparison no evidence (its quiet part is unknown).
   */
  lastEventAt?: number;
}

/** Principals that share an `org` or a `team`: tested together as one suspect. */
export interface PrincipalGroup {
  kind: 'org' | 'team';
  name: string;
  members: number[];
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
  principal: number;
}

export interface SuspectStat {
  /** Principal index, or (number of principals + group index) for a group. */
  key: number;
  /** The principal (−1 for a group). */
  principal: number;
  group?: PrincipalGroup;
  round: number;
  /** Victims tested in this round. */
  tested: number;
  covered: number;
  missed: number;
  /** Expected coverage if unrelated: Σ over victims of the base rate of their stratum. */
  expected: number;
  /** Base rate per stratum: customer strata, then order strata. */
  baseRates: number[];
  /** Whether the base rates are sampled upper bounds (heavy readers, groups). */
  sampled: boolean;
  /** The principal had a read burst in the window: tested at its share of burstAlphaShare. */
  burst: boolean;
  /** The population comparison against chance alone (p may underflow to 0; log10 never does). */
  pValue: number;
  log10PValue: number;
  /** The reporting bias the population comparison had to survive (minSelectionBias or minSelectionBiasAssigned). */
  biasGuarded: number;
  /** The population comparison when reporters could be `biasGuarded` times likelier among the customers it read. */
  log10PValueBiased: number;
  /**
   * The smallest reporting bias (odds ratio among the customers it read) that would explain its
   * coverage at the test's level (1: chance already does).
   */
  selectionBiasToExplain: number;
  /** The self-controlled comparison: victims read in the hazard window vs the same victims' earlier quiet windows. */
  selfControlled: { log10PValue: number; inHazardWindow: number; informative: number; expected: number };
  /**
   * The timing comparison: victims read in the hazard window against units at the same point of
   * their life (matched, under `biasTimed`) and against their whole stratum in the same window
   * (under `biasGuarded`); its p-value is the larger of the two (timed-comparison.ts).
   */
  timed: {
    log10PValue: number;
    inHazardWindow: number;
    informative: number;
    /** Expected victims read in the hazard window if unrelated, from the matched units (no bias). */
    expected: number;
    biasTimed: number;
    /**
     * The reporting bias among customers at the same point of their order's life that would explain
     * the matched comparison at the test's level (with a fresh leak elsewhere); 1 when not computed.
     */
    selectionBiasToExplain: number;
    log10PValueMatched: number;
    /** Null when not computed (the matched comparison already could not reach the level). */
    log10PValueStratum: number | null;
  };
  /** The decision p-value: 3 × the smallest of the biased population, self-controlled and timing tests. */
  log10DecisionP: number;
  /** Holm-adjusted decision p-value (over the family left in this round). */
  adjustedP: number;
  log10AdjustedP: number;
  /** Holm-adjusted chance-only p-value: "associated" when ≤ α but not attributed. */
  log10AdjustedChanceP: number;
  status: 'attributed' | 'associated' | 'not_excluded' | 'not_significant';
  /** For a group: the members that covered victims, with how many. */
  members: { principal: number; covered: number }[];
  /** Victim positions (into the deduplicated victim list) this suspect covers, with the reads. */
  evidence: { victim: number; reads: AccessEvidence[] }[];
}

export interface AttributionResult {
  verdict: 'attributed' | 'inconclusive' | 'consistent_with_account_takeover';
  victims: EngineVictim[];
  /** Victims dropped because they are canaries (each is itself proof of a leak from its scope). */
  canaryVictims: number;
  /** Hypotheses in the family: principals and groups. */
  family: number;
  groups: PrincipalGroup[];
  /** How α was spent: on the tests (`bursts` of it on the principals with a read burst), and on the sampling error of sampled base rates. */
  alphaSpent: { tests: number; sampling: number; bursts: number };
  /** Principals with a read burst in the investigation's window (read-bursts.ts). */
  bursty: number[];
  /** Per round: the level of a hypothesis without a burst (`alpha`) and of one with (`alphaBurst`, 0 if none). */
  rounds: { round: number; alpha: number; alphaBurst: number; family: number; victims: number; attributed: number | null }[];
  suspects: SuspectStat[];
  /** Keys of the attributed suspects (principals, or groups at principals + index). */
  attributed: number[];
  notExcluded: number[];
  /** Principals significant against chance but not robust to reporting bias: offered the canary decision. */
  associated: number[];
  takeover: { victimsWithPattern: number; share: number; victims: number[] };
  atRisk: { key: number; principal: number; from: number; customers: number[] }[];
  populationSizes: number[];
  /** Labels of the strata in `baseRates` and `populationSizes` order. */
  strataLabels: string[];
  /** Stratum of each (deduplicated) victim, into `strataLabels` (1-based). */
  victimStrata: number[];
  /** Victims judged at the order level (the caller quoted the order). */
  orderLevelVictims: number;
  /** Victims not explained by any attributed suspect. */
  unexplained: number[];
}

interface Coverage {
  /** Fields read of the customer (any record), and of the victim's order. */
  cust: number;
  ord: number;
  reads: AccessEvidence[];
}

/** The id of a suspect key: a principal's id, or `org:<name>` / `team:<name>` for a group. */
export function suspectId(r: Pick<AttributionResult, 'groups'>, key: number, principalIds: { readonly size: number; id(i: number): string }): string {
  if (key < principalIds.size) return principalIds.id(key);
  const g = r.groups[key - principalIds.size]!;
  return `${g.kind}:${g.name}`;
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
    /** Principals that share an org or team (groups of one are ignored). */
    groups?: PrincipalGroup[];
    /** Whether the shop assigns a principal's work (staff, systems), rather than customers choosing it. */
    assigned?: (principal: number) => boolean;
    /** Suspects with more reads than this get a sampled, upper-bounded base rate. */
    exactRowLimit?: number;
  } = {},
): AttributionResult {
  const s = { ...DEFAULT_SETTINGS, ...opts.settings };
  const W = s.windowDays * DAY;
  const H = s.hazardDays * DAY;
  const report = opts.report ?? 10;
  const rowLimit = opts.exactRowLimit ?? EXACT_ROW_LIMIT;
  const P = index.principals.size;
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
  const nS = population.labels.length;
  const custMembers = population.members ?? stratumMembers(population.stratum, nS);
  const orderMembers = population.orderMembers ?? (population.orderStratum ? stratumMembers(population.orderStratum, nS) : []);
  const pop: Population = { ...population, members: custMembers, orderMembers };
  const popSizes = [...custMembers.map((m) => m.length), ...Array.from({ length: nS }, (_, i) => orderMembers[i]?.length ?? 0)];
  const strataLabels = [...population.labels, ...(population.orderLabels ?? population.labels.map((l) => `orders: ${l}`))];
  // the unit of evidence follows what the caller knew: the order if they quoted it, else the customer
  const orderLevel = victims.map((v) => v.order !== undefined && v.order >= 0 && (v.knewMask & ORDER_FIELDS) !== 0 && !!population.orderStratum);
  const victimStratum = victims.map((v, vi) =>
    orderLevel[vi] ? nS + Math.max(1, population.orderStratum![v.order!] ?? 0) : Math.max(1, population.stratum[v.customer] ?? 0),
  );
  const groups = (opts.groups ?? []).filter((g) => g.members.filter((p) => p < P).length >= 2);
  const groupsOf = new Map<number, number[]>();
  groups.forEach((g, gi) => g.members.forEach((p) => (groupsOf.get(p) ?? groupsOf.set(p, []).get(p)!).push(P + gi)));
  const membersOf = (key: number) => (key < P ? [key] : groups[key - P]!.members);
  const family = Math.max(1, P, opts.family ?? 0) + groups.length;
  // weighted Holm: principals with a read burst in the window share burstAlphaShare of α, the
  // other hypotheses (weight 1 each) the rest; the weights come from the access log alone
  let windowFrom = Infinity;
  let windowTo = -Infinity;
  for (const v of victims) {
    windowFrom = Math.min(windowFrom, v.contactAt - W);
    windowTo = Math.max(windowTo, v.contactAt);
  }
  const bursty = s.burstAlphaShare > 0 && victims.length ? [...burstyPrincipals(index, windowFrom, windowTo)].filter((p) => p < P).sort((a, b) => a - b) : [];
  const burstSet = new Set(bursty);
  const share = Math.min(s.burstAlphaShare, 0.99);
  const burstWeight = bursty.length && family > bursty.length ? (share * (family - bursty.length)) / ((1 - share) * bursty.length) : 1;
  const weightOf = (key: number) => (burstSet.has(key) ? burstWeight : 1);
  let totalWeight = family - bursty.length + bursty.length * burstWeight;
  // the reporting bias each suspect's population comparison must survive (a group: its members' largest)
  const gammaOf = (key: number) => Math.max(...membersOf(key).map((p) => (opts.assigned?.(p) ? s.minSelectionBiasAssigned : s.minSelectionBias)));

  // who read each victim, with which fields, within the window before the contact; and when the
  // victim's unit (its order, or the customer) was first read by anyone in that window (the
  // self-controlled comparison uses only windows after it)
  const unitStart: number[] = [];
  const coverage: Map<number, Coverage>[] = victims.map((v, vi) => {
    const m = new Map<number, Coverage>();
    const from = v.contactAt - W;
    let first = Infinity;
    const add = (_row: number, p: number, fields: number, at: number, order: number, channel: number) => {
      let c = m.get(p);
      if (!c) m.set(p, (c = { cust: 0, ord: 0, reads: [] }));
      c.cust |= fields;
      if (orderLevel[vi] && order === v.order) c.ord |= fields;
      if (!orderLevel[vi] || order === v.order) first = Math.min(first, at);
      c.reads.push({ at, fields, order, channel, principal: p });
    };
    if (v.customer < index.byCustomerStart.length - 1) {
      const end = index.byCustomerStart[v.customer + 1]!;
      for (let k = index.firstRowOf(v.customer, from); k < end; k++) {
        const at = index.atOf(k);
        if (at >= v.contactAt) break;
        add(k, index.principal[k]!, index.fields[k]!, at, index.order[k]!, index.channel[k]!);
      }
    }
    index.forCustomerTail(v.customer, from, v.contactAt, add);
    unitStart.push(first);
    return m;
  });
  const unitMask = (vi: number, c: Coverage) => (orderLevel[vi] ? c.ord | (c.cust & CUSTOMER_FIELDS) : c.cust);
  const principalCovers = (vi: number, p: number) => {
    const c = coverage[vi]!.get(p);
    return !!c && (unitMask(vi, c) & victims[vi]!.knewMask) === victims[vi]!.knewMask;
  };

  // the self-controlled comparison for one suspect over the given victims: for each victim, the
  // full windows of H before the contact in the quiet part of its unit's life (starting at least
  // H after the last event of its order: placed, refund requested; the reads those events cause
  // fall before); a window counts if one member read the unit in it with the fields the caller
  // knew. Under "this suspect has nothing to do with it", the hazard window (the last one) is any
  // of the victim's windows with a read with equal chance, whatever the victim's traits.
  const nWindows = Math.max(1, Math.floor(W / H));
  // windows before the first read of the unit by anyone hold no read either: starting there too
  // only removes empty windows
  const quietFrom = victims.map((v, vi) => (v.lastEventAt === undefined ? Infinity : Math.max(v.lastEventAt + H, unitStart[vi]!)));
  const selfControlled = (members: readonly number[], list: readonly number[]): SuspectStat['selfControlled'] => {
    const ps: number[] = [];
    let hits = 0;
    for (const vi of list) {
      const v = victims[vi]!;
      const ne = Math.min(nWindows, Math.floor((v.contactAt - quietFrom[vi]!) / H));
      if (!(ne >= 2)) continue;
      const qualifies = new Uint8Array(ne);
      for (const p of members) {
        const c = coverage[vi]!.get(p);
        if (!c) continue;
        const cust = new Int32Array(ne);
        const ord = new Int32Array(ne);
        for (const r of c.reads) {
          const j = Math.floor((v.contactAt - r.at) / H);
          if (j >= ne) continue;
          cust[j]! |= r.fields;
          if (r.order === v.order) ord[j]! |= r.fields;
        }
        for (let j = 0; j < ne; j++) {
          const m = orderLevel[vi] ? ord[j]! | (cust[j]! & CUSTOMER_FIELDS) : cust[j]!;
          if ((m & v.knewMask) === v.knewMask) qualifies[j] = 1;
        }
      }
      const r = qualifies.reduce((a, b) => a + b, 0);
      if (!r) continue;
      ps.push(r / ne);
      hits += qualifies[0]!;
    }
    return { log10PValue: log10PoissonBinomialTail(ps, hits), inHazardWindow: hits, informative: ps.length, expected: ps.reduce((a, b) => a + b, 0) };
  };

  // the timing comparison (timed-comparison.ts): per victim, its matched units and who read them
  // in the hazard window; the stratum-wide rate is computed only for suspects the matched
  // comparison already makes significant (the test needs both)
  const victimSeed = victims.reduce((h, v) => Math.imul(h ^ v.customer, 0x9e3779b1) ^ Math.floor(v.contactAt / 1000), 0x5eed);
  const windows = matchedWindows(index, pop, victims, orderLevel, H, W, groupsOf, victimSeed);
  const gammaTimedOf = (key: number) => (membersOf(key).every((p) => opts.assigned?.(p)) ? 1 : s.minSelectionBiasTimed);
  const timedTest = (key: number, list: readonly number[], log10Level: number): SuspectStat['timed'] => {
    const informative = list.filter((vi) => windows.size[vi]! > 0);
    const hit = informative.filter((vi) => windows.hazard[vi]!.has(key));
    const rate = (vi: number) => (windows.counts[vi]!.get(key) ?? 0) / windows.size[vi]!;
    const biasTimed = gammaTimedOf(key);
    const matched = log10PoissonBinomialTail(
      informative.map((vi) => biasedRate(rate(vi), biasTimed)),
      hit.length,
    );
    let stratum: number | null = null;
    let bias = 1;
    if (hit.length && LOG10_TESTS + matched <= log10Level) {
      bias = selectionBiasToExplain(
        informative.map((vi) => ({ n: 1, p: rate(vi) })),
        hit.length,
        log10Level - LOG10_TESTS + Math.log10(weightOf(key) / totalWeight),
      );
      const members = membersOf(key);
      const gamma = gammaOf(key);
      const ps = informative.map((vi) => {
        const v = victims[vi]!;
        const level = orderLevel[vi]!;
        const unitStratum = victimStratum[vi]! - (level ? nS : 0);
        return biasedRate(stratumHazardShare(index, pop, members, level, unitStratum, v.contactAt - W, v.contactAt - H, v.contactAt, v.knewMask), gamma);
      });
      stratum = log10PoissonBinomialTail(ps, hit.length);
    }
    return {
      log10PValue: stratum === null ? 0 : Math.max(matched, stratum),
      inHazardWindow: hit.length,
      informative: informative.length,
      expected: informative.reduce((a, vi) => a + rate(vi), 0),
      biasTimed,
      selectionBiasToExplain: bias,
      log10PValueMatched: matched,
      log10PValueStratum: stratum,
    };
  };

  const suspects: SuspectStat[] = [];
  const attributed: number[] = [];
  const rounds: AttributionResult['rounds'] = [];
  let remaining = victims.map((_, i) => i);
  let round1: SuspectStat[] = [];
  let alphaTests = s.alpha;
  let alphaSampling = 0;
  // round 1 always runs (its statistics are reported); later rounds need enough victims left
  for (let round = 1; round <= s.maxRounds && (round === 1 || remaining.length >= s.minCovered); round++) {
    // Holm's step-down (weighted) carried across rounds: each attribution leaves the family with
    // its weight, and the next round tests what is left at α over the weight left (docs/areas/leaks.md)
    const m = family - attributed.length;
    let kStarC = -1;
    let kStarO = -1;
    let from = Infinity;
    let to = -Infinity;
    const nByStratum = new Array<number>(2 * nS).fill(0);
    for (const vi of remaining) {
      const v = victims[vi]!;
      if (orderLevel[vi]) kStarO = kStarO < 0 ? v.knewMask : kStarO & v.knewMask;
      else kStarC = kStarC < 0 ? v.knewMask : kStarC & v.knewMask;
      from = Math.min(from, v.contactAt - W);
      to = Math.max(to, v.contactAt);
      nByStratum[victimStratum[vi]! - 1]!++;
    }
    // coverage by principals, then by groups (a member covering the victim)
    const coveredBy = new Map<number, number[]>();
    const push = (key: number, vi: number) => {
      let l = coveredBy.get(key);
      if (!l) coveredBy.set(key, (l = []));
      if (l[l.length - 1] !== vi) l.push(vi);
    };
    for (const vi of remaining) {
      for (const p of coverage[vi]!.keys()) {
        if (!principalCovers(vi, p)) continue;
        push(p, vi);
        for (const g of groupsOf.get(p) ?? []) push(g, vi);
      }
    }
    const keys = [...coveredBy.keys()];
    const q: UnitQuery = { from, to, kStarC, kStarO };
    // readers of (nearly) everyone and groups would cost a pass over millions of reads: their
    // base rates come from a random sample of each stratum, as exact upper confidence bounds
    const rowsOf = (key: number) => membersOf(key).reduce((a, p) => a + index.rowCount(p), 0);
    const heavy = keys.filter((k) => rowsOf(k) > rowLimit);
    if (round === 1 && heavy.length && s.samplingAlphaShare > 0) {
      alphaSampling = s.alpha * s.samplingAlphaShare;
      alphaTests = s.alpha - alphaSampling;
    }
    // only the strata that hold victims enter a test, so only they get bounds (and share δ); the
    // others get a small sample's estimate, for display and the canary plan's audience
    const tested = (i: number) => nByStratum[i]! > 0 && (i < nS ? kStarC >= 0 : kStarO >= 0);
    let strataUsed = 0;
    for (let i = 0; i < 2 * nS; i++) if (tested(i)) strataUsed++;
    // each bound (a stratum's rate) fails with probability ≤ δ; over the rounds Σ 2^-k ≤ 1, so all
    // of them together fail with probability ≤ the sampling share of α
    const delta = heavy.length ? alphaSampling / 2 ** round / (heavy.length * Math.max(1, strataUsed)) : 1;
    const sampled = new Map<number, UnitCounts>();
    if (heavy.length) {
      const seed = victims.reduce((h, v) => Math.imul(h ^ v.customer, 0x9e3779b1) ^ Math.floor(v.contactAt / 1000), round * 7919);
      sampledRates(index, pop, heavy.map(membersOf), q, delta, seed, tested).forEach((r, i) => sampled.set(heavy[i]!, r.rates));
    }
    const stats: SuspectStat[] = [];
    for (const [key, list] of coveredBy) {
      const members = membersOf(key);
      let rates = sampled.get(key);
      if (!rates) {
        const h = exactHits(index, pop, members, q);
        const share = (hits: number[], sizes: number[]) => hits.map((x, i) => (sizes[i]! > 0 ? Math.min(1, x / sizes[i]!) : 1));
        rates = { customers: share(h.customers, popSizes.slice(0, nS)), orders: share(h.orders, popSizes.slice(nS)) };
      }
      const baseRates = [...rates.customers, ...rates.orders];
      const strata = nByStratum.map((n, i) => ({ n, p: baseRates[i]! }));
      const log10P = log10StratifiedBinomialTail(strata, list.length);
      const gamma = gammaOf(key);
      const log10Biased = log10StratifiedBinomialTail(
        strata.map((x) => ({ n: x.n, p: biasedRate(x.p, gamma) })),
        list.length,
      );
      const sc = selfControlled(members, list);
      const timed = timedTest(key, remaining, Math.log10(alphaTests));
      const log10Decision = Math.min(0, LOG10_TESTS + Math.min(log10Biased, sc.log10PValue, timed.log10PValue));
      let evidence: SuspectStat['evidence'] | undefined;
      const memberCounts: SuspectStat['members'] = [];
      if (key >= P) {
        for (const p of members) {
          const n = list.filter((vi) => principalCovers(vi, p)).length;
          if (n) memberCounts.push({ principal: p, covered: n });
        }
        memberCounts.sort((a, b) => b.covered - a.covered || a.principal - b.principal);
      }
      stats.push({
        key,
        principal: key < P ? key : -1,
        ...(key >= P ? { group: groups[key - P]! } : {}),
        round,
        tested: remaining.length,
        covered: list.length,
        missed: remaining.length - list.length,
        expected: strata.reduce((acc, x) => acc + x.n * x.p, 0),
        baseRates,
        sampled: sampled.has(key),
        burst: burstSet.has(key),
        pValue: 10 ** log10P,
        log10PValue: log10P,
        biasGuarded: gamma,
        log10PValueBiased: log10Biased,
        selectionBiasToExplain: 1,
        selfControlled: sc,
        timed,
        log10DecisionP: log10Decision,
        adjustedP: 1,
        log10AdjustedP: 0,
        log10AdjustedChanceP: 0,
        status: 'not_significant',
        members: memberCounts,
        // the reads behind each covered victim are gathered only for suspects someone looks at
        // (hundreds of suspects per round are tested, a few reported)
        get evidence() {
          return (evidence ??= list.map((vi) => ({
            victim: vi,
            reads: members.flatMap((p) => (principalCovers(vi, p) ? coverage[vi]!.get(p)!.reads : [])).sort((a, b) => a.at - b.at),
          })));
        },
      });
    }
    holmLog10(
      stats,
      totalWeight,
      weightOf,
      (x) => x.log10DecisionP,
      (x, a) => ((x.log10AdjustedP = a), (x.adjustedP = 10 ** a)),
    );
    holmLog10(
      stats,
      totalWeight,
      weightOf,
      (x) => x.log10PValue,
      (x, a) => (x.log10AdjustedChanceP = a),
    );
    // in the weighted Holm's order (p / weight), so the first is the one the step-down tests first
    const byWeight = (x: SuspectStat) => x.log10DecisionP - Math.log10(weightOf(x.key));
    stats.sort((a, b) => byWeight(a) - byWeight(b) || a.log10PValue - b.log10PValue || b.covered - a.covered || a.key - b.key);
    const level = Math.log10(alphaTests);
    const rejects = (x: SuspectStat | undefined) => !!x && x.log10AdjustedP <= level && x.covered >= s.minCovered && x.covered > x.expected;
    let top = stats[0];
    if (rejects(top) && top!.key >= P) top = preferMember(top!, stats, remaining, rejects, victimStratum, nS, level - Math.log10(totalWeight));
    const ok = rejects(top);
    // how robust each reported suspect is: the bias that would explain it at the test's level
    // (for a suspect the timing comparison makes significant, the larger of that and the bias that
    // would explain its reads before the calls among customers at the same point of their life)
    const log10Share = (key: number) => Math.log10(weightOf(key) / totalWeight);
    stats.forEach((x, i) => {
      const testLevel = Math.log10(alphaTests / 3) + log10Share(x.key);
      if (i < report || x === top || x.log10AdjustedChanceP <= level) x.selectionBiasToExplain = biasToExplain(x, nByStratum, testLevel);
      if (x.timed.log10PValue <= testLevel) x.selectionBiasToExplain = Math.max(x.selectionBiasToExplain, x.timed.selectionBiasToExplain);
    });
    rounds.push({
      round,
      alpha: alphaTests / totalWeight,
      alphaBurst: bursty.length ? (alphaTests * burstWeight) / totalWeight : 0,
      family: m,
      victims: remaining.length,
      attributed: ok ? top!.key : null,
    });
    if (round === 1) round1 = stats;
    if (!ok) {
      if (round > 1) suspects.push(...stats.slice(0, report));
      break;
    }
    top!.status = 'attributed';
    attributed.push(top!.key);
    totalWeight -= weightOf(top!.key);
    suspects.push(top!);
    const explained = new Set(coveredBy.get(top!.key));
    remaining = remaining.filter((vi) => !explained.has(vi));
  }
  // round-1 view of everyone else: associated with the victims beyond chance but not robust to
  // reporting bias, not excluded (read nearly every victim), or not significant
  const notExcluded: number[] = [];
  const associated: number[] = [];
  const need = Math.ceil(s.notExcludedCoverage * victims.length);
  for (const x of round1) {
    if (x.status === 'attributed' || attributed.includes(x.key)) continue;
    if (x.log10AdjustedChanceP <= Math.log10(alphaTests) && x.covered >= s.minCovered && x.covered > x.expected) {
      x.status = 'associated';
      if (x.key < P) associated.push(x.key);
    } else if (victims.length >= s.minCovered && x.covered >= need && x.key < P) {
      x.status = 'not_excluded';
      notExcluded.push(x.key);
    }
  }
  const shown = new Set(suspects);
  for (const x of round1.filter((x) => x.status === 'not_excluded' || x.status === 'associated'))
    if (!shown.has(x)) {
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

  // customers at risk: everyone the attributed suspect read since the leak began, estimated
  // conservatively from where its victims sit among its reads (leak-start.ts)
  const victimCustomers = new Set(inputVictims.map((v) => v.customer));
  const until = opts.now ?? Number.MAX_SAFE_INTEGER;
  const atRisk = attributed.map((key) => {
    const st = suspects.find((x) => x.key === key && x.status === 'attributed')!;
    const members = membersOf(key);
    let required = 0xffff;
    const victimReads: number[] = [];
    for (const e of st.evidence) {
      required &= victims[e.victim]!.knewMask;
      victimReads.push(Math.min(...e.reads.map((r) => r.at)));
    }
    const lookback = Math.min(...victimReads) - W;
    const reads: number[] = [];
    for (const p of members)
      index.forPrincipal(p, lookback, until, (_c, f, at) => {
        if ((f & required) === required) reads.push(at);
      });
    const from = leakStartBound(reads, victimReads, s.leakStartBeta);
    const masks = new Map<number, number>();
    for (const p of members) index.forPrincipal(p, from, until, (c, f) => masks.set(c, (masks.get(c) ?? 0) | f));
    const customers: number[] = [];
    for (const [c, m] of masks) if ((m & required) === required && !victimCustomers.has(c) && !opts.isCanary?.(c)) customers.push(c);
    customers.sort((a, b) => a - b);
    return { key, principal: key < P ? key : -1, from, customers };
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
    groups,
    alphaSpent: { tests: alphaTests, sampling: alphaSampling, bursts: bursty.length ? alphaTests * Math.min(s.burstAlphaShare, 0.99) : 0 },
    bursty,
    rounds,
    suspects,
    attributed,
    notExcluded,
    associated,
    takeover: { victimsWithPattern: takeoverVictims.length, share: takeoverShare, victims: takeoverVictims },
    atRisk,
    populationSizes: popSizes,
    strataLabels,
    victimStrata: victimStratum,
    orderLevelVictims: orderLevel.filter(Boolean).length,
    unexplained: remaining,
  };
}

/** Suspects with more reads than this get a sampled (upper-bounded) base rate. */
export const EXACT_ROW_LIMIT = 5_000;

function countStrata(list: readonly number[], victimStratum: readonly number[], n: number): number[] {
  const out = new Array<number>(n).fill(0);
  for (const vi of list) out[victimStratum[vi]! - 1]!++;
  return out;
}

/** The reporting bias that would explain a suspect's population coverage at the given log10 level. */
function biasToExplain(x: SuspectStat, nByStratum: readonly number[], log10Level: number): number {
  return selectionBiasToExplain(
    nByStratum.map((n, i) => ({ n, p: x.baseRates[i]! })),
    x.covered,
    log10Level,
  );
}

/**
 * Holm's weighted step-down adjustment in log10 space (Holm 1979) over a family of hypotheses of
 * total weight `total` (the ones not listed have p = 1 and still carry their weight): in order of
 * p/w, adjusted_i = max over j ≤ i of p_(j) · W_j / w_(j), capped at 1, where W_j is the weight
 * not yet rejected before step j. With every weight 1 it is the plain Holm (m − j + 1) p_(j).
 */
function holmLog10<T extends { key: number }>(
  xs: T[],
  total: number,
  weightOf: (key: number) => number,
  get: (x: T) => number,
  set: (x: T, log10Adj: number) => void,
) {
  const score = (x: T) => get(x) - Math.log10(weightOf(x.key));
  const order = [...xs].sort((a, b) => score(a) - score(b));
  let left = Math.max(
    total,
    xs.reduce((a, x) => a + weightOf(x.key), 0),
  );
  let running = -Infinity;
  for (const x of order) {
    const w = weightOf(x.key);
    running = Math.max(running, Math.min(0, get(x) + Math.log10(left / w)));
    set(x, running);
    left -= w;
  }
}

/**
 * A group is named only if no single member explains its coverage: when its member with the most
 * covered victims is itself rejected and the victims the group covers without that member are
 * not significant for the group on their own (among the tested victims that member did not
 * cover, at the per-hypothesis level), the member is named.
 */
function preferMember(
  group: SuspectStat,
  stats: SuspectStat[],
  tested: readonly number[],
  rejects: (x: SuspectStat) => boolean,
  victimStratum: readonly number[],
  nS: number,
  log10Level: number,
): SuspectStat {
  const best = group.members[0];
  if (!best) return group;
  const member = stats.find((x) => x.key === best.principal);
  if (!member || !rejects(member)) return group;
  const byMember = new Set(member.evidence.map((e) => e.victim));
  const rest = group.evidence.filter((e) => !byMember.has(e.victim)).length;
  const n = countStrata(
    tested.filter((vi) => !byMember.has(vi)),
    victimStratum,
    2 * nS,
  );
  const residual = rest
    ? log10StratifiedBinomialTail(
        n.map((k, i) => ({ n: k, p: group.baseRates[i]! })),
        rest,
      )
    : 0;
  return residual > log10Level ? member : group;
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
