// The deciding step in small simulated worlds: the product plans canaries from the investigation
// alone, the world answers with its own attack model, the product decides from the trips.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateWorld, type SimWorld } from './world.ts';
import { indexWorld, investigateWorld } from './sim-index.ts';
import { observeDecision, observeSubstituteCalls } from './observe.ts';
import { evaluateScenario, formatSummary } from './evaluate.ts';
import { decide, notExcludedOfResult, planDecision } from '../canaries/decision.engine.ts';
import { normalizePhone } from '../lib/phone.ts';

const SMALL = { customers: 800, days: 30, principals: 100 };
const DAY = 86_400_000;

/** The world as the deciding code may see it: any read of the ground truth throws. */
function withoutTruth(world: SimWorld): SimWorld {
  return { ...world, truth: new Proxy({} as SimWorld['truth'], { get: () => assert.fail('the deciding step read world.truth') }) };
}

/** Plans for the given principals (sized as the product would), observes the world, decides. */
function runDecision(world: SimWorld, principalIds: string[]) {
  const data = indexWorld(world);
  const r = investigateWorld(data);
  const idOf = (p: number) => data.index.principals.id(p);
  const fromResult = notExcludedOfResult(r, idOf);
  // principals the investigation did not list are planned on the same footing as the first listed one
  const base = fromResult[0] ?? { covered: 10, audience: 1000 };
  const inputs = principalIds.map(
    (id) =>
      fromResult.find((x) => x.principalId === id) ?? {
        principalId: id,
        covered: base.covered,
        audience: base.audience,
        receivesExports: id.startsWith('courier'),
      },
  );
  const plan = planDecision(inputs);
  const obs = observeDecision(world, plan);
  return { plan, obs, decision: decide({ plan, planted: obs.planted, trips: obs.trips, now: world.end + plan.observationDays * DAY }) };
}

describe('deciding between not-excluded principals in the simulated world', () => {
  it('confirms the leaking courier by its canaries and never the BI sync or the other couriers', () => {
    for (const seed of [1, 2, 3]) {
      const world = generateWorld({ ...SMALL, scenario: 'courier', seed });
      const { plan, obs, decision } = runDecision(withoutTruth(world), ['courier-1', 'courier-2', 'courier-3', 'courier-4', 'sys-bi']);
      assert.ok(plan.principals.every((p) => p.canaries >= 3));
      assert.deepEqual(decision.confirmed, world.truth.leakers, `seed ${seed}`);
      assert.deepEqual(world.truth.leakers, ['courier-1']);
      assert.ok(obs.trips.length >= 1);
      const c1 = decision.principals.find((p) => p.principalId === 'courier-1')!;
      assert.ok(c1.daysToEvidence! > 0 && c1.daysToEvidence! < plan.observationDays);
      for (const p of decision.principals.filter((x) => x.principalId !== 'courier-1'))
        assert.equal(p.status, 'not_confirmed', `${p.principalId} seed ${seed}`);
    }
  });

  it('plants canaries that look like customers, on watched numbers nobody else uses, delivered to their scope after the plan', () => {
    const world = generateWorld({ ...SMALL, scenario: 'courier', seed: 4 });
    const { obs } = runDecision(world, ['courier-1', 'sys-bi']);
    const phones = new Set(world.customers.map((c) => c.phone));
    const seen = new Set<string>();
    for (const c of obs.canaries) {
      assert.ok(normalizePhone(c.phone)?.startsWith('+861') && !phones.has(c.phone) && !seen.has(c.phone));
      seen.add(c.phone);
      assert.match(c.draft.name, /^[\u4e00-\u9fa5]{2,3}$/);
      assert.ok(c.draft.orders.length >= 1 && c.draft.orders.every((o) => o.items.length && o.items.every((i) => i.price > 0)));
      assert.ok(c.deliveredAt >= world.end && c.deliveredAt < world.end + 2 * DAY);
    }
    // courier canaries copy items of the courier's own shipments
    const titles = new Set(world.orders.flatMap((o) => o.items.map((i) => i.title)));
    assert.ok(obs.canaries.filter((c) => world.principals[c.principal]!.id === 'courier-1').every((c) => titles.has(c.draft.orders[0]!.items[0]!.title)));
    // every trip is of a canary exposed to a leaker, and after it was delivered
    const leaker = new Set(world.attack.leakers.map((l) => l.principal));
    const byId = new Map(obs.canaries.map((c) => [c.canaryId, c]));
    for (const t of obs.trips) assert.ok(leaker.has(byId.get(t.canaryId)!.principal) && t.at > byId.get(t.canaryId)!.deliveredAt);
  });

  it('confirms nobody in a world without a leak', () => {
    for (const seed of [1, 2]) {
      const world = generateWorld({ ...SMALL, scenario: 'no-leak', seed });
      const { obs, decision } = runDecision(withoutTruth(world), ['courier-1', 'sys-bi', 'api-2']);
      assert.equal(obs.trips.length, 0);
      assert.deepEqual(decision.confirmed, []);
      assert.equal(decision.status, 'undecided');
    }
  });

  it('is scored by the evaluation: the courier decided, the BI sync cleared where the leaker was attributed', () => {
    const courier = evaluateScenario({ ...SMALL, scenario: 'courier' }, [1, 2], { minReports: 3 });
    assert.equal(courier.deciding.seeds, courier.judged);
    assert.ok(courier.judged >= 1);
    assert.equal(courier.deciding.decidedCorrectly, courier.judged);
    assert.equal(courier.deciding.decidedWrongly, 0);
    // The BI sync is cleared either by statistics (with order-level evidence it often had not read
    // the quoted order before the call) or, when it stays not excluded, by its own canaries.
    assert.ok(courier.outcomes.every((o) => o.decision?.confirmed.join() === 'courier-1'));
    assert.ok(courier.outcomes.every((o) => o.decision!.canaries['sys-bi'] === undefined || o.decision!.canaries['sys-bi']! >= 3));
    const seller = evaluateScenario({ ...SMALL, scenario: 'seller' }, [1, 2], { minReports: 3 });
    for (const o of seller.outcomes.filter((x) => x.decision)) {
      assert.ok(!o.decision!.confirmed.includes('sys-bi'));
      assert.notEqual(o.decision!.outcome, 'wrong');
    }
    assert.equal(seller.deciding.decidedWrongly, 0);
  });
});

describe('privacy waybills: couriers receive virtual numbers, calls to them decide', () => {
  const WAYBILLS = { ...SMALL, privacyWaybills: true };

  it('gives each (courier, customer) its own virtual number and leaves the rest of the world as it was', () => {
    const off = generateWorld({ ...SMALL, scenario: 'courier', seed: 1 });
    const on = generateWorld({ ...WAYBILLS, scenario: 'courier', seed: 1 });
    assert.equal(off.substitutes.length, 0);
    assert.equal(off.substituteCalls.length, 0);
    // the attack, the reads and the reports are the same: only the phone on the waybill changed
    assert.deepEqual(on.reports, off.reports);
    assert.deepEqual(on.truth, off.truth);
    assert.equal(on.access.n, off.access.n);
    const phones = new Set(on.customers.map((c) => c.phone));
    const shipped = new Set(on.exports.flatMap((e) => e.orders.map((o) => `${e.principal}:${on.orders[o]!.customer}`)));
    assert.equal(on.substitutes.length, shipped.size);
    assert.equal(new Set(on.substitutes.map((s) => s.phone)).size, on.substitutes.length);
    for (const s of on.substitutes)
      assert.ok(shipped.has(`${s.principal}:${s.customer}`) && !phones.has(s.phone) && normalizePhone(s.phone)?.startsWith('+861'));
    // every call the provider saw is to a number the leaking courier received
    const leaker = world1Leaker(on);
    const ofLeaker = new Set(on.substitutes.filter((s) => s.principal === leaker).map((s) => s.phone));
    assert.ok(on.substituteCalls.length > 0 && on.substituteCalls.every((c) => ofLeaker.has(c.phone)));
  });

  it('confirms the leaking courier from substitute calls alone, with zero canaries, and never the BI sync or the other couriers', () => {
    for (const seed of [1, 2, 3]) {
      const world = generateWorld({ ...WAYBILLS, scenario: 'courier', seed });
      const blind = withoutTruth(world);
      const ids = ['courier-1', 'courier-2', 'courier-3', 'courier-4', 'sys-bi'];
      const plan = planDecision(ids.map((principalId) => ({ principalId, covered: 10, audience: 1000, receivesExports: principalId.startsWith('courier') })));
      const zero = { ...plan, principals: plan.principals.map((p) => ({ ...p, canaries: 0 })) };
      const calls = observeSubstituteCalls(blind, world.end);
      const d = decide({ plan: zero, planted: [], substituteCalls: calls, now: world.end });
      assert.deepEqual(d.confirmed, ['courier-1'], `seed ${seed}`);
      assert.deepEqual(world.truth.leakers, ['courier-1']);
      const c1 = d.principals.find((p) => p.principalId === 'courier-1')!;
      assert.equal(c1.canaries, 0);
      assert.ok(c1.evidence.every((e) => e.kind === 'substitute_call' && e.at <= world.end));
      for (const p of d.principals.filter((x) => x.principalId !== 'courier-1')) assert.equal(p.evidence.length, 0, `${p.principalId} seed ${seed}`);
    }
  });

  it('sees no substitute call where no courier leaks (the seller and the no-leak worlds)', () => {
    for (const scenario of ['seller', 'no-leak'] as const) {
      const world = generateWorld({ ...WAYBILLS, scenario, seed: 2 });
      assert.ok(world.substitutes.length > 0);
      const calls = observeSubstituteCalls(withoutTruth(world), world.end + 30 * DAY);
      assert.deepEqual(calls, []);
      const plan = planDecision(
        ['courier-1', 'courier-2', 'sys-bi'].map((principalId) => ({ principalId, covered: 10, audience: 1000, receivesExports: principalId !== 'sys-bi' })),
      );
      assert.deepEqual(decide({ plan, planted: [], substituteCalls: calls, now: world.end + 30 * DAY }).confirmed, [], scenario);
    }
  });

  it('is scored by the evaluation beside the canaries, and changes nothing when off', () => {
    const on = evaluateScenario({ ...WAYBILLS, scenario: 'courier' }, [1, 2], { minReports: 3 });
    const off = evaluateScenario({ ...SMALL, scenario: 'courier' }, [1, 2], { minReports: 3 });
    const s = on.deciding.substitutes!;
    assert.ok(s.seeds >= 1 && s.seeds === on.deciding.seeds);
    assert.equal(s.decidedCorrectly, s.seeds);
    assert.equal(s.decidedWrongly, 0);
    assert.equal(s.watchedNumbers, 0);
    assert.ok(on.outcomes.every((o) => o.decision?.substitutes?.confirmed.join() === 'courier-1' && o.decision.substitutes.calls > 0));
    // the canary-only decision on the same seeds is the one without the option
    const strip = (x: typeof on) => ({
      ...x,
      deciding: { ...x.deciding, substitutes: undefined },
      outcomes: x.outcomes.map((o) => ({ ...o, decision: o.decision && { ...o.decision, substitutes: undefined } })),
    });
    assert.deepEqual(strip(on), strip(off));
    assert.equal(off.deciding.substitutes, undefined);
    assert.ok(off.outcomes.every((o) => o.decision && !('substitutes' in o.decision)));
    assert.doesNotMatch(formatSummary(off), /virtual numbers/);
    assert.match(formatSummary(on), /0 canaries[\s\S]*leaker confirmed \d+, innocent confirmed 0/);
    const seller = evaluateScenario({ ...WAYBILLS, scenario: 'seller' }, [1, 2], { minReports: 3 });
    assert.equal(seller.deciding.substitutes?.decidedWrongly ?? 0, 0);
    for (const o of seller.outcomes) assert.deepEqual(o.decision?.substitutes?.confirmed ?? [], []);
  });
});

/** The leaking principal's index (tests may read the attack model to check results). */
function world1Leaker(world: SimWorld): number {
  return world.attack.leakers[0]!.principal;
}
