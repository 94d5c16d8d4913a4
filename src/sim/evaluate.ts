// `fanzha sim --evaluate`: runs a scenario over many seeds, investigates each world's reports
// with the real engine and scores the outcome against the ground truth.
import { median } from '../lib/median.ts';
import { generateWorld, type Scenario, type SimOptions } from './world.ts';
import { indexWorld, investigateWorld } from './sim-index.ts';
import { suspectId, type AttributionSettings } from '../investigations/attribution.ts';
import { decide, notExcludedOfResult, planDecision, type DecisionSettings } from '../canaries/decision.engine.ts';
import { observeDecision, observeSubstituteCalls } from './observe.ts';

const DAY = 86_400_000;

/** The deciding step on one seed: canaries planted for the not-excluded principals, and what came of them. */
export interface DecisionOutcome {
  /** Canaries planted per not-excluded principal. */
  canaries: Record<string, number>;
  status: 'decided' | 'observing' | 'undecided';
  confirmed: string[];
  trips: number;
  /**
   * correct: every leaker among the not-excluded confirmed, nobody else; wrong: an innocent
   * confirmed; undecided: a leaker among them not confirmed; cleared: no leaker among them and
   * nobody confirmed (the right answer when statistics already named the leaker).
   */
  outcome: 'correct' | 'wrong' | 'undecided' | 'cleared';
  /** Days from planting to the first trip of a confirmed principal. */
  daysToEvidence: number | null;
  /** With privacy waybills: the same principals decided from substitute calls alone, no canaries. */
  substitutes?: SubstituteOutcome;
}

/** The deciding step from the calls to the couriers' virtual numbers alone (zero canaries). */
export interface SubstituteOutcome {
  /** Calls to the not-excluded principals' substitutes up to the decision time. */
  calls: number;
  /** Virtual numbers the not-excluded principals were given (one per customer they shipped to). */
  virtualNumbers: number;
  status: 'decided' | 'observing' | 'undecided';
  confirmed: string[];
  outcome: DecisionOutcome['outcome'];
  /** Days from the investigation to the first call of a confirmed principal (0: already in hand). */
  daysToEvidence: number | null;
  /** Days from the leak's start (scoring only) to that call: how early it could have raised the alarm. */
  daysFromLeakStart: number | null;
}

export interface SeedOutcome {
  seed: number;
  reports: number;
  leakers: string[];
  verdict: string;
  attributed: string[];
  notExcluded: string[];
  topSuspect: string | null;
  correctFirst: boolean;
  allLeakersAttributed: boolean;
  falseAttributions: number;
  leakerNotExcluded: boolean;
  atRisk: number;
  atRiskTrulyLeaked?: number;
  /** Victims of the attributed leakers who had not reported (the ones a warning can still reach). */
  unreportedVictims: number;
  decision?: DecisionOutcome;
}

export interface DecidingSummary {
  /** Judged seeds that left not-excluded principals (the step ran on these). */
  seeds: number;
  decidedCorrectly: number;
  decidedWrongly: number;
  undecided: number;
  /** No leaker among the not-excluded, nobody confirmed. */
  clearedCorrectly: number;
  observationDays: number;
  /** Days to the first trip, over the correctly decided seeds. */
  daysToEvidence: { median: number | null; max: number | null };
  canariesPerPrincipal: { median: number | null; max: number | null };
  /** With privacy waybills: the same seeds decided from substitute calls alone. */
  substitutes?: SubstituteSummary;
}

export interface OutcomeTally {
  decidedCorrectly: number;
  decidedWrongly: number;
  undecided: number;
  clearedCorrectly: number;
}

export interface SubstituteSummary extends OutcomeTally {
  seeds: number;
  /** Watched numbers (canaries) this decision needs: none. */
  watchedNumbers: 0;
  /** Correctly decided seeds whose first substitute call came before the investigation ran. */
  evidenceAtInvestigation: number;
  daysToEvidence: { median: number | null; max: number | null };
  daysFromLeakStart: { median: number | null; max: number | null };
  /** Virtual numbers given to the not-excluded principals, per seed. */
  virtualNumbers: { median: number | null; max: number | null };
}

export interface ScenarioSummary {
  scenario: Scenario;
  seeds: number;
  /** Seeds with at least `minReports` reports (the others cannot be judged and are counted apart). */
  judged: number;
  tooFewReports: number;
  correctFirst: number;
  allLeakersAttributed: number;
  seedsWithFalseAttribution: number;
  falseAttributions: number;
  leakerNotExcluded: number;
  takeoverVerdicts: number;
  inconclusive: number;
  /** Over judged seeds: unreported victims of attributed leakers, and how many were among the customers at risk. */
  unreportedVictims: number;
  unreportedAtRisk: number;
  deciding: DecidingSummary;
  outcomes: SeedOutcome[];
}

/** correct, wrong, undecided or cleared (see DecisionOutcome.outcome). */
function outcomeOf(confirmed: readonly string[], notExcluded: readonly string[], leakers: readonly string[]): DecisionOutcome['outcome'] {
  const leakersIn = notExcluded.filter((p) => leakers.includes(p));
  if (confirmed.some((p) => !leakers.includes(p))) return 'wrong';
  if (leakersIn.length === 0) return 'cleared';
  return leakersIn.every((p) => confirmed.includes(p)) ? 'correct' : 'undecided';
}

function tally(t: OutcomeTally, outcome: DecisionOutcome['outcome']): void {
  if (outcome === 'correct') t.decidedCorrectly++;
  if (outcome === 'wrong') t.decidedWrongly++;
  if (outcome === 'undecided') t.undecided++;
  if (outcome === 'cleared') t.clearedCorrectly++;
}

export function evaluateScenario(
  base: Omit<SimOptions, 'seed'>,
  seeds: number[],
  opts: { minReports?: number; settings?: Partial<AttributionSettings>; decision?: Partial<DecisionSettings>; onSeed?: (o: SeedOutcome) => void } = {},
): ScenarioSummary {
  const minReports = opts.minReports ?? 10;
  const sum: ScenarioSummary = {
    scenario: base.scenario,
    seeds: seeds.length,
    judged: 0,
    tooFewReports: 0,
    correctFirst: 0,
    allLeakersAttributed: 0,
    seedsWithFalseAttribution: 0,
    falseAttributions: 0,
    leakerNotExcluded: 0,
    takeoverVerdicts: 0,
    inconclusive: 0,
    unreportedVictims: 0,
    unreportedAtRisk: 0,
    deciding: {
      seeds: 0,
      decidedCorrectly: 0,
      decidedWrongly: 0,
      undecided: 0,
      clearedCorrectly: 0,
      observationDays: 0,
      daysToEvidence: { median: null, max: null },
      canariesPerPrincipal: { median: null, max: null },
    },
    outcomes: [],
  };
  const days: number[] = [];
  const canaryCounts: number[] = [];
  const subs: SubstituteOutcome[] = [];
  for (const seed of seeds) {
    const world = generateWorld({ ...base, seed });
    const leakers = world.truth.leakers;
    if (world.reports.length < minReports) {
      sum.tooFewReports++;
      continue;
    }
    const data = indexWorld(world);
    const r = investigateWorld(data, opts.settings);
    const id = (key: number) => suspectId(r, key, data.index.principals);
    const attributed = r.attributed.map(id);
    const notExcluded = r.notExcluded.map(id);
    const top = r.suspects[0] ? id(r.suspects[0].key) : null;
    const leakedSet = new Set(world.truth.victims.map((v) => v.customerId));
    const unreported = new Set(world.truth.victims.filter((v) => !v.reported && attributed.includes(v.source)).map((v) => v.customerId));
    for (const v of world.truth.victims) if (v.reported) unreported.delete(v.customerId);
    const o: SeedOutcome = {
      seed,
      reports: world.reports.length,
      leakers,
      verdict: r.verdict,
      attributed,
      notExcluded,
      topSuspect: top,
      correctFirst: attributed.length > 0 && leakers.includes(attributed[0]!),
      allLeakersAttributed: leakers.length > 0 && leakers.every((l) => attributed.includes(l)),
      falseAttributions: attributed.filter((a) => !leakers.includes(a)).length,
      leakerNotExcluded: leakers.some((l) => notExcluded.includes(l)),
      atRisk: r.atRisk.reduce((s, x) => s + x.customers.length, 0),
      atRiskTrulyLeaked: r.atRisk.reduce((s, x) => s + x.customers.filter((c) => leakedSet.has(data.index.customers.id(c))).length, 0),
      unreportedVictims: unreported.size,
    };
    const warned = new Set(r.atRisk.flatMap((x) => x.customers.map((c) => data.index.customers.id(c))));
    sum.unreportedVictims += unreported.size;
    for (const c of unreported) if (warned.has(c)) sum.unreportedAtRisk++;
    if (notExcluded.length) {
      // The deciding step: the product plans from the investigation alone; the world answers.
      const kindOf = new Map(world.principals.map((p) => [p.id, p.kind]));
      const plan = planDecision(
        notExcludedOfResult(r, id, (x) => kindOf.get(x)),
        opts.decision,
      );
      const obs = observeDecision(world, plan);
      const now = world.end + plan.observationDays * DAY;
      const d = decide({ plan, planted: obs.planted, trips: obs.trips, now });
      const outcome = outcomeOf(d.confirmed, notExcluded, leakers);
      const firsts = d.principals.filter((p) => p.daysToEvidence !== null).map((p) => p.daysToEvidence!);
      o.decision = {
        canaries: Object.fromEntries(plan.principals.map((p) => [p.principalId, p.canaries])),
        status: d.status,
        confirmed: d.confirmed,
        trips: obs.trips.length,
        outcome,
        daysToEvidence: firsts.length ? Math.min(...firsts) : null,
      };
      const ds = sum.deciding;
      ds.seeds++;
      ds.observationDays = plan.observationDays;
      tally(ds, outcome);
      if (outcome === 'correct' && o.decision.daysToEvidence !== null) days.push(o.decision.daysToEvidence);
      canaryCounts.push(...plan.principals.map((p) => p.canaries));
      if (world.options.privacyWaybills) {
        // The same principals, decided from the calls to their virtual numbers alone: no canary is
        // planted, and the calls are what the provider reported up to the same decision time.
        const calls = observeSubstituteCalls(world, now).filter((c) => notExcluded.includes(c.principalId));
        const ds0 = decide({ plan: { ...plan, principals: plan.principals.map((p) => ({ ...p, canaries: 0 })) }, planted: [], substituteCalls: calls, now });
        const so = outcomeOf(ds0.confirmed, notExcluded, leakers);
        const first = ds0.principals.flatMap((p) => p.evidence.slice(0, 1).map((e) => e.at)).sort((a, b) => a - b)[0];
        const ix = new Map(world.principals.map((p, i) => [p.id, i]));
        const mine = new Set(notExcluded.map((p) => ix.get(p)));
        o.decision.substitutes = {
          calls: calls.length,
          virtualNumbers: world.substitutes.filter((x) => mine.has(x.principal)).length,
          status: ds0.status,
          confirmed: ds0.confirmed,
          outcome: so,
          daysToEvidence: so === 'correct' && first !== undefined ? Math.max(0, (first - world.end) / DAY) : null,
          daysFromLeakStart: so === 'correct' && first !== undefined ? (first - world.attack.leakStart) / DAY : null,
        };
        subs.push(o.decision.substitutes);
      }
    }
    sum.judged++;
    if (o.correctFirst) sum.correctFirst++;
    if (o.allLeakersAttributed) sum.allLeakersAttributed++;
    if (o.falseAttributions) sum.seedsWithFalseAttribution++;
    sum.falseAttributions += o.falseAttributions;
    if (o.leakerNotExcluded) sum.leakerNotExcluded++;
    if (r.verdict === 'consistent_with_account_takeover') sum.takeoverVerdicts++;
    if (r.verdict === 'inconclusive') sum.inconclusive++;
    sum.outcomes.push(o);
    opts.onSeed?.(o);
  }
  const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
  sum.deciding.daysToEvidence = { median: round1(median(days)), max: round1(days.length ? Math.max(...days) : null) };
  sum.deciding.canariesPerPrincipal = { median: median(canaryCounts), max: canaryCounts.length ? Math.max(...canaryCounts) : null };
  if (base.privacyWaybills) {
    const spread = (xs: (number | null)[], round = round1) => {
      const v = xs.filter((x): x is number => x !== null);
      return { median: round(median(v)), max: round(v.length ? Math.max(...v) : null) };
    };
    const t: OutcomeTally = { decidedCorrectly: 0, decidedWrongly: 0, undecided: 0, clearedCorrectly: 0 };
    for (const x of subs) tally(t, x.outcome);
    sum.deciding.substitutes = {
      seeds: subs.length,
      ...t,
      watchedNumbers: 0,
      evidenceAtInvestigation: subs.filter((x) => x.daysToEvidence === 0).length,
      daysToEvidence: spread(subs.map((x) => x.daysToEvidence)),
      daysFromLeakStart: spread(subs.map((x) => x.daysFromLeakStart)),
      virtualNumbers: spread(
        subs.map((x) => x.virtualNumbers),
        (x) => x,
      ),
    };
  }
  return sum;
}

export function formatSummary(s: ScenarioSummary): string {
  const pct = (n: number) => (s.judged ? `${((100 * n) / s.judged).toFixed(1)} %` : 'n/a');
  const lines = [`scenario ${s.scenario}: ${s.judged} seeds judged (${s.tooFewReports} of ${s.seeds} had too few reports)`];
  if (s.scenario === 'no-leak') {
    lines.push(
      `  false attributions: ${s.falseAttributions} (in ${s.seedsWithFalseAttribution} seeds)`,
      `  verdict "consistent with account takeover": ${s.takeoverVerdicts} (${pct(s.takeoverVerdicts)}), inconclusive: ${s.inconclusive}`,
    );
  } else if (s.scenario === 'two-leakers') {
    lines.push(
      `  both leakers attributed: ${s.allLeakersAttributed} (${pct(s.allLeakersAttributed)})`,
      `  a leaker attributed first: ${s.correctFirst} (${pct(s.correctFirst)})`,
      `  false attributions: ${s.falseAttributions} (in ${s.seedsWithFalseAttribution} seeds)`,
    );
  } else if (s.scenario === 'courier') {
    lines.push(
      `  leaking courier reported "not excluded": ${s.leakerNotExcluded} (${pct(s.leakerNotExcluded)})`,
      `  courier attributed by statistics alone: ${s.correctFirst}; false attributions: ${s.falseAttributions} (in ${s.seedsWithFalseAttribution} seeds)`,
      `  (a canary or the export fingerprint decides between the not-excluded principals: below)`,
    );
  } else {
    lines.push(
      `  right principal attributed first: ${s.correctFirst} (${pct(s.correctFirst)})`,
      `  false attributions: ${s.falseAttributions} (in ${s.seedsWithFalseAttribution} seeds)`,
    );
  }
  if (s.unreportedVictims)
    lines.push(
      `  victims who had not reported, found among the customers at risk: ${s.unreportedAtRisk} of ${s.unreportedVictims} (${((100 * s.unreportedAtRisk) / s.unreportedVictims).toFixed(1)} %)`,
    );
  const d = s.deciding;
  if (d.seeds) {
    lines.push(
      `  deciding step (canaries for the not-excluded principals, ${d.observationDays}-day observation) on ${d.seeds} seeds:`,
      `    leaker confirmed ${d.decidedCorrectly}, innocent confirmed ${d.decidedWrongly}, undecided ${d.undecided}, no leaker among them and none confirmed ${d.clearedCorrectly}`,
      `    days from planting to the first trip: median ${d.daysToEvidence.median ?? 'n/a'}, max ${d.daysToEvidence.max ?? 'n/a'}; canaries per principal: median ${d.canariesPerPrincipal.median ?? 'n/a'}, max ${d.canariesPerPrincipal.max ?? 'n/a'}`,
    );
  }
  const v = d.substitutes;
  if (v?.seeds) {
    lines.push(
      `  privacy waybills: the same principals decided from calls to their virtual numbers alone (0 canaries, 0 watched numbers) on ${v.seeds} seeds:`,
      `    leaker confirmed ${v.decidedCorrectly}, innocent confirmed ${v.decidedWrongly}, undecided ${v.undecided}, no leaker among them and none confirmed ${v.clearedCorrectly}`,
      `    first call already in hand when the investigation ran: ${v.evidenceAtInvestigation}; days from the investigation to it: median ${v.daysToEvidence.median ?? 'n/a'}, max ${v.daysToEvidence.max ?? 'n/a'}; from the leak's start: median ${v.daysFromLeakStart.median ?? 'n/a'}, max ${v.daysFromLeakStart.max ?? 'n/a'}`,
      `    virtual numbers given to the not-excluded principals: median ${v.virtualNumbers.median ?? 'n/a'}, max ${v.virtualNumbers.max ?? 'n/a'}`,
    );
  }
  return lines.join('\n');
}
