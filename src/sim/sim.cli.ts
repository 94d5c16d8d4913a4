// `fanzha sim`: writes a simulated shop as NDJSON events, its scam reports and (apart) its
// ground truth; with --evaluate, runs the scenario over many seeds and scores investigations.
import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { generateWorld, SCENARIOS, type Scenario } from './world.ts';
import { worldEvents } from './events.ts';
import { evaluateScenario, formatSummary } from './evaluate.ts';
import { addShapeOptions, leakKindOf, leakOptionsFrom, shapeFromOptions } from './shape.cli.ts';
import { generateShop } from './shaped-shop.ts';
import { DEFAULT_SHAPE } from './shop-shape.ts';
import { leakWorld, shopView } from './leak-kinds.ts';

function int(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a non-negative integer: ${v}`);
  return n;
}

async function writeLines(file: string, lines: Iterable<unknown>): Promise<number> {
  const out = createWriteStream(file);
  let n = 0;
  let buf = '';
  for (const x of lines) {
    buf += JSON.stringify(x) + '\n';
    n++;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return n;
}

export function registerSimCommands(program: Command) {
  const sim = program
    .command('sim')
    .description('generate a simulated shop with an attack (events, scam reports, ground truth), or evaluate investigations over many seeds')
    .option('--scenario <name>', `one of ${SCENARIOS.join(', ')}, or "all" with --evaluate`, 'insider-agent')
    .option('--seed <n>', 'seed of the world', int, 1)
    .option('--seeds <n>', 'with --evaluate: number of seeds (1..N)', int, 20)
    .option('--customers <n>', 'customers', int, 30_000)
    .option('--days <n>', 'days of history', int, 90)
    .option('--principals <n>', 'principals (staff, partners, systems, API clients)', int, 1000)
    .option('--out <prefix>', 'write PREFIX.events.ndjson, PREFIX.reports.ndjson and PREFIX.truth.json', 'sim')
    .option('--evaluate', "investigate each seed's reports and print attribution accuracy and false attributions")
    .option('--min-reports <n>', 'with --evaluate: judge only seeds with at least this many reports', int, 10)
    .option('--max-canaries <n>', 'with --evaluate: most canaries planted per not-excluded principal (default 1000)', int)
    .option('--observation-days <n>', 'with --evaluate: days to watch the canaries before "not confirmed" (default 30)', int)
    .option(
      '--privacy-waybills',
      'courier exports carry a virtual number per (courier, customer) instead of the phone; with --evaluate the deciding step is also run from calls to those numbers alone',
    )
    .option('--json', 'with --evaluate: print the summary, the deciding step and the per-seed outcomes as JSON too');
  addShapeOptions(sim).action(async (o) => {
    if (o.kind) {
      // a shaped world (issue #13): a shop of the given shape with one leak kind
      const shape = shapeFromOptions(o, sim.getOptionValueSource('customers') === 'default' ? DEFAULT_SHAPE.customers : o.customers, o.days);
      const t0 = performance.now();
      const w = leakWorld(generateShop(shape, o.seed), leakKindOf(o.kind), o.seed, leakOptionsFrom(o));
      const events = await writeLines(`${o.out}.events.ndjson`, worldEvents(shopView(w)));
      const reports = await writeLines(`${o.out}.reports.ndjson`, w.reports);
      await writeLines(`${o.out}.truth.json`, [w.truth]);
      process.stderr.write(
        `sim ${o.kind} seed ${o.seed}: ${w.customers.length} customers, ${w.orders.length} orders, ${w.principals.length} principals, ${w.access.n} reads\n` +
          `  wrote ${events} events to ${o.out}.events.ndjson, ${reports} scam reports to ${o.out}.reports.ndjson and the ground truth to ${o.out}.truth.json in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
      );
      return;
    }
    const scenarios: Scenario[] = o.scenario === 'all' ? [...SCENARIOS] : [o.scenario];
    for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario "${s}"; use one of ${SCENARIOS.join(', ')}`);
    const base = { customers: o.customers, days: o.days, principals: o.principals, ...(o.privacyWaybills ? { privacyWaybills: true } : {}) };
    if (o.evaluate) {
      const seeds = Array.from({ length: o.seeds }, (_, i) => i + 1);
      for (const scenario of scenarios) {
        const t0 = performance.now();
        const sum = evaluateScenario({ ...base, scenario }, seeds, {
          minReports: o.minReports,
          decision: {
            ...(o.maxCanaries !== undefined ? { maxCanaries: o.maxCanaries } : {}),
            ...(o.observationDays !== undefined ? { observationDays: o.observationDays } : {}),
          },
          onSeed: (x) =>
            process.stderr.write(
              `  seed ${x.seed}: ${x.reports} reports, verdict ${x.verdict}, attributed [${x.attributed.join(', ')}], not excluded [${x.notExcluded.join(', ')}]` +
                (x.decision
                  ? `; canaries ${JSON.stringify(x.decision.canaries)}, ${x.decision.trips} trips, confirmed [${x.decision.confirmed.join(', ')}] (${x.decision.outcome})`
                  : '') +
                (x.decision?.substitutes
                  ? `; substitutes: ${x.decision.substitutes.calls} calls, confirmed [${x.decision.substitutes.confirmed.join(', ')}] (${x.decision.substitutes.outcome})`
                  : '') +
                '\n',
            ),
        });
        process.stdout.write(
          `${formatSummary(sum)}\n  (${o.seeds} seeds, ${o.customers} customers, ${o.days} days, ${o.principals} principals, ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
        );
        if (o.json) process.stdout.write(JSON.stringify(sum) + '\n');
      }
      return;
    }
    if (scenarios.length !== 1) throw new Error('generate one scenario at a time (use --evaluate for "all")');
    const t0 = performance.now();
    const world = generateWorld({ ...base, scenario: scenarios[0]!, seed: o.seed });
    const events = await writeLines(`${o.out}.events.ndjson`, worldEvents(world));
    const reports = await writeLines(`${o.out}.reports.ndjson`, world.reports);
    await writeLines(`${o.out}.truth.json`, [world.truth]);
    const secs = (performance.now() - t0) / 1000;
    process.stderr.write(
      `sim ${scenarios[0]} seed ${o.seed}: ${world.customers.length} customers, ${world.orders.length} orders, ${world.refunds.length} refunds, ${world.principals.length} principals, ${world.access.n} reads, ${world.exports.length} exports\n` +
        `  wrote ${events} events to ${o.out}.events.ndjson, ${reports} scam reports (POST /v1/reports bodies) to ${o.out}.reports.ndjson,\n` +
        `  and the ground truth to ${o.out}.truth.json (keep it away from the system under test) in ${secs.toFixed(1)} s\n` +
        `  import with: npx fanzha import ${o.out}.events.ndjson\n`,
    );
  });
}
