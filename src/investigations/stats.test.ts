import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { binomialPmf, holmAdjust, stratifiedBinomialTail } from './stats.ts';

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
});
