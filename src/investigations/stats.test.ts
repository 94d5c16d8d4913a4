import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { biasedRate, binomialPmf, clopperPearsonUpper, holmAdjust, log10PoissonBinomialTail, log10StratifiedBinomialTail, selectionBiasToExplain, stratifiedBinomialTail } from './stats.ts';

// brute force: enumerate every outcome of n1 + n2 Bernoulli trials
function bruteTail(n1: number, p1: number, n2: number, p2: number, x: number): number {
  let tail = 0;
  const n = n1 + n2;
  for (let mask = 0; mask < 1 << n; mask++) {
    let k = 0;
    let pr = 1;
    for (let i = 0; i < n; i++) {
      const hit = (mask >> i) & 1;
      const p = i < n1 ? p1 : p2;
      pr *= hit ? p : 1 - p;
      k += hit;
    }
    if (k >= x) tail += pr;
  }
  return tail;
}

describe('attribution statistics', () => {
  it('binomial pmf sums to 1 and matches a known value', () => {
    const pmf = binomialPmf(10, 0.3);
    assert.ok(Math.abs(pmf.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok(Math.abs(pmf[3]! - 0.266827932) < 1e-9);
  });

  it('the stratified tail equals brute-force enumeration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 13 }), (n1, n2, p1, p2, x) => {
        const got = stratifiedBinomialTail([{ n: n1, p: p1 }, { n: n2, p: p2 }], x);
        assert.ok(Math.abs(got - bruteTail(n1, p1, n2, p2, x)) < 1e-9);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps tiny tails exact (no underflow to 0 for 20 of 20 at p = 0.01)', () => {
    const t = stratifiedBinomialTail([{ n: 20, p: 0.01 }], 20);
    assert.ok(Math.abs(t / 1e-40 - 1) < 1e-9);
  });

  it('Holm adjusts against the whole family and is monotone', () => {
    const adj = holmAdjust([0.01, 0.0001, 0.5], 100);
    assert.ok(Math.abs(adj[1]! - 0.01) < 1e-12);
    assert.ok(Math.abs(adj[0]! - 0.99) < 1e-12);
    assert.equal(adj[2], 1);
  });

  it('log10 tails equal the direct tail where it does not underflow, and brute force for independent trials', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 13 }), (n1, n2, p1, p2, x) => {
        const want = bruteTail(n1, p1, n2, p2, x);
        const got = log10StratifiedBinomialTail([{ n: n1, p: p1 }, { n: n2, p: p2 }], x);
        if (want < 1e-290) assert.ok(got < -280, `${got}`); // the brute force's doubles underflow (or the tail is empty)
        else assert.ok(Math.abs(got - Math.log10(want)) < 1e-8, `${got} vs ${Math.log10(want)}`);
        const pb = log10PoissonBinomialTail([...Array(n1).fill(p1), ...Array(n2).fill(p2)], x);
        if (want >= 1e-290) assert.ok(Math.abs(pb - Math.log10(want)) < 1e-8);
      }),
      { numRuns: 300 },
    );
  });

  it('log10 p-values do not underflow: 50 of 60 victims at a base rate of 1e-9', () => {
    const direct = stratifiedBinomialTail([{ n: 60, p: 1e-9 }], 50);
    assert.equal(direct, 0); // the double underflows
    const got = log10StratifiedBinomialTail([{ n: 60, p: 1e-9 }], 50);
    // dominated by the k = 50 term: C(60,50) 1e-450 (1 − 1e-9)^10
    const want = (Math.log(75394027566) - 450 * Math.log(10)) / Math.LN10;
    assert.ok(Math.abs(got - want) < 1e-6, `${got} vs ${want}`);
    // two strata, far in the tail
    const two = log10StratifiedBinomialTail([{ n: 100, p: 1e-6 }, { n: 100, p: 0.3 }], 150);
    assert.ok(Number.isFinite(two) && two < -300);
  });

  it('Clopper–Pearson upper bounds match known values and hold their level', () => {
    assert.ok(Math.abs(clopperPearsonUpper(5, 10, 0.025) - 0.8129) < 1e-4);
    assert.ok(Math.abs(clopperPearsonUpper(0, 2000, 0.05) - (1 - 0.05 ** (1 / 2000))) < 1e-9);
    // P(Bin(m, bound) ≤ hits) = δ at the bound
    for (const [k, m, d] of [[3, 50, 1e-3], [100, 2000, 1e-9], [1999, 2000, 0.01]] as const) {
      const b = clopperPearsonUpper(k, m, d);
      const cdf = binomialPmf(m, b).slice(0, k + 1).reduce((a, x) => a + x, 0);
      assert.ok(Math.abs(cdf - d) / d < 1e-4, `${k}/${m}: ${cdf} vs ${d}`);
    }
  });

  it('the bias to explain is the Γ at which the biased tail reaches the level, and grows with the evidence', () => {
    const strata = [{ n: 16, p: 0.02 }];
    const g = selectionBiasToExplain(strata, 16, -6);
    const at = (x: number) => log10StratifiedBinomialTail(strata.map((s) => ({ n: s.n, p: biasedRate(s.p, x) })), 16);
    assert.ok(Math.abs(at(g) - -6) < 1e-6);
    assert.ok(selectionBiasToExplain(strata, 12, -6) < g);
    assert.equal(selectionBiasToExplain(strata, 1, -6), 1);
    assert.equal(biasedRate(0.5, 3), 0.75);
  });
});
