import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decide, notExcludedOfInvestigation, planDecision, type DecisionPlan, type PlantedCanary } from './decision.engine.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1);

describe('planning canaries for not-excluded principals', () => {
  it('sizes each principal so that its canaries all go uncontacted with at most the miss probability', () => {
    const plan = planDecision([
      { principalId: 'courier-1', kind: 'partner', covered: 40, audience: 4000, receivesExports: true },
      { principalId: 'sys-bi', kind: 'system', covered: 40, audience: 8000 },
      { principalId: 'api-9', kind: 'api_client', covered: 2, audience: 1 },
    ]);
    const [courier, bi, api] = plan.principals;
    // rate 0.01: (0.99)^n ≤ 0.05 first at n = 299
    assert.equal(courier!.canaries, 299);
    assert.ok(Math.pow(0.99, 298) > 0.05 && courier!.missProbability <= 0.05);
    assert.equal(courier!.delivery, 'export');
    assert.deepEqual(courier!.scope, { kind: 'principal', id: 'courier-1' });
    // a reader of twice the audience for the same victims needs about twice the canaries
    assert.ok(bi!.canaries > 1.9 * courier!.canaries && bi!.canaries < 2.1 * courier!.canaries);
    assert.equal(bi!.delivery, 'inject');
    // a tiny audience is clamped to the minimum; API clients get an api_client scope
    assert.equal(api!.canaries, 3);
    assert.deepEqual(api!.scope, { kind: 'api_client', id: 'api-9' });
  });

  it('caps the canaries per principal and says what that costs', () => {
    const plan = planDecision([{ principalId: 'p', covered: 1, audience: 10_000 }], { maxCanaries: 100 });
    assert.equal(plan.principals[0]!.canaries, 100);
    assert.ok(Math.abs(plan.principals[0]!.missProbability - Math.pow(1 - 1e-4, 100)) < 1e-12);
    const none = planDecision([{ principalId: 'q', covered: 0, audience: 0 }]);
    assert.equal(none.principals[0]!.canaries, 1000);
    assert.equal(none.principals[0]!.missProbability, 1);
  });

  it('reads the not-excluded principals of a stored investigation', () => {
    const inputs = notExcludedOfInvestigation({
      notExcluded: [{ principalId: 'courier-1', kind: 'partner', covered: 9 }],
      suspects: [
        {
          principalId: 'courier-1',
          baseRates: [
            { stratum: 'a', rate: 0.5 },
            { stratum: 'b', rate: 0.25 },
          ],
          evidence: [{ reads: [{ channel: 'export' }] }],
        },
      ],
      population: [
        { stratum: 'a', size: 100 },
        { stratum: 'b', size: 40 },
      ],
    });
    assert.deepEqual(inputs, [{ principalId: 'courier-1', kind: 'partner', covered: 9, audience: 60, receivesExports: true }]);
  });
});

describe('deciding from trips and leaked files', () => {
  const plan: DecisionPlan = {
    observationDays: 30,
    principals: planDecision([
      { principalId: 'courier-1', covered: 10, audience: 1000, receivesExports: true },
      { principalId: 'courier-2', covered: 10, audience: 1000, receivesExports: true },
      { principalId: 'sys-bi', covered: 10, audience: 2000 },
    ]).principals,
  };
  const planted: PlantedCanary[] = ['courier-1', 'courier-2', 'sys-bi'].flatMap((p) =>
    [1, 2, 3].map((k) => ({ canaryId: `${p}-c${k}`, principalId: p, plantedAt: T0 })),
  );

  it('confirms the recipient whose substitute was called, and ignores calls outside the plan or after now', () => {
    const d = decide({
      plan,
      planted,
      substituteCalls: [
        { callId: 'sc1', principalId: 'courier-2', at: T0 + 1 * DAY },
        { callId: 'sc2', principalId: 'courier-9', at: T0 + 1 * DAY },
        { callId: 'sc3', principalId: 'sys-bi', at: T0 + 40 * DAY },
      ],
      now: T0 + 31 * DAY,
    });
    assert.deepEqual(d.confirmed, ['courier-2']);
    const c2 = d.principals.find((p) => p.principalId === 'courier-2')!;
    assert.deepEqual(c2.evidence, [{ kind: 'substitute_call', callId: 'sc1', at: T0 + DAY }]);
    assert.equal(c2.daysToEvidence, 1);
    assert.equal(d.principals.find((p) => p.principalId === 'sys-bi')!.status, 'not_confirmed');
  });

  it('confirms the principal whose canary was contacted and no other', () => {
    const d = decide({ plan, planted, trips: [{ canaryId: 'courier-1-c2', at: T0 + 2.5 * DAY, tripId: 't1' }], now: T0 + 31 * DAY });
    assert.equal(d.status, 'decided');
    assert.deepEqual(d.confirmed, ['courier-1']);
    const c1 = d.principals.find((p) => p.principalId === 'courier-1')!;
    assert.equal(c1.daysToEvidence, 2.5);
    assert.deepEqual(c1.evidence, [{ kind: 'canary_trip', canaryId: 'courier-1-c2', tripId: 't1', at: T0 + 2.5 * DAY }]);
    assert.deepEqual(
      d.principals.filter((p) => p.principalId !== 'courier-1').map((p) => p.status),
      ['not_confirmed', 'not_confirmed'],
    );
    assert.match(d.summary, /Confirmed: courier-1/);
  });

  it('observes until the period is over, then reports nobody confirmed', () => {
    const early = decide({ plan, planted, trips: [], now: T0 + 5 * DAY });
    assert.equal(early.status, 'observing');
    assert.deepEqual(early.confirmed, []);
    const late = decide({ plan, planted, trips: [], now: T0 + 30 * DAY });
    assert.equal(late.status, 'undecided');
    assert.ok(late.principals.every((p) => p.status === 'not_confirmed' && p.canaries === 3));
    assert.equal(late.observationEndsAt, T0 + 30 * DAY);
  });

  it('ignores trips of canaries outside the plan and trips after the time of the decision', () => {
    const d = decide({
      plan,
      planted,
      trips: [
        { canaryId: 'someone-else', at: T0 + DAY },
        { canaryId: 'sys-bi-c1', at: T0 + 40 * DAY },
      ],
      now: T0 + 31 * DAY,
    });
    assert.deepEqual(d.confirmed, []);
    assert.equal(d.status, 'undecided');
  });

  it('confirms by a fingerprinted leaked file, never by coverage alone', () => {
    const d = decide({
      plan,
      planted,
      matches: [
        {
          at: T0 + 3 * DAY,
          candidates: [
            { scope: { kind: 'principal', id: 'sys-bi' }, verdict: 'significant', canaryHits: [], substituteHits: 0 },
            { scope: { kind: 'principal', id: 'courier-2' }, verdict: 'fingerprinted', canaryHits: [], substituteHits: 4 },
            { scope: { kind: 'principal', id: 'courier-1' }, verdict: 'weak', canaryHits: [], substituteHits: 0 },
          ],
        },
      ],
      now: T0 + 4 * DAY,
    });
    assert.deepEqual(d.confirmed, ['courier-2']);
    assert.deepEqual(d.principals.find((p) => p.principalId === 'courier-2')!.evidence, [
      { kind: 'leak_match', canaryIds: [], substituteHits: 4, at: T0 + 3 * DAY },
    ]);
    assert.deepEqual(
      d.principals.filter((p) => p.principalId !== 'courier-2').map((p) => p.status),
      ['observing', 'observing'],
    );
    // a planted canary row in the file names its own principal
    const byRow = decide({
      plan,
      planted,
      matches: [
        {
          at: T0 + DAY,
          candidates: [{ scope: { kind: 'export', id: 'x1' }, verdict: 'fingerprinted', canaryHits: [{ canaryId: 'courier-1-c3' }], substituteHits: 0 }],
        },
      ],
      now: T0 + 2 * DAY,
    });
    assert.deepEqual(byRow.confirmed, ['courier-1']);
    const byName = decide({
      plan,
      planted,
      matches: [
        {
          at: T0 + DAY,
          candidates: [
            { scope: { kind: 'export', id: 'x1' }, verdict: 'fingerprinted', canaryHits: [{ canaryId: 'sys-bi-c1', via: ['name'] }], substituteHits: 0 },
          ],
        },
      ],
      now: T0 + 2 * DAY,
    });
    assert.deepEqual(byName.confirmed, []);
  });
});
