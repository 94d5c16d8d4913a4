// Deciding between the principals an investigation could not exclude. Statistics cannot single out
// a reader of nearly everything (the courier carrying 86 % of parcels, the BI sync), so the
// decision comes from planted evidence: canary customers exposed to exactly one of them (or canary
// rows in their fingerprinted exports). A canary that is contacted, or a leaked file that carries
// one of their canary rows or substitute phone values, names the one scope that held it.
// Pure functions: the service (POST /v1/investigations/:id/canaries, GET …/decision) and the
// simulator's evaluation both plan and decide with them. See docs/areas/leaks.md.
import type { ScopeKind } from './canaries.service.ts';

const DAY = 86_400_000;

export interface DecisionSettings {
  /** Chance we accept that a leaking principal's canaries all go uncontacted in the observation period. */
  missProbability: number;
  /** Fewest canaries planted per principal (a single one can be lost to chance or a typo). */
  minCanaries: number;
  /** Most canaries planted per principal: each needs a watched contact of its own. */
  maxCanaries: number;
  /** After this many days without a trip, a principal is reported "not confirmed". */
  observationDays: number;
}

export const DEFAULT_DECISION_SETTINGS: DecisionSettings = { missProbability: 0.05, minCanaries: 3, maxCanaries: 1000, observationDays: 30 };

/** What the investigation says about one not-excluded principal. */
export interface NotExcludedInput {
  principalId: string;
  /** Principal kind (staff, partner, system, api_client) when known. */
  kind?: string;
  /** Victims it covered. */
  covered: number;
  /**
   * How many customers of the investigation's population it read (Σ over strata of base rate ×
   * stratum size): the leads it would have had to sell if it were the leaker.
   */
  audience: number;
  /** It receives its data as export files (canary rows go into its next exports). */
  receivesExports?: boolean;
}

export interface PrincipalPlan {
  principalId: string;
  scope: { kind: ScopeKind; id: string };
  /** 'export': plant the canaries as rows of the principal's next fingerprinted export(s);
   *  'inject': the shop injects the canaries' events into that principal's feed only. */
  delivery: 'export' | 'inject';
  canaries: number;
  /** Estimated chance that one leaked record is contacted by the scammers (covered / audience). */
  contactRate: number;
  /** Chance that none of the canaries is contacted if this principal is the leaker (≤ missProbability unless capped). */
  missProbability: number;
}

export interface DecisionPlan {
  observationDays: number;
  principals: PrincipalPlan[];
}

/**
 * How many canaries each principal needs. If principal p were the leaker, the scammers contacted
 * about covered/audience of the records it leaked (a lower bound: unreported contacts are not
 * seen). n canaries all go uncontacted with probability (1 − rate)ⁿ, so n = ⌈ln β / ln(1 − rate)⌉.
 */
export function planDecision(principals: readonly NotExcludedInput[], settings: Partial<DecisionSettings> = {}): DecisionPlan {
  const s = { ...DEFAULT_DECISION_SETTINGS, ...settings };
  return {
    observationDays: s.observationDays,
    principals: principals.map((p) => {
      const rate = p.audience > 0 ? Math.min(1, Math.max(0, p.covered / p.audience)) : 0;
      const needed = rate >= 1 ? 1 : rate > 0 ? Math.ceil(Math.log(s.missProbability) / Math.log(1 - rate)) : Infinity;
      const canaries = Math.max(s.minCanaries, Math.min(s.maxCanaries, needed));
      return {
        principalId: p.principalId,
        scope: { kind: p.kind === 'api_client' ? 'api_client' : 'principal', id: p.principalId },
        delivery: p.receivesExports ? 'export' : 'inject',
        canaries,
        contactRate: rate,
        missProbability: rate > 0 ? Math.pow(1 - rate, canaries) : 1,
      };
    }),
  };
}

/** A canary planted for the decision (or any canary exposed only to one of the principals). */
export interface PlantedCanary {
  canaryId: string;
  principalId: string;
  plantedAt: number;
}

export interface TripInput {
  canaryId: string;
  at: number;
  tripId?: string;
  /** The principal the tripped canary was exposed to, for canaries planted outside the plan
   *  (an earlier export's canary rows): a trip of any canary exposed only to it is proof. */
  principalId?: string;
}

/** A leaked-file match (POST /v1/leaks/match) candidate reduced to what decides. */
export interface MatchInput {
  /** When the file was matched. */
  at: number;
  candidates: { scope: { kind: string; id: string }; verdict: string; canaryHits: { canaryId: string; via?: string[] }[]; substituteHits: number }[];
}

/** A call that reached a per-recipient substitute (virtual number or token) given to this principal only. */
export interface SubstituteCallInput {
  callId: string;
  principalId: string;
  at: number;
}

export type Evidence =
  | { kind: 'canary_trip'; canaryId: string; tripId?: string; at: number }
  | { kind: 'substitute_call'; callId: string; at: number }
  | { kind: 'leak_match'; canaryIds: string[]; substituteHits: number; at: number };

export interface PrincipalDecision {
  principalId: string;
  status: 'confirmed' | 'not_confirmed' | 'observing';
  canaries: number;
  plantedAt: number | null;
  evidence: Evidence[];
  /** Days from planting to the first evidence (confirmed only). */
  daysToEvidence: number | null;
}

export interface Decision {
  status: 'decided' | 'observing' | 'undecided';
  confirmed: string[];
  principals: PrincipalDecision[];
  observationEndsAt: number | null;
  summary: string;
}

/**
 * The decision at time `now`. A principal is confirmed by one trip of a canary exposed only to it,
 * by one call to a substitute given only to it, or by a leaked file fingerprinted to it (its canary
 * rows or substitutes in the file). Statistical coverage of a file never confirms a not-excluded principal: they read nearly everything, which is
 * why they are here. Without evidence a principal stays "observing" until the observation period
 * (from its first planted canary) is over, then "not confirmed".
 */
export function decide(input: {
  plan: DecisionPlan;
  planted: readonly PlantedCanary[];
  trips?: readonly TripInput[];
  matches?: readonly MatchInput[];
  substituteCalls?: readonly SubstituteCallInput[];
  now: number;
}): Decision {
  const { plan, planted, now } = input;
  const ownerOf = new Map(planted.map((c) => [c.canaryId, c.principalId]));
  const ids = new Set(plan.principals.map((p) => p.principalId));
  const evidence = new Map<string, Evidence[]>();
  const add = (p: string, e: Evidence) => (evidence.get(p) ?? evidence.set(p, []).get(p)!).push(e);
  for (const t of input.trips ?? []) {
    const p = ownerOf.get(t.canaryId) ?? t.principalId;
    // a trip reported before `now` only: the decision at a time must not see the future
    if (p && ids.has(p) && t.at <= now) add(p, { kind: 'canary_trip', canaryId: t.canaryId, ...(t.tripId ? { tripId: t.tripId } : {}), at: t.at });
  }
  // a substitute exists in one recipient's exports only: a call to it is proof like a canary trip
  for (const c of input.substituteCalls ?? [])
    if (ids.has(c.principalId) && c.at <= now) add(c.principalId, { kind: 'substitute_call', callId: c.callId, at: c.at });
  for (const m of input.matches ?? []) {
    if (m.at > now) continue;
    for (const c of m.candidates) {
      if (c.verdict !== 'fingerprinted') continue;
      // the file's canary rows name their own scopes; substitutes name the candidate recipient
      const byCanary = new Map<string, string[]>();
      for (const h of c.canaryHits) {
        // a canary found by its name alone is a hint (names repeat), not proof
        if (h.via && !h.via.some((v) => v !== 'name')) continue;
        const p = ownerOf.get(h.canaryId) ?? (c.scope.kind === 'principal' || c.scope.kind === 'api_client' ? c.scope.id : undefined);
        if (p && ids.has(p)) (byCanary.get(p) ?? byCanary.set(p, []).get(p)!).push(h.canaryId);
      }
      const recipient = c.scope.kind === 'principal' || c.scope.kind === 'api_client' ? c.scope.id : undefined;
      if (recipient && ids.has(recipient) && c.substituteHits > 0 && !byCanary.has(recipient)) byCanary.set(recipient, []);
      for (const [p, canaryIds] of byCanary) add(p, { kind: 'leak_match', canaryIds, substituteHits: p === recipient ? c.substituteHits : 0, at: m.at });
    }
  }
  const principals: PrincipalDecision[] = plan.principals.map((pp) => {
    const mine = planted.filter((c) => c.principalId === pp.principalId);
    const plantedAt = mine.length ? Math.min(...mine.map((c) => c.plantedAt)) : null;
    const ev = (evidence.get(pp.principalId) ?? []).sort((a, b) => a.at - b.at);
    const over = plantedAt !== null && now >= plantedAt + plan.observationDays * DAY;
    const status: PrincipalDecision['status'] = ev.length ? 'confirmed' : over ? 'not_confirmed' : 'observing';
    return {
      principalId: pp.principalId,
      status,
      canaries: mine.length,
      plantedAt,
      evidence: ev,
      daysToEvidence: ev.length && plantedAt !== null ? Math.max(0, (ev[0]!.at - plantedAt) / DAY) : null,
    };
  });
  const confirmed = principals.filter((p) => p.status === 'confirmed').map((p) => p.principalId);
  const observing = principals.filter((p) => p.status === 'observing').map((p) => p.principalId);
  const starts = principals.map((p) => p.plantedAt).filter((x): x is number => x !== null);
  const observationEndsAt = starts.length ? Math.min(...starts) + plan.observationDays * DAY : null;
  const status: Decision['status'] = confirmed.length ? 'decided' : observing.length ? 'observing' : 'undecided';
  const names = (xs: string[]) => xs.join(', ');
  const summary =
    status === 'decided'
      ? `Confirmed: ${names(confirmed)} (data planted only in ${confirmed.length > 1 ? 'their scopes' : 'its scope'} reached the scammers).` +
        (observing.length ? ` Still observing: ${names(observing)}.` : '')
      : status === 'observing'
        ? `Observing ${names(observing)}: no canary contacted yet.`
        : `Not confirmed: none of the ${principals.length} principals' canaries was contacted in ${plan.observationDays} days.`;
  return { status, confirmed, principals, observationEndsAt, summary };
}

/** Principals' reads of the population: Σ over strata of base rate × stratum size. */
const audienceOf = (rates: readonly number[], sizes: readonly number[]) => rates.reduce((s, r, i) => s + r * (sizes[i] ?? 0), 0);

/** The not-excluded principals of an engine result (the simulator's evaluation works on these). */
export function notExcludedOfResult(
  r: {
    notExcluded: number[];
    suspects: { principal: number; covered: number; baseRates: number[]; evidence: { reads: { channel: number }[] }[] }[];
    populationSizes: number[];
  },
  idOf: (p: number) => string,
  kindOf: (id: string) => string | undefined = () => undefined,
): NotExcludedInput[] {
  const EXPORT = 2; // CHANNEL_NAMES.indexOf('export')
  return r.notExcluded.map((p) => {
    const s = r.suspects.find((x) => x.principal === p)!;
    const id = idOf(p);
    return {
      principalId: id,
      kind: kindOf(id),
      covered: s.covered,
      audience: audienceOf(s.baseRates, r.populationSizes),
      receivesExports: s.evidence.some((e) => e.reads.some((a) => a.channel === EXPORT)),
    };
  });
}

/** The not-excluded principals of a stored investigation (GET /v1/investigations/:id). */
export function notExcludedOfInvestigation(inv: {
  notExcluded: { principalId: string; kind?: string; covered: number }[];
  suspects: { principalId: string | null; baseRates: { stratum: string; rate: number }[]; evidence: { reads: { channel: string }[] }[] }[];
  population: { stratum: string; size: number }[];
}): NotExcludedInput[] {
  const sizes = new Map(inv.population.map((p) => [p.stratum, p.size]));
  return inv.notExcluded.map((n) => {
    const s = inv.suspects.find((x) => x.principalId === n.principalId);
    const audience = s ? s.baseRates.reduce((acc, b) => acc + b.rate * (sizes.get(b.stratum) ?? 0), 0) : 0;
    return {
      principalId: n.principalId,
      kind: n.kind,
      covered: n.covered,
      audience,
      receivesExports: !!s?.evidence.some((e) => e.reads.some((a) => a.channel === 'export')),
    };
  });
}
