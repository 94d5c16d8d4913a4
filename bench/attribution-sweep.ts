// The attribution sweep (issue #13): every leak kind over a grid of shop shapes, several seeds
// per shape, the reports fed one at a time in contact order to fanzha and to the named baseline
// (bench/baselines/per-order-screen.ts: per-order hypergeometric screen, Bonferroni, α = 0.01).
// Prints, per shape and leak kind, the right-first rate at 16 reports, the median reports to
// attribution and the false accusations, side by side; then no-leak and account-takeover worlds
// (reporters redrawn over each shop) for the false-attribution count.
//   npx tsx bench/attribution-sweep.ts --quick            (≈ 1–2 min on 2 cores)
//   npx tsx bench/attribution-sweep.ts [--seeds 5] [--null-draws 100] [--threads 2] [--json FILE] [--settings JSON]
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { sweepShapes } from '../src/sim/shop-shape.ts';
import { LEAK_KINDS, type LeakKind } from '../src/sim/leak-kinds.ts';
import { median } from '../src/lib/median.ts';
import { METHODS, type CellTask, type Outcome } from './lib/sweep-cell.ts';
import { runOnThreads } from './lib/thread-pool.ts';
import type { AttributionSettings } from '../src/investigations/attribution.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const quick = process.argv.includes('--quick');
const seeds = arg('seeds', quick ? 2 : 5);
const nullDraws = arg('null-draws', quick ? 20 : 100);
const threads = arg('threads', Math.max(1, availableParallelism()));
const jsonOut = process.argv.includes('--json') ? process.argv[process.argv.indexOf('--json') + 1] : undefined;
// fanzha's settings other than the defaults, e.g. --settings '{"minSelectionBiasTimed":1}'
const settings = process.argv.includes('--settings')
  ? (JSON.parse(process.argv[process.argv.indexOf('--settings') + 1]!) as Partial<AttributionSettings>)
  : undefined;
const LEAKS: LeakKind[] = LEAK_KINDS.filter((k) => k !== 'no-leak' && k !== 'account-takeover');
// no-leak and account-takeover worlds are investigated at these report counts (every fourth, to keep the run short)
const NULL_STEPS = [4, 8, 12, 16];

const shapes = sweepShapes({}, quick);
const tasks: CellTask[] = [];
for (const s of shapes) {
  for (let seed = 1; seed <= seeds; seed++) {
    tasks.push({
      shapeName: s.name,
      shape: s.shape,
      seed,
      kinds: LEAKS,
      nullDraws: Math.ceil(nullDraws / seeds),
      nullSteps: NULL_STEPS,
      ...(settings ? { settings } : {}),
    });
  }
}
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const outcomes: Outcome[] = [];
let done = 0;
await runOnThreads<CellTask, { outcome: Outcome }>(new URL('./lib/sweep.worker.ts', import.meta.url), tasks, threads, (m) => {
  outcomes.push(m.outcome);
  if (++done % 200 === 0) process.stderr.write(`  ${done} worlds×methods, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
});
const secs = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSecs = (cpu.user + cpu.system) / 1e6;

interface Cell {
  n: number;
  right: number;
  all: number;
  falseWorlds: number;
  falseEnd: number;
  toAttribution: number[];
}
function tally(list: Outcome[]): Cell {
  return {
    n: list.length,
    right: list.filter((o) => o.rightFirst).length,
    all: list.filter((o) => o.allLeakers).length,
    falseWorlds: list.filter((o) => o.falseEver).length,
    falseEnd: list.reduce((s, o) => s + o.falseAtEnd, 0),
    // a world never attributed counts as "more than every report" for the median
    toAttribution: list.map((o) => o.firstRightAt ?? Infinity),
  };
}
const med = (xs: number[]) => {
  const m = median(xs);
  return m === null ? '–' : Number.isFinite(m) ? String(m) : '>16';
};
const pick = (f: (o: Outcome) => boolean) => outcomes.filter(f);
const fmt = (c: Cell, kind: LeakKind) =>
  `${kind === 'two-leakers' ? `${c.right}/${c.n} (both ${c.all})` : `${c.right}/${c.n}`}  med ${med(c.toAttribution)}  false ${c.falseWorlds}`;

const lines: string[] = [];
const out = (s: string) => (lines.push(s), console.log(s));
out(
  `attribution sweep: ${shapes.length} shapes × ${seeds} seeds × ${LEAKS.length} leak kinds, reports fed one at a time; ${nullDraws}+ no-leak and ${nullDraws}+ account-takeover worlds per shape (investigated at ${NULL_STEPS.join(', ')} reports); ${threads} threads, ${secs.toFixed(0)} s wall, ${cpuSecs.toFixed(0)} s CPU (load average ${loadavg()[0]!.toFixed(1)})`,
);
out('right first at 16 reports / worlds, median reports to attribution (">16": not attributed in half), worlds with a false accusation on the way');
out('');
out(`| shape | leak | fanzha | baseline |`);
out(`|---|---|---|---|`);
const wins: string[] = [];
const losses: string[] = [];
for (const s of shapes) {
  for (const kind of LEAKS) {
    const [f, b] = METHODS.map((m) => tally(pick((o) => o.shape === s.name && o.kind === kind && o.method === m)));
    out(`| ${s.name} | ${kind} | ${fmt(f!, kind)} | ${fmt(b!, kind)} |`);
    const score = (c: Cell) => [c.right - 2 * c.falseWorlds, -(median(c.toAttribution) ?? Infinity)] as const;
    const [fs, bs] = [score(f!), score(b!)];
    const cell = `${s.name} / ${kind}`;
    if (fs[0] < bs[0] || (fs[0] === bs[0] && fs[1] < bs[1])) losses.push(cell);
    else if (fs[0] > bs[0] || fs[1] > bs[1]) wins.push(cell);
  }
}
out('');
out('| leak kind (all shapes) | fanzha | baseline |');
out('|---|---|---|');
for (const kind of LEAKS) {
  const [f, b] = METHODS.map((m) => tally(pick((o) => o.kind === kind && o.method === m)));
  out(`| ${kind} | ${fmt(f!, kind)} | ${fmt(b!, kind)} |`);
}
const [fAll, bAll] = METHODS.map((m) => tally(pick((o) => LEAKS.includes(o.kind) && o.method === m)));
out(
  `| **every leak** | ${fAll!.right}/${fAll!.n} med ${med(fAll!.toAttribution)} false ${fAll!.falseWorlds} | ${bAll!.right}/${bAll!.n} med ${med(bAll!.toAttribution)} false ${bAll!.falseWorlds} |`,
);
out('');
out('| no leak in the shop: worlds with anyone attributed (false) / worlds | fanzha | baseline |');
out('|---|---|---|');
for (const s of shapes) {
  const row = (['no-leak', 'account-takeover'] as const).map((kind) =>
    METHODS.map((m) => tally(pick((o) => o.shape === s.name && o.kind === kind && o.method === m))),
  );
  out(
    `| ${s.name}: no-leak · account-takeover | ${row[0]![0]!.falseWorlds}/${row[0]![0]!.n} · ${row[1]![0]!.falseWorlds}/${row[1]![0]!.n} | ${row[0]![1]!.falseWorlds}/${row[0]![1]!.n} · ${row[1]![1]!.falseWorlds}/${row[1]![1]!.n} |`,
  );
}
out('');
out(
  `fanzha better than the baseline in ${wins.length} cells, worse in ${losses.length}, equal in ${shapes.length * LEAKS.length - wins.length - losses.length}`,
);
if (losses.length) out(`fanzha loses: ${losses.join('; ')}`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ quick, seeds, nullDraws, secs, outcomes }));
