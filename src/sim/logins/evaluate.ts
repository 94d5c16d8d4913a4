// `fanzha logins evaluate`: one simulated world, replayed through fanzha and both baselines.
import { generateTraffic, randomAttacks, type TrafficOptions } from './traffic.ts';
import { replay, FanzhaDefender, type ReplayResult } from './replay.ts';
import { RlfLoginRecipe, Auth0Defaults } from './baselines.ts';
import { Rng } from './random.ts';
import type { GuardConfig } from '../../guard/guard.config.ts';

export interface EvaluationOptions {
  seed: number;
  customers: number;
  days: number;
  attacks?: number;
  loginsPerDay?: number;
  warmupDays?: number;
  guard?: GuardConfig;
  onProgress?: (label: string, done: number, total: number) => void;
}

export interface EvaluationReport {
  options: Omit<TrafficOptions, 'attacks'> & { attacks: number };
  validPairs: number;
  results: ReplayResult[];
  /** Takeovers of the better baseline divided by fanzha's (Infinity when fanzha has none). */
  takeoverRatio: number;
  goalMet: boolean;
}

export function worldOptions(o: EvaluationOptions): TrafficOptions {
  const r = new Rng(o.seed ^ 0x5eed);
  const loginsPerDay = o.loginsPerDay ?? 0.5;
  return {
    seed: o.seed,
    customers: o.customers,
    days: o.days,
    loginsPerDay,
    breachedPasswordShare: 0.1,
    newDeviceShare: 0.03,
    warmupDays: o.warmupDays ?? 14,
    attacks: randomAttacks(r, o.days, o.customers * loginsPerDay, o.attacks ?? 4),
  };
}

export async function runEvaluation(o: EvaluationOptions): Promise<EvaluationReport> {
  const opts = worldOptions(o);
  const traffic = generateTraffic(opts);
  const results: ReplayResult[] = [];
  for (const d of [new FanzhaDefender(o.guard), new RlfLoginRecipe(), new Auth0Defaults()]) {
    results.push(await replay(traffic, d, o.onProgress ? (n) => o.onProgress!(d.name, n, traffic.attempts.length) : undefined));
  }
  const [f, ...bases] = results as [ReplayResult, ...ReplayResult[]];
  const best = Math.min(...bases.map((b) => b.takeovers));
  const takeoverRatio = f.takeovers === 0 ? (best === 0 ? 1 : Infinity) : best / f.takeovers;
  const goalMet = takeoverRatio >= 10 && f.legitChallenged <= 0.01 * f.legitAttempts && f.legitDenied === 0;
  return { options: { ...opts, attacks: opts.attacks.length }, validPairs: traffic.validPairs, results, takeoverRatio, goalMet };
}

export function formatReport(r: EvaluationReport): string {
  const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(2) : '0.00') + ' %';
  const lines = [
    `world: seed ${r.options.seed}, ${r.options.customers} customers, ${r.options.days} days, ${r.options.attacks} attacks, ${r.validPairs} valid pairs tried`,
    '',
    'defender                       takeovers  attack stopped          legit challenged        legit denied',
  ];
  for (const x of r.results) {
    lines.push(
      `${x.defender.padEnd(30)} ${String(x.takeovers).padStart(9)}  ${`${x.attackStopped}/${x.attackAttempts} (${pct(x.attackStopped, x.attackAttempts)})`.padEnd(22)}  ${`${x.legitChallenged}/${x.legitAttempts} (${pct(x.legitChallenged, x.legitAttempts)})`.padEnd(22)}  ${x.legitDenied}`,
    );
  }
  const f = r.results[0]!;
  if (Object.keys(f.legitReasons).length)
    lines.push(
      '',
      `fanzha reasons on legitimate attempts: ${Object.entries(f.legitReasons)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
    );
  lines.push(
    '',
    `takeover ratio (better baseline / fanzha): ${r.takeoverRatio === Infinity ? '∞ (fanzha: 0)' : r.takeoverRatio.toFixed(1) + '×'}; goal (≥10×, ≤1 % challenged, none denied): ${r.goalMet ? 'MET' : 'NOT MET'}`,
  );
  return lines.join('\n');
}
