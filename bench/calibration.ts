// Calibration (issue #24 item 6): does "accused with probability at most α" hold when the people
// who report are not a random sample? In no-leak worlds (nobody in the shop leaked) reporters are
// drawn with a trait making them `bias` times likelier to report — activity (the most active
// buyers), one big seller's customers, one region, recent buyers — or by chance alone, redrawn
// over a few shops of the sweep's shapes. Prints the observed rate of accusing anyone with its
// exact 95 % interval beside α = 0.001 (fanzha) and beside the baseline (which uses α = 0.01).
// Then the leak-start bound: the rate at which it misses the true start, beside β, at 2, 3, 5 and
// 10 victims — over simulated read streams (the bound's model, rates 0.005–0.8) and over the
// insider and big-seller worlds of the sweep shapes (victims as the scammers chose them).
// With --innocent-burst every no-leak world also holds a bulk API client's read burst that leaks
// nothing (a legitimate re-sync of 2,000 recent orders one night): the principal the read-burst
// weighting favours is innocent, and it must still not be accused.
//   npx tsx bench/calibration.ts [--draws 3000] [--bias 8] [--reports 40] [--threads 2] [--innocent-burst]
//       [--mechanisms chance,refund] [--leak-start-only | --selection-only]
import { availableParallelism, loadavg } from 'node:os';
import { DEFAULT_SHAPE, sweepShapes } from '../src/sim/shop-shape.ts';
import { SELECTION_MECHANISMS, type SelectionMechanism } from '../src/sim/reporter-selection.ts';
import { generateShop } from '../src/sim/shaped-shop.ts';
import { leakWorld } from '../src/sim/leak-kinds.ts';
import { leakStartBound } from '../src/investigations/leak-start.ts';
import { Prng } from '../src/sim/prng.ts';
import { clopperPearson } from './lib/clopper-pearson.ts';
import { runOnThreads } from './lib/thread-pool.ts';
import type { CalibrationResult, CalibrationTask } from './lib/calibration.worker.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const DRAWS = arg('draws', 3000);
const BIAS = arg('bias', 8);
const REPORTS = arg('reports', 40);
const INNOCENT_BURST = process.argv.includes('--innocent-burst');
const MECHANISMS: readonly SelectionMechanism[] = process.argv.includes('--mechanisms')
  ? (process.argv[process.argv.indexOf('--mechanisms') + 1]!.split(',') as SelectionMechanism[])
  : SELECTION_MECHANISMS;
for (const m of MECHANISMS) if (!SELECTION_MECHANISMS.includes(m)) throw new Error(`unknown mechanism ${m}: use ${SELECTION_MECHANISMS.join(', ')}`);
const threads = arg('threads', Math.max(1, availableParallelism()));
const ALPHA = 0.001;
const BETA = 0.01;
const pct = (x: number) => `${(100 * x).toFixed(3)} %`;
const ci = (x: number, n: number) => {
  const [l, u] = clopperPearson(x, n);
  return `${x}/${n} = ${pct(x / n)} [${pct(l)}, ${pct(u)}]`;
};

// shops of the sweep's shapes where selection has most to exploit: many orders per customer, a
// big seller, a bulk API client reading nearly everything, plus the default; and a small shop,
// where even the nightly batch systems are light readers that get the timing comparison
const SHAPES = [
  ...sweepShapes().filter((s) => ['default', 'orders/customer=8', 'big seller=0.15', 'bulk API=0.9'].includes(s.name)),
  { name: 'small shop (600 customers)', shape: { ...DEFAULT_SHAPE, customers: 600, csCompanySize: 20, sellers: 60, apiClients: 30 } },
];

if (!process.argv.includes('--leak-start-only')) {
  const tasks: CalibrationTask[] = [];
  const chunk = 50;
  for (const mechanism of MECHANISMS) {
    let left = DRAWS;
    for (let i = 0; left > 0; i++) {
      const s = SHAPES[i % SHAPES.length]!;
      const draws = Math.min(chunk, left);
      tasks.push({
        shapeName: s.name,
        shape: s.shape,
        seed: 1,
        mechanism,
        bias: mechanism === 'chance' ? 1 : BIAS,
        reports: REPORTS,
        innocentBurst: INNOCENT_BURST,
        from: 1_000_000 * (i + 1),
        draws,
      });
      left -= draws;
    }
  }
  // the same shop's tasks go to the same thread where possible (each thread caches its shops)
  tasks.sort((a, b) => a.shapeName.localeCompare(b.shapeName));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const results: CalibrationResult[] = [];
  await runOnThreads<CalibrationTask, { result: CalibrationResult }>(new URL('./lib/calibration.worker.ts', import.meta.url), tasks, threads, (m) =>
    results.push(m.result),
  );
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `calibration: no-leak worlds${INNOCENT_BURST ? ' with an innocent read burst' : ''}, ${REPORTS} reports each, reporters with the trait ${BIAS}× likelier to report; shops: ${SHAPES.map((s) => s.name).join(', ')}; ${((performance.now() - t0) / 1000).toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU, ${threads} threads, load ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log('');
  console.log(`| selection | draws | fanzha: worlds with anyone accused [exact 95 % interval] (α = ${ALPHA}) | baseline (α = 0.01) |`);
  console.log('|---|---|---|---|');
  for (const m of MECHANISMS) {
    const rs = results.filter((r) => r.mechanism === m);
    const n = rs.reduce((s, r) => s + r.draws, 0);
    const f = rs.reduce((s, r) => s + r.accused.fanzha, 0);
    const b = rs.reduce((s, r) => s + r.accused.baseline, 0);
    const [, fu] = clopperPearson(f, n);
    console.log(`| ${m}${m === 'chance' ? '' : ` ×${BIAS}`} | ${n} | ${ci(f, n)}${fu <= 2 * ALPHA ? ' (upper ≤ 2α)' : ''} | ${ci(b, n)} |`);
  }
  const names = new Map<string, number>();
  for (const r of results) for (const x of r.names) names.set(`${r.mechanism} ${x}`, (names.get(`${r.mechanism} ${x}`) ?? 0) + 1);
  if (names.size) console.log(`fanzha accused: ${[...names].map(([k, v]) => `${k} ×${v}`).join(', ')}`);
  console.log('');
}

// ---- the leak-start bound ---------------------------------------------------------------------
if (process.argv.includes('--selection-only')) process.exit(0);
/** The rule before #24: go back ln β / ln(1 − q̂) reads, q̂ = (k − 1)/span (the estimate taken as the truth). */
function plugInBound(reads: number[], victimReads: number[], beta: number): number {
  const times = Float64Array.from(reads).sort();
  const pos = victimReads.map((t) => times.findIndex((x) => x >= t)).sort((a, b) => a - b);
  const span = pos.at(-1)! - pos[0]!;
  if (pos.length < 2 || span === 0) return times[0]!;
  const q = Math.min(1, (pos.length - 1) / span);
  const m = q >= 1 ? 0 : Math.ceil(Math.log(beta) / Math.log(1 - q));
  return Math.min(
    victimReads.reduce((a, b) => Math.min(a, b)),
    times[Math.max(0, pos[0]! - m)]!,
  );
}

console.log(`leak start: share of draws whose bound starts after the true start, beside β = ${BETA} [exact 95 % interval]`);
console.log('');
console.log(
  '| victims | read streams: fanzha (exact bound) | read streams: plug-in q̂ (before) | sweep worlds (insider, big seller): fanzha | sweep worlds: plug-in |',
);
console.log('|---|---|---|---|---|');
const worldDraws = arg('world-draws', 300);
const leakShops = SHAPES.slice(0, 2).map((s) => generateShop(s.shape, 2));
const worldSamples: { reads: number[]; victimReads: number[]; start: number }[][] = [[], [], [], []];
const KS = [2, 3, 5, 10];
for (let d = 0; d < worldDraws; d++) {
  const shop = leakShops[d % leakShops.length]!;
  const w = leakWorld(shop, d % 2 ? 'insider' : 'big-seller', 5000 + d, { noise: 0 });
  const leaker = w.principals.findIndex((p) => p.id === w.truth.leakers[0]);
  const start = Date.parse(w.truth.leakStart);
  const a = w.access;
  const reads: number[] = [];
  const rows: number[] = [];
  for (let i = 0; i < a.n; i++)
    if (a.principal[i] === leaker) {
      reads.push(a.at[i]!);
      rows.push(i);
    }
  // the leaker's first read of each reporter in the 60 days before the contact
  const firstRead = new Map<number, number>();
  for (const s of w.reportSubjects) {
    let t = Infinity;
    for (const i of rows) if (a.customer[i] === s.customer && a.at[i]! < s.contactAt && a.at[i]! >= s.contactAt - 60 * 86_400_000) t = Math.min(t, a.at[i]!);
    firstRead.set(s.customer, t);
  }
  KS.forEach((k, j) => {
    const vr = w.reportSubjects
      .slice(0, k)
      .map((s) => firstRead.get(s.customer)!)
      .filter(Number.isFinite);
    if (vr.length === k) worldSamples[j]!.push({ reads, victimReads: vr, start });
  });
}
KS.forEach((k, j) => {
  const prng = new Prng(77 + k);
  const draws = 20_000;
  let exact = 0;
  let plug = 0;
  for (let i = 0; i < draws; i++) {
    const q = Math.exp(Math.log(0.005) + prng.next() * (Math.log(0.8) - Math.log(0.005)));
    // reads before the start: the bound misses only when it stops after the start, so any prior
    // stretch gives the same miss rate (was 1,000,000 reads per draw: the run never finished)
    const start = 1_000;
    const victimReads: number[] = [];
    let t = start;
    while (victimReads.length < k) {
      if (prng.next() < q) victimReads.push(t);
      t++;
    }
    const reads: number[] = [];
    for (let x = 0; x < t + prng.int(0, 50); x++) reads.push(x);
    if (leakStartBound(reads, victimReads, BETA) > start) exact++;
    if (plugInBound(reads, victimReads, BETA) > start) plug++;
  }
  const ws = worldSamples[j]!;
  // a miss: the bound starts after the leaker's first read at or after the true start
  const firstLeaked = (s: (typeof ws)[number]) => s.reads.filter((t) => t >= s.start).reduce((a, b) => Math.min(a, b), Infinity);
  const we = ws.filter((s) => leakStartBound(s.reads, s.victimReads, BETA) > firstLeaked(s)).length;
  const wp = ws.filter((s) => plugInBound(s.reads, s.victimReads, BETA) > firstLeaked(s)).length;
  console.log(`| ${k} | ${ci(exact, draws)} | ${ci(plug, draws)} | ${ci(we, ws.length)} | ${ci(wp, ws.length)} |`);
});
