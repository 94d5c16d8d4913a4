import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HindsightClusters, judgeCase, judgeValue, rebuildClusters, DEFAULT_RULE, type HindsightRule } from './hindsight.ts';
import { canonicalPartition } from './clustering.ts';

// Random report streams: rings with their own values, shared "processor" values, one-offs.
const stream = fc
  .array(
    fc.record({
      ring: fc.integer({ min: 0, max: 5 }),
      own: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
      shared: fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 2 }),
    }),
    { maxLength: 120 },
  )
  .map((rs) => rs.map((r) => [...new Set([...r.own.map((v) => `r${r.ring}.${v}`), ...r.shared.map((s) => `p${s}`)])]));

const rules = fc.record({
  minGroups: fc.integer({ min: 2, max: 5 }),
  maxCoverage: fc.constantFrom(0.3, 0.5, 0.7, 1),
  hardCap: fc.integer({ min: 3, max: 200 }),
  firstCheck: fc.integer({ min: 1, max: 4 }),
});

describe('cases in hindsight', () => {
  it('judging every value of a case in one pass (articulation points) agrees with judging each value on its own', () => {
    fc.assert(
      fc.property(stream, rules, (reports, rule: HindsightRule) => {
        const members = new Map(reports.map((ks, i) => [String(i), ks]));
        const all = judgeCase(members, () => true, rule);
        const values = new Set(reports.flat());
        for (const v of values) {
          const one = judgeValue(members, v, () => true, rule);
          if (one.over !== all.has(v)) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('after any arrival order, cases are exactly the components over the values still fit to link', () => {
    fc.assert(
      fc.property(stream, rules, (reports, rule: HindsightRule) => {
        const c = new HindsightClusters(rule);
        reports.forEach((ks, i) => c.add(i, ks));
        const want = canonicalPartition(rebuildClusters(reports, c.isFit));
        const got = canonicalPartition(c.caseOf);
        return want.every((v, i) => v === got[i]);
      }),
      { numRuns: 300 },
    );
  });

  it('a processor shared by four corroborated rings is unlinked and the rings split; a ring value that joins two fragments is not', () => {
    const c = new HindsightClusters(DEFAULT_RULE);
    let n = 0;
    for (let ring = 0; ring < 4; ring++) {
      c.add(n++, [`phone${ring}`, 'processor']);
      c.add(n++, [`phone${ring}`]);
    }
    assert.equal(c.overCorrelated.get('processor'), 'bridge');
    assert.equal(c.caseCount, 4);
    assert.equal(c.splits.length, 3);
    // A ring that changed phones: two fragments joined by its domain stay one case.
    const d = new HindsightClusters(DEFAULT_RULE);
    for (let i = 0; i < 6; i++) d.add(i, [i < 3 ? 'phoneA' : 'phoneB', ...(i % 3 === 0 ? ['domain'] : [])]);
    assert.equal(d.caseCount, 1);
    assert.equal(d.overCorrelated.size, 0);
  });

  it('the count cap is the last resort', () => {
    const c = new HindsightClusters({ ...DEFAULT_RULE, hardCap: 5 });
    for (let i = 0; i < 5; i++) c.add(i, ['everyone']);
    assert.equal(c.overCorrelated.get('everyone'), 'count');
    assert.equal(c.caseCount, 5);
  });
});
