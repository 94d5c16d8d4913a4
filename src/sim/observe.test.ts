// The deciding step in small simulated worlds: the product plans canaries from the investigation
// alone, the world answers with its own attack model, the product decides from the trips.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateWorld, type SimWorld } from './world.ts';
import { indexWorld, investigateWorld } from './sim-index.ts';
import { observeDecision } from './observe.ts';
import { evaluateScenario } from './evaluate.ts';
import { decide, notExcludedOfResult, planDecision } from '../leaks/decision.engine.ts';
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
  const idOf = (p: number) => data.index.principals.ids[p]!;
  const fromResult = notExcludedOfResult(r, idOf);
  // principals the investigation did not list are planned on the same footing as the first listed one
  const base = fromResult[0] ?? { covered: 10, audience: 1000 };
  const inputs = principalIds.map((id) => fromResult.find((x) => x.principalId === id) ?? { principalId: id, covered: base.covered, audience: base.audience, receivesExports: id.startsWith('courier') });
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
      for (const p of decision.principals.filter((x) => x.principalId !== 'courier-1')) assert.equal(p.status, 'not_confirmed', `${p.principalId} seed ${seed}`);
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
    assert.ok(courier.outcomes.every((o) => o.decision?.confirmed.join() === 'courier-1' && o.decision.canaries['sys-bi']! >= 3));
    const seller = evaluateScenario({ ...SMALL, scenario: 'seller' }, [1, 2], { minReports: 3 });
    for (const o of seller.outcomes.filter((x) => x.decision)) {
      assert.ok(!o.decision!.confirmed.includes('sys-bi'));
      assert.notEqual(o.decision!.outcome, 'wrong');
    }
    assert.equal(seller.deciding.decidedWrongly, 0);
  });
});
