// Builds what an investigation needs straight from a simulated world (no database): the access
// index, orders by customer, refunds and logins. The evaluation and the benchmark use this;
// the service builds the same structures from the database.
import { AccessIndex, Interner } from '../investigations/access-index.ts';
import { attribute, DEFAULT_SETTINGS, type AttributionResult, type AttributionSettings, type EngineVictim, type LoginRecord } from '../investigations/attribution.ts';
import { buildPopulation } from '../investigations/population.ts';
import { fieldsToMask } from '../lib/fields.ts';
import type { SimShop } from './world.ts';

const DAY = 86_400_000;

export interface SimInvestigationData {
  index: AccessIndex;
  world: SimShop;
  loginsByCustomer: Map<number, LoginRecord[]>;
}

export function indexWorld(world: SimShop): SimInvestigationData {
  const principals = new Interner();
  const customers = new Interner();
  const orders = new Interner();
  for (const p of world.principals) principals.intern(p.id);
  for (const c of world.customers) customers.intern(c.id);
  for (const o of world.orders) orders.intern(o.id);
  const a = world.access;
  const index = AccessIndex.fromColumns(
    { n: a.n, principal: a.principal, customer: a.customer, order: a.order, fields: a.fields, at: a.at, channel: a.channel },
    { principals, customers, orders },
  );
  const loginsByCustomer = new Map<number, LoginRecord[]>();
  for (const l of world.logins) {
    let list = loginsByCustomer.get(l.customer);
    if (!list) loginsByCustomer.set(l.customer, (list = []));
    list.push({ at: l.at, ok: l.ok, ip: l.ip, device: l.device });
  }
  return { index, world, loginsByCustomer };
}

/** Runs an investigation over the world's reports, as the service would over stored data. */
/** The world's reported victims as the engine takes them. */
export function worldVictims(world: SimShop): EngineVictim[] {
  return world.reportSubjects.map((r) => ({ customer: r.customer, contactAt: r.contactAt, knewMask: fieldsToMask(r.knewFields) }));
}

/** The comparison population for victims: customers who ordered or asked for a refund in their window. */
export function worldPopulation(data: SimInvestigationData, victims: readonly EngineVictim[], windowDays: number) {
  const { world, index } = data;
  const from = Math.min(...victims.map((v) => v.contactAt)) - windowDays * DAY;
  const to = Math.max(...victims.map((v) => v.contactAt));
  const ordered: number[] = [];
  for (const o of world.orders) if (o.placedAt >= from && o.placedAt < to) ordered.push(o.customer);
  const refunded: number[] = [];
  for (const r of world.refunds) if (r.requestedAt >= from && r.requestedAt < to) refunded.push(world.orders[r.order]!.customer);
  return buildPopulation(index.customers.size, ordered, refunded, victims.map((v) => v.customer));
}

export function investigateWorld(data: SimInvestigationData, settings: Partial<AttributionSettings> = {}, victimsIn?: EngineVictim[], exactRowLimit?: number): AttributionResult {
  const { world, index } = data;
  const victims = victimsIn ?? worldVictims(world);
  const population = worldPopulation(data, victims, settings.windowDays ?? DEFAULT_SETTINGS.windowDays);
  return attribute(index, population, victims, {
    settings,
    logins: (c, f, t) => (data.loginsByCustomer.get(c) ?? []).filter((l) => l.at >= f && l.at < t),
    now: world.end,
    exactRowLimit,
  });
}
