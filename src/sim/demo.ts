// The demo loader for `fanzha serve --demo` (`npm start`; src/cli/serve.ts imports it only then):
// loads into an EMPTY database a simulated shop whose last weeks contain an insider leak, and
// prints an investigation request a newcomer can run at once; the victims' scam reports are filed
// through the reports service, so they form a case that can be investigated in one call.
import type { AppContext } from '../app/context.ts';
import { generateWorld, type SimReport, type SimWorld } from './world.ts';
import { worldEvents, type SimEvent } from './events.ts';
import { MAX_EVENTS_PER_REQUEST } from '../events/events.schemas.ts';
import { Value } from '@sinclair/typebox/value';
import { ReportInput, type ReportInputT } from '../reports/reports.schemas.ts';
import type { Caller } from '../http/roles.ts';

const DAY = 86_400_000;

export const DEMO_OPTIONS = { scenario: 'insider-agent' as const, seed: 2016, customers: 6000, days: 45, principals: 300 };

/** The demo world, ending at the most recent Beijing midnight so the leak is "in progress". */
export function demoWorld(now = Date.now()): SimWorld {
  const todayBj = Math.floor((now + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000;
  return generateWorld({ ...DEMO_OPTIONS, start: todayBj - DEMO_OPTIONS.days * DAY });
}

/** An investigation request over the demo's reported victims (victims given directly). */
export function demoInvestigationRequest(world: SimWorld) {
  return {
    victims: world.reportSubjects.map((r) => ({
      orderId: world.orders[r.order]!.id,
      contactAt: new Date(r.contactAt).toISOString(),
      knewFields: r.knewFields,
    })),
  };
}

/**
 * The world's events up to the moment the demo is loaded. The simulated shop runs on to its last
 * day's end (a few reads fall after it); a shop's feed holds nothing from its future.
 */
export function* demoEvents(world: SimWorld, now: number): Generator<SimEvent> {
  for (const e of worldEvents(world)) if (Date.parse(e.at) <= now) yield e;
}

export async function loadDemo(ctx: AppContext, say: (line: string) => void): Promise<SimWorld | null> {
  if (await ctx.services.shop.hasCustomers()) {
    say('fanzha demo: the database already holds customers; the demo shop is loaded only into an empty database.');
    return null;
  }
  const now = Date.now();
  const world = demoWorld(now);
  say(`fanzha demo: loading a simulated shop (scenario ${DEMO_OPTIONS.scenario}, seed ${DEMO_OPTIONS.seed})…`);
  let batch: unknown[] = [];
  let accepted = 0;
  for (const e of demoEvents(world, now)) {
    batch.push(e);
    if (batch.length === MAX_EVENTS_PER_REQUEST) {
      accepted += (await ctx.services.events.ingest(batch)).accepted;
      batch = [];
    }
  }
  if (batch.length) accepted += (await ctx.services.events.ingest(batch)).accepted;
  // The victims' reports arrive the way a shop's customer service would file them: through the
  // reports service, as staff entering what customers told them.
  await submitDemoReports(ctx, world.reports);
  // counted after filing: a later report can link (and merge) cases formed by earlier ones
  const cases = await ctx.services.reports.listCases({ limit: 1000, offset: 0, minReports: 1 });
  say(
    `  ${accepted} events: ${world.customers.length} customers, ${world.orders.length} orders, ${world.refunds.length} refunds, ${world.principals.length} principals (customer-service vendors, after-sales, warehouse, couriers, sellers, systems, API clients), ${world.access.n} data reads, ${world.exports.length} courier exports.`,
  );
  say(
    `  A leak is in progress: ${world.reports.length} customers reported fake customer-service calls (loaded as reports, in ${cases.length} case${cases.length === 1 ? '' : 's'}).`,
  );
  const biggest = cases[0]; // listCases orders by report count
  if (biggest) {
    say(`  Investigate the largest case (${biggest.reports} reports) with an analyst or admin key:`);
    say(
      `    curl -s -X POST http://127.0.0.1:${ctx.config.port}/v1/investigations -H "Authorization: Bearer <key>" -H 'content-type: application/json' -d '{"caseId":"${biggest.id}"}'`,
    );
    say('  or give the victims directly:');
  }
  const req = demoInvestigationRequest(world);
  const example = { victims: req.victims.slice(0, 3) };
  say(`    curl -s -X POST http://127.0.0.1:${ctx.config.port}/v1/investigations -H "Authorization: Bearer <key>" -H 'content-type: application/json' \\`);
  say(`      -d '${JSON.stringify({ victims: req.victims }).replace(/'/g, "'\\''")}'`);
  say(`  (the first victims: ${JSON.stringify(example)})`);
  return world;
}

/** Files the reports through the reports service, as staff entering what customers told them. */
async function submitDemoReports(ctx: AppContext, reports: SimReport[]): Promise<void> {
  const caller: Caller = { keyId: 'demo', keyName: 'demo loader', role: 'agent', principalId: null };
  for (const r of reports) {
    // Apply the schema's defaults (empty lists) exactly as the HTTP route does before the service.
    const body = Value.Default(ReportInput, structuredClone(r)) as ReportInputT;
    await ctx.services.reports.submit(body, caller);
  }
}
