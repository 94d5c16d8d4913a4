// Builds what an investigation needs straight from a simulated world (no database): the access
// index, orders by customer, refunds and logins. The evaluation and the benchmark use this;
// the service builds the same structures from the database.
import { AccessIndex, Interner } from '../investigations/access-index.ts';
import {
  attribute,
  DEFAULT_SETTINGS,
  type AttributionResult,
  type AttributionSettings,
  type EngineVictim,
  type LoginRecord,
  type PrincipalGroup,
} from '../investigations/attribution.ts';
import { ASSIGNED_KINDS, buildPopulation, type PopulationOrder } from '../investigations/population.ts';
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

/** The world's reported victims as the engine takes them (with the last event of their order, as the service finds it). */
export function worldVictims(world: SimShop): EngineVictim[] {
  const refundsOf = new Map<number, number[]>();
  for (const r of world.refunds) (refundsOf.get(r.order) ?? refundsOf.set(r.order, []).get(r.order)!).push(r.requestedAt);
  return world.reportSubjects.map((r) => {
    const events = [world.orders[r.order]!.placedAt, ...(refundsOf.get(r.order) ?? [])].filter((t) => t < r.contactAt);
    return {
      customer: r.customer,
      order: r.order,
      contactAt: r.contactAt,
      knewMask: fieldsToMask(r.knewFields),
      ...(events.length ? { lastEventAt: Math.max(...events) } : {}),
    };
  });
}

/** The comparison population for victims: customers who ordered or asked for a refund in their window. */
export function worldPopulation(data: SimInvestigationData, victims: readonly EngineVictim[], windowDays: number) {
  const { world, index } = data;
  const from = Math.min(...victims.map((v) => v.contactAt)) - windowDays * DAY;
  const to = Math.max(...victims.map((v) => v.contactAt));
  const placed: PopulationOrder[] = [];
  world.orders.forEach((o, i) => {
    if (o.placedAt >= from && o.placedAt < to) placed.push({ order: i, customer: o.customer, at: o.placedAt });
  });
  const refunded: PopulationOrder[] = [];
  for (const r of world.refunds)
    if (r.requestedAt >= from && r.requestedAt < to) refunded.push({ order: r.order, customer: world.orders[r.order]!.customer, at: r.requestedAt });
  return buildPopulation(index.customers.size, index.orders.size, placed, refunded, victims);
}

/** Principals that share an org or a team (what principal.upserted says), as the service loads them. */
export function worldGroups(world: SimShop): PrincipalGroup[] {
  const by = new Map<string, PrincipalGroup>();
  world.principals.forEach((p, i) => {
    for (const kind of ['org', 'team'] as const) {
      const name = p[kind];
      if (!name) continue;
      const k = `${kind}:${name}`;
      let g = by.get(k);
      if (!g) by.set(k, (g = { kind, name, members: [] }));
      g.members.push(i);
    }
  });
  return [...by.values()].filter((g) => g.members.length >= 2);
}

export function investigateWorld(
  data: SimInvestigationData,
  settings: Partial<AttributionSettings> = {},
  victimsIn?: EngineVictim[],
  exactRowLimit?: number,
): AttributionResult {
  const { world, index } = data;
  const victims = victimsIn ?? worldVictims(world);
  const population = worldPopulation(data, victims, settings.windowDays ?? DEFAULT_SETTINGS.windowDays);
  return attribute(index, population, victims, {
    settings,
    logins: (c, f, t) => (data.loginsByCustomer.get(c) ?? []).filter((l) => l.at >= f && l.at < t),
    now: world.end,
    groups: worldGroups(world),
    assigned: (p) => ASSIGNED_KINDS.has(world.principals[p]?.kind ?? ''),
    exactRowLimit,
  });
}
