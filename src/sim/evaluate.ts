// `fanzha sim --evaluate`: runs a scenario over many seeds, investigates each world's reports
// with the real engine and scores the outcome against the ground truth.
import { generateWorld, type Scenario, type SimOptions } from './world.ts';
import { indexWorld, investigateWorld } from './sim-index.ts';
import type { AttributionSettings } from '../leaks/attribution.ts';

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
  outcomes: SeedOutcome[];
}

export function evaluateScenario(
  base: Omit<SimOptions, 'seed'>,
  seeds: number[],
  opts: { minReports?: number; settings?: Partial<AttributionSettings>; onSeed?: (o: SeedOutcome) => void } = {},
): ScenarioSummary {
  const minReports = opts.minReports ?? 10;
  const sum: ScenarioSummary = { scenario: base.scenario, seeds: seeds.length, judged: 0, tooFewReports: 0, correctFirst: 0, allLeakersAttributed: 0, seedsWithFalseAttribution: 0, falseAttributions: 0, leakerNotExcluded: 0, takeoverVerdicts: 0, inconclusive: 0, unreportedVictims: 0, unreportedAtRisk: 0, outcomes: [] };
  for (const seed of seeds) {
    const world = generateWorld({ ...base, seed });
    const leakers = world.truth.leakers;
    if (world.reports.length < minReports) {
      sum.tooFewReports++;
      continue;
    }
    const data = indexWorld(world);
    const r = investigateWorld(data, opts.settings);
    const id = (p: number) => data.index.principals.ids[p]!;
    const attributed = r.attributed.map(id);
    const notExcluded = r.notExcluded.map(id);
    const top = r.suspects[0] ? id(r.suspects[0].principal) : null;
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
      atRiskTrulyLeaked: r.atRisk.reduce((s, x) => s + x.customers.filter((c) => leakedSet.has(data.index.customers.ids[c]!)).length, 0),
      unreportedVictims: unreported.size,
    };
    const warned = new Set(r.atRisk.flatMap((x) => x.customers.map((c) => data.index.customers.ids[c]!)));
    sum.unreportedVictims += unreported.size;
    for (const c of unreported) if (warned.has(c)) sum.unreportedAtRisk++;
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
  return sum;
}

export function formatSummary(s: ScenarioSummary): string {
  const pct = (n: number) => (s.judged ? `${((100 * n) / s.judged).toFixed(1)} %` : 'n/a');
  const lines = [`scenario ${s.scenario}: ${s.judged} seeds judged (${s.tooFewReports} of ${s.seeds} had too few reports)`];
  if (s.scenario === 'no-leak') {
    lines.push(`  false attributions: ${s.falseAttributions} (in ${s.seedsWithFalseAttribution} seeds)`, `  verdict "consistent with account takeover": ${s.takeoverVerdicts} (${pct(s.takeoverVerdicts)}), inconclusive: ${s.inconclusive}`);
  } else if (s.scenario === 'two-leakers') {
    lines.push(`  both leakers attributed: ${s.allLeakersAttributed} (${pct(s.allLeakersAttributed)})`, `  a leaker attributed first: ${s.correctFirst} (${pct(s.correctFirst)})`, `  false attributions: ${s.falseAttributions} (in ${s.seedsWithFalseAttribution} seeds)`);
  } else if (s.scenario === 'courier') {
    lines.push(`  leaking courier reported "not excluded": ${s.leakerNotExcluded} (${pct(s.leakerNotExcluded)})`, `  courier attributed by statistics alone: ${s.correctFirst}; false attributions: ${s.falseAttributions} (in ${s.seedsWithFalseAttribution} seeds)`, `  (a canary or the export fingerprint decides between the not-excluded principals)`);
  } else {
    lines.push(`  right principal attributed first: ${s.correctFirst} (${pct(s.correctFirst)})`, `  false attributions: ${s.falseAttributions} (in ${s.seedsWithFalseAttribution} seeds)`);
  }
  if (s.unreportedVictims) lines.push(`  victims who had not reported, found among the customers at risk: ${s.unreportedAtRisk} of ${s.unreportedVictims} (${((100 * s.unreportedAtRisk) / s.unreportedVictims).toFixed(1)} %)`);
  return lines.join('\n');
}
