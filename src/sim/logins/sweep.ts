// `fanzha logins evaluate --sweep`: one shop's legitimate traffic against attack families that
// each move one parameter away from a base run (rotation, address spread, device ids, unknown
// usernames, pacing, valid pairs), replayed through fanzha and both baselines. The families are
// a map of the space, not a target: the code under test never sees these parameters.
import type { AttackSpec } from './attacks.ts';
import { generateTraffic, type TrafficOptions } from './traffic.ts';
import { replay, FanzhaDefender, type ReplayResult } from './replay.ts';
import { RlfLoginRecipe, Auth0Defaults } from './baselines.ts';
import type { GuardConfig } from '../../guard/guard.config.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface SweepOptions {
  seed: number;
  customers: number;
  days: number;
  loginsPerDay?: number;
  warmupDays?: number;
  /** Attack attempts per run, as a multiple of the measured legitimate sign-ins. */
  attackScale?: number;
  /** Only the families whose name contains this. */
  only?: string;
  guard?: GuardConfig;
  onFamily?: (name: string) => void;
}

export interface FamilyResult {
  family: string;
  spec: AttackSpec;
  validPairs: number;
  fanzha: ReplayResult;
  baselines: ReplayResult[];
  goalMet: boolean;
}

/** The families: a base like the issue's residential-proxy stream, then one axis at a time. */
export function families(days: number, attempts: number): { name: string; spec: AttackSpec }[] {
  const base: AttackSpec = {
    attempts,
    startAt: Math.floor(DAY * 1.2),
    durationMs: DAY,
    bursts: 1,
    attemptsPerIp: 5,
    prefixes: 0,
    providers: 0,
    customerProviders: false,
    ipv6Share: 0.2,
    devices: 'fresh',
    unknownShare: 0.7,
    validShare: 0.01,
  };
  const trickle = Math.max(1, days - 1.5) * DAY;
  const v: [string, Partial<AttackSpec>][] = [
    ['base: 5/IP, fresh device ids, 70 % unknown, 1 % valid, 24 h', {}],
    ['rotation: 1 attempt per IP', { attemptsPerIp: 1 }],
    ['rotation: 20 per IP', { attemptsPerIp: 20 }],
    ['rotation: 100 per IP', { attemptsPerIp: 100 }],
    ['spread: 3 /24s', { prefixes: 3, attemptsPerIp: 1 }],
    ['spread: one provider /16', { providers: 1, attemptsPerIp: 2 }],
    ['spread: 50 providers', { providers: 50 }],
    ["spread: inside the customers' own providers", { customerProviders: true, providers: 8, attemptsPerIp: 2 }],
    ['devices: one stable id per bot', { devices: 'stable' }],
    ['devices: absent', { devices: 'absent' }],
    ['devices: replayed from real customers', { devices: 'replayed' }],
    ['devices: mixed', { devices: 'mixed' }],
    ["usernames: none unknown (this shop's own list)", { unknownShare: 0 }],
    ['usernames: 30 % unknown', { unknownShare: 0.3 }],
    ['usernames: 90 % unknown', { unknownShare: 0.9 }],
    ['pacing: 15-minute burst', { durationMs: 15 * MIN }],
    ['pacing: 12 bursts over 2 days', { durationMs: 2 * DAY, bursts: 12 }],
    [`pacing: trickle over ${Math.round(trickle / DAY)} days`, { durationMs: trickle, startAt: Math.floor(DAY * 0.5) }],
    [
      'pacing: slow trickle (a third of the attempts over the days)',
      { durationMs: trickle, startAt: Math.floor(DAY * 0.5), attempts: Math.round(attempts / 3) },
    ],
    ['valid pairs: 0.2 %', { validShare: 0.002, attempts: attempts * 2 }],
    ['valid pairs: 3 %', { validShare: 0.03 }],
    [
      "worst mix: replayed ids, customers' providers, 1/IP, trickle, 30 % unknown",
      { devices: 'replayed', customerProviders: true, providers: 8, attemptsPerIp: 1, durationMs: trickle, startAt: Math.floor(DAY * 0.5), unknownShare: 0.3 },
    ],
  ];
  return v.map(([name, o]) => ({ name, spec: { ...base, ...o } }));
}

export async function runSweep(o: SweepOptions): Promise<FamilyResult[]> {
  const loginsPerDay = o.loginsPerDay ?? 0.5;
  const attempts = Math.round((o.attackScale ?? 1.5) * o.customers * loginsPerDay * o.days);
  const out: FamilyResult[] = [];
  for (const f of families(o.days, attempts)) {
    if (o.only && !f.name.includes(o.only)) continue;
    o.onFamily?.(f.name);
    const opts: TrafficOptions = {
      seed: o.seed,
      customers: o.customers,
      days: o.days,
      loginsPerDay,
      breachedPasswordShare: 0.1,
      newDeviceShare: 0.03,
      carrierShare: 0.4,
      travelShare: 0.01,
      warmupDays: o.warmupDays ?? 10,
      attacks: [f.spec],
    };
    const traffic = generateTraffic(opts);
    const [fanzha, ...baselines] = [
      await replay(traffic, new FanzhaDefender(o.guard)),
      await replay(traffic, new RlfLoginRecipe()),
      await replay(traffic, new Auth0Defaults()),
    ] as [ReplayResult, ...ReplayResult[]];
    const best = Math.min(...baselines.map((b) => b.takeovers));
    const goalMet = fanzha.takeovers * 10 <= best && fanzha.legitChallenged <= 0.01 * fanzha.legitAttempts && fanzha.legitDenied === 0;
    out.push({ family: f.name, spec: f.spec, validPairs: traffic.validPairs, fanzha, baselines, goalMet });
  }
  return out;
}

export function formatSweep(rs: FamilyResult[], markdown = false): string {
  const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(2) : '0.00') + ' %';
  const head = [
    'attack family',
    'valid pairs',
    'fanzha',
    'rate-limiter-flexible',
    'Auth0 defaults',
    'attack stopped (fanzha)',
    'legit challenged',
    'legit denied',
    'goal',
  ];
  const rows = rs.map((r) => [
    r.family,
    String(r.validPairs),
    String(r.fanzha.takeovers),
    String(r.baselines[0]!.takeovers),
    String(r.baselines[1]!.takeovers),
    pct(r.fanzha.attackStopped, r.fanzha.attackAttempts),
    `${r.fanzha.legitChallenged}/${r.fanzha.legitAttempts} (${pct(r.fanzha.legitChallenged, r.fanzha.legitAttempts)})`,
    String(r.fanzha.legitDenied),
    r.goalMet ? 'met' : 'NOT MET',
  ]);
  const reasons: Record<string, number> = {};
  for (const r of rs) for (const [k, n] of Object.entries(r.fanzha.legitReasons)) reasons[k] = (reasons[k] ?? 0) + n;
  const tail = [
    '',
    `families meeting the goal (≤ 1/10 of the better baseline's takeovers, ≤ 1 % of legitimate sign-ins challenged, none denied): ${rs.filter((r) => r.goalMet).length}/${rs.length}`,
    `takeovers over all families: fanzha ${rs.reduce((n, r) => n + r.fanzha.takeovers, 0)}, better baseline ${rs.reduce((n, r) => n + Math.min(...r.baselines.map((b) => b.takeovers)), 0)}`,
    `fanzha's reasons on legitimate sign-ins: ${
      Object.entries(reasons)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || 'none'
    }`,
  ];
  if (markdown) return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`), ...tail].join('\n');
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(w[i]!)).join('  ')).join('\n') + '\n' + tail.join('\n');
}
