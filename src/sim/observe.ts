// The world after the investigation: the shop plants the canaries the product planned for the
// not-excluded principals, each reaches its one scope the way that scope ordinarily receives data
// (the courier's next daily export, the BI sync's next nightly run, a staff member's next
// working hours), and the world answers with its own attack model: a leaker leaks what it
// receives, the scammers call the share of leads their capacity allows (the canaries are extra
// leads and dilute it), after their usual delay, and a call to a canary's watched number is a
// trip. This is the world's side (it knows who leaks, from `world.attack`); the product's side
// only sees the plan, the planted canaries and the trips.
import { Prng } from './prng.ts';
import { mobileNumber } from './sim.data.ts';
import { readFieldsOf, scamCallDelay, type SimWorld } from './world.ts';
import { draftCanary, type CanaryDraft } from '../canaries/canaries.fakes.ts';
import type { DecisionPlan, PlantedCanary, SubstituteCallInput, TripInput } from '../canaries/decision.engine.ts';
import { FIELD_BIT } from '../lib/fields.ts';

const H = 3_600_000;
const DAY = 24 * H;

export interface SimCanary {
  canaryId: string;
  principal: number;
  /** The watched number (the shop's monitored pool). */
  phone: string;
  draft: CanaryDraft;
  deliveredAt: number;
}

export interface Observation {
  canaries: SimCanary[];
  planted: PlantedCanary[];
  trips: TripInput[];
  /** Canaries the leakers passed on, and those the scammers called (within the period or not). */
  leaked: number;
  called: number;
}

/** When a principal next receives data in its ordinary work, after `t`. */
function nextDelivery(world: SimWorld, p: number, t: number, r: Prng): number {
  const role = world.principals[p]!.role;
  const today = world.start + Math.floor((t - world.start) / DAY) * DAY; // Beijing midnight
  if (role === 'courier') {
    // the daily export of the day's shipments at 18:00 Beijing
    const at = today + 18 * H;
    return at >= t ? at : at + DAY;
  }
  if (role === 'bi' || role === 'reco') {
    // the nightly batch, 02:00–03:00
    const at = today + 2 * H + r.int(0, H);
    return at >= t ? at : at + DAY;
  }
  return t + r.exp(8 * H); // staff, sellers and API clients read their orders within hours
}

/**
 * Plants the plan's canaries at `at` (default: the end of the world, when the investigation ran)
 * and lets the world run for the plan's observation period.
 */
export function observeDecision(world: SimWorld, plan: DecisionPlan, opts: { at?: number } = {}): Observation {
  const t0 = opts.at ?? world.end;
  const until = t0 + plan.observationDays * DAY;
  const r = new Prng((world.options.seed * 2654435761 + 0x5eed) >>> 0);
  const inUse = new Set(world.customers.map((c) => c.phone));
  const byId = new Map(world.principals.map((p, i) => [p.id, i]));
  const { attack } = world;
  const out: Observation = { canaries: [], planted: [], trips: [], leaked: 0, called: 0 };
  // The gang's capacity is fixed: the canaries its leakers pass on join the leads leaking at the
  // period's rate and dilute the share it can call.
  const planned = new Map(plan.principals.map((pp) => [byId.get(pp.principalId), pp.canaries]));
  const extra = attack.leakers.reduce((n, l) => n + (planned.get(l.principal) ?? 0) * l.share, 0);
  const ongoing = (attack.leads * plan.observationDays * DAY) / Math.max(DAY, world.end - attack.leakStart);
  const callShare = extra > 0 ? (attack.callShare * ongoing) / (ongoing + extra) : attack.callShare;
  for (const pp of plan.principals) {
    const p = byId.get(pp.principalId);
    if (p === undefined) continue;
    // export canary rows copy the items of a real order of the same export, and a time in its range
    const lastExport = pp.delivery === 'export' ? world.exports.filter((e) => e.principal === p).at(-1) : undefined;
    const leaker = attack.leakers.find((l) => l.principal === p);
    const fields = readFieldsOf(world.principals[p]!);
    for (let k = 0; k < pp.canaries; k++) {
      let phone: string;
      do phone = mobileNumber(r);
      while (inUse.has(phone));
      inUse.add(phone);
      const model = lastExport?.orders.length ? world.orders[lastExport.orders[r.int(0, lastExport.orders.length)]!] : undefined;
      const draft = draftCanary({
        at: t0,
        ...(model
          ? {
              items: [
                model.items.map(({ sku, title, model: m, color, size, price, quantity }) => ({
                  sku,
                  title,
                  model: m,
                  color,
                  ...(size ? { size } : {}),
                  price,
                  quantity,
                })),
              ],
              placedAt: [model.placedAt],
            }
          : {}),
      });
      const canaryId = `cny-sim-${pp.principalId}-${k + 1}`;
      const deliveredAt = nextDelivery(world, p, t0, r);
      out.canaries.push({ canaryId, principal: p, phone, draft, deliveredAt });
      out.planted.push({ canaryId, principalId: pp.principalId, plantedAt: t0 });
      // the world's answer: a leaker passes on what it receives; the scammers call a share of it
      if (!leaker || deliveredAt < attack.leakStart || !(fields & FIELD_BIT.phone) || !r.chance(leaker.share)) continue;
      out.leaked++;
      if (!r.chance(callShare)) continue;
      out.called++;
      const at = Math.round(deliveredAt + scamCallDelay(r));
      if (at < until) out.trips.push({ canaryId, at, tripId: `call-${canaryId}` });
    }
  }
  return out;
}

/**
 * Privacy waybills: the calls the virtual-number provider saw reach a courier's substitute, up to
 * `until`, as the shop records them (POST /v1/exports/substitutes/calls): the number is looked up
 * in the exports' substitute table, which names the one recipient it was given to. Reads only
 * what the shop has (its substitutes and the provider's log), never the attack model.
 */
export function observeSubstituteCalls(world: Pick<SimWorld, 'principals' | 'substitutes' | 'substituteCalls'>, until: number): SubstituteCallInput[] {
  const recipientOf = new Map(world.substitutes.map((s) => [s.phone, world.principals[s.principal]!.id]));
  const out: SubstituteCallInput[] = [];
  for (const [i, c] of world.substituteCalls.entries()) {
    const principalId = recipientOf.get(c.phone);
    // an unknown number is not ours (the route answers 404)
    if (principalId && c.at <= until) out.push({ callId: `subcall-sim-${i + 1}`, principalId, at: c.at });
  }
  return out;
}
