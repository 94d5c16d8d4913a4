import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { leakStartBound } from './leak-start.ts';
import { Prng } from '../sim/prng.ts';

// A principal reads one customer per time unit; from `start` on, each read becomes a reported
// victim with probability q. The bound must fall at or before `start` in ≥ 1 − β of the worlds
// (up to sampling error), and must not run back to the beginning of time when victims are dense.
function world(rand: () => number, n: number, start: number, q: number) {
  const reads = Array.from({ length: n }, (_, i) => i);
  const victimReads = reads.filter((t) => t >= start && rand() < q);
  return { reads, victimReads };
}

describe('leakStartBound', () => {
  for (const q of [0.05, 0.2, 0.6]) {
    it(`covers the true start in at least 1 − β of worlds (victim rate ${q})`, () => {
      const prng = new Prng(7 + Math.round(q * 100));
      const rand = () => prng.next();
      const beta = 0.05;
      let missed = 0;
      let trials = 0;
      let backSum = 0;
      for (let i = 0; i < 2000; i++) {
        const start = 500 + Math.floor(rand() * 500);
        const w = world(rand, 3000, start, q);
        if (w.victimReads.length < 3) continue;
        trials++;
        const b = leakStartBound(w.reads, w.victimReads, beta);
        if (b > start) missed++;
        backSum += start - b;
      }
      // binomial sampling error around β on ~2000 trials is < 1 %; the estimated rate adds a little
      assert.ok(missed / trials <= beta + 0.025, `missed ${missed}/${trials}`);
      // and it stays tight: on average within a few times 1/q reads of the true start
      assert.ok(backSum / trials < 8 / q, `mean distance ${backSum / trials}`);
    });
  }

  it('never starts after the first victim read, and uses the look-back when the rate is unknown', () => {
    assert.equal(leakStartBound([10, 20, 30, 40], [30], 0.01), 10);
    assert.ok(leakStartBound([1, 2, 3, 4, 5, 6, 7, 8], [6, 7, 8], 0.01) <= 6);
    assert.equal(leakStartBound([], [5, 9], 0.01), 5);
    // every read after the start is a victim: the rate is 1, nothing earlier needs to be included
    assert.equal(leakStartBound([1, 2, 3, 4, 5, 6], [4, 5, 6], 0.01), 4);
    assert.throws(() => leakStartBound([1], [], 0.01), RangeError);
  });
});
