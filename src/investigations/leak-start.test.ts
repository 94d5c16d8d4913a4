import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { leakStartBound, readsBack } from './leak-start.ts';
import { Prng } from '../sim/prng.ts';

// C(n, r) as a BigInt (exact).
function choose(n: number, r: number): bigint {
  if (r < 0 || r > n) return 0n;
  let x = 1n;
  for (let i = 0; i < r; i++) x = (x * BigInt(n - i)) / BigInt(i + 1);
  return x;
}

/**
 * The exact miss probability of readsBack when, from the leak's start to now, there are F
 * victim-free reads and k victim reads in any arrangement (all equally likely, whatever q is):
 * the gaps (before the first victim G, between victims summing to t, after the last) are a
 * uniform composition of F into k + 1 parts, and a miss is G > m(span), span = t + k − 1.
 * Returns [misses, arrangements] as BigInts.
 */
function exactMiss(k: number, F: number, beta: number): [bigint, bigint] {
  let miss = 0n;
  for (let t = 0; t <= F; t++) {
    const m = readsBack(k, t + k - 1, beta);
    const tooFar = F - t - m; // G in (m, F − t]
    if (tooFar > 0) miss += choose(t + k - 2, k - 2) * BigInt(tooFar);
  }
  return [miss, choose(F + k, k)];
}

/** P(X ≥ x) for X ~ Binomial(n, p) (upper tail, by summing the pmf in log space). */
function binomialUpper(n: number, p: number, x: number): number {
  let lf = 0;
  const logFact = [0];
  for (let i = 1; i <= n; i++) logFact.push((lf += Math.log(i)));
  let s = 0;
  for (let j = x; j <= n; j++) s += Math.exp(logFact[n]! - logFact[j]! - logFact[n - j]! + j * Math.log(p) + (n - j) * Math.log1p(-p));
  return s;
}

describe('leakStartBound', () => {
  for (const k of [2, 3, 5, 10]) {
    it(`misses the start with probability ≤ β at ${k} victims, exactly, over every arrangement (β = 1 % and 5 %)`, () => {
      for (const beta of [0.01, 0.05]) {
        for (let F = 0; F <= 300; F += F < 40 ? 1 : 13) {
          const [miss, all] = exactMiss(k, F, beta);
          // miss / all ≤ β, in integers: miss · 10⁶ ≤ β·10⁶ · all
          assert.ok(miss * 1_000_000n <= BigInt(Math.round(beta * 1_000_000)) * all, `k ${k}, F ${F}, β ${beta}: ${Number(miss) / Number(all)}`);
        }
      }
    });

    it(`misses the start in at most β of simulated leaks with ${k} victims (5,000 draws, rates 0.005 to 0.8)`, () => {
      // A principal reads one customer per time unit; from `start` each read becomes a reported
      // victim with probability q; the investigation runs when k victims have reported and a
      // random number of further reads (whose victims have not reported yet) have happened.
      const prng = new Prng(1000 + k);
      const beta = 0.01;
      // 5,000 draws keep the suite short and still reject a miss rate of 2β (`bench/calibration.ts
      // --leak-start-only` runs 20,000 per k); the exact enumeration above is the proof
      const draws = 5_000;
      let missed = 0;
      let back = 0;
      for (let i = 0; i < draws; i++) {
        const q = Math.exp(Math.log(0.005) + prng.next() * (Math.log(0.8) - Math.log(0.005)));
        const start = 2_000_000;
        const victimReads: number[] = [];
        let t = start;
        while (victimReads.length < k) {
          if (prng.next() < q) victimReads.push(t);
          t++;
        }
        const from = Math.max(0, start - Math.ceil(readsBack(k, t - victimReads[0]!, beta)) - 10);
        const reads2: number[] = [];
        for (let x = from; x < t + prng.int(0, 50); x++) reads2.push(x);
        const b = leakStartBound(reads2, victimReads, beta);
        if (b > start) missed++;
        back += (victimReads[0]! - b) * q;
      }
      // one-sided binomial test of "miss rate ≤ β": the observed count must not be significant at 0.001
      const p = binomialUpper(draws, beta, missed);
      assert.ok(p > 0.001, `missed ${missed}/${draws} (${((100 * missed) / draws).toFixed(2)} %), P(≥ that | β) = ${p}`);
      // and it is no looser than it must be: the mean look-back, in units of 1/q, is about r·(k − 1)
      // (the k − 1 inner gaps average 1/q each), r = β^(−1/(k−1)) − 1
      const expected = (Math.pow(beta, -1 / (k - 1)) - 1) * (k - 1);
      assert.ok(back / draws < 1.3 * expected + 1, `mean look-back ${back / draws} / q, expected about ${expected}`);
    });
  }

  it('never starts after the first victim read, and uses the look-back when the rate is unknown', () => {
    assert.equal(leakStartBound([10, 20, 30, 40], [30], 0.01), 10);
    assert.ok(leakStartBound([1, 2, 3, 4, 5, 6, 7, 8], [6, 7, 8], 0.01) <= 6);
    assert.equal(leakStartBound([], [5, 9], 0.01), 5);
    // three victims in a row do not prove the rate is 1: with β = 1 % the earlier reads stay in
    assert.equal(leakStartBound([1, 2, 3, 4, 5, 6], [4, 5, 6], 0.01), 1);
    // many victims pin the start: 50 victims on every other read of the last 100 go back a few reads only
    const reads = Array.from({ length: 1000 }, (_, i) => i);
    const victims = Array.from({ length: 50 }, (_, i) => 900 + 2 * i);
    const b = leakStartBound(reads, victims, 0.01);
    assert.ok(b < 900 && b > 880, String(b));
    assert.throws(() => leakStartBound([1], [], 0.01), RangeError);
  });
});
