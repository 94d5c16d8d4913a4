import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  biasedRate,
  binomialPmf,
  clopperPearsonUpper,
  holmAdjust,
  lnFactorial,
  log10BinomialTail,
  log10HypergeometricTail,
  log10PoissonBinomialTail,
  log10StratifiedBinomialTail,
  selectionBiasToExplain,
  stratifiedBinomialTail,
} from './stats.ts';

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
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 13 }),
        (n1, n2, p1, p2, x) => {
          const got = stratifiedBinomialTail(
            [
              { n: n1, p: p1 },
              { n: n2, p: p2 },
            ],
            x,
          );
          assert.ok(Math.abs(got - bruteTail(n1, p1, n2, p2, x)) < 1e-9);
        },
      ),
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
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 13 }),
        (n1, n2, p1, p2, x) => {
          const want = bruteTail(n1, p1, n2, p2, x);
          const got = log10StratifiedBinomialTail(
            [
              { n: n1, p: p1 },
              { n: n2, p: p2 },
            ],
            x,
          );
          if (want < 1e-290)
            assert.ok(got < -280, `${got}`); // the brute force's doubles underflow (or the tail is empty)
          else assert.ok(Math.abs(got - Math.log10(want)) < 1e-8, `${got} vs ${Math.log10(want)}`);
          const pb = log10PoissonBinomialTail([...Array(n1).fill(p1), ...Array(n2).fill(p2)], x);
          if (want >= 1e-290) assert.ok(Math.abs(pb - Math.log10(want)) < 1e-8);
        },
      ),
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
    const two = log10StratifiedBinomialTail(
      [
        { n: 100, p: 1e-6 },
        { n: 100, p: 0.3 },
      ],
      150,
    );
    assert.ok(Number.isFinite(two) && two < -300);
  });

  it('Clopper–Pearson upper bounds match known values and hold their level', () => {
    assert.ok(Math.abs(clopperPearsonUpper(5, 10, 0.025) - 0.8129) < 1e-4);
    assert.ok(Math.abs(clopperPearsonUpper(0, 2000, 0.05) - (1 - 0.05 ** (1 / 2000))) < 1e-9);
    // P(Bin(m, bound) ≤ hits) = δ at the bound
    for (const [k, m, d] of [
      [3, 50, 1e-3],
      [100, 2000, 1e-9],
      [1999, 2000, 0.01],
    ] as const) {
      const b = clopperPearsonUpper(k, m, d);
      const cdf = binomialPmf(m, b)
        .slice(0, k + 1)
        .reduce((a, x) => a + x, 0);
      assert.ok(Math.abs(cdf - d) / d < 1e-4, `${k}/${m}: ${cdf} vs ${d}`);
    }
  });

  it('the bias to explain is the Γ at which the biased tail reaches the level, and grows with the evidence', () => {
    const strata = [{ n: 16, p: 0.02 }];
    const g = selectionBiasToExplain(strata, 16, -6);
    const at = (x: number) =>
      log10StratifiedBinomialTail(
        strata.map((s) => ({ n: s.n, p: biasedRate(s.p, x) })),
        16,
      );
    assert.ok(Math.abs(at(g) - -6) < 1e-6);
    assert.ok(selectionBiasToExplain(strata, 12, -6) < g);
    assert.equal(selectionBiasToExplain(strata, 1, -6), 1);
    assert.equal(biasedRate(0.5, 3), 0.75);
  });
});

// ---- log-space tails against exact big-number arithmetic ---------------------------------------

function chooseBig(n: number, r: number): bigint {
  if (r < 0 || r > n) return 0n;
  let x = 1n;
  for (let i = 0; i < Math.min(r, n - r); i++) x = (x * BigInt(n - i)) / BigInt(i + 1);
  return x;
}

/** log10 of a positive BigInt fraction, to ~15 significant digits whatever its size. */
function log10Big(num: bigint, den: bigint): number {
  const l = (x: bigint) => {
    const s = x.toString();
    const head = s.slice(0, 17);
    return Math.log10(Number(head)) + (s.length - head.length);
  };
  return l(num) - l(den);
}

/** Exact tail of a sum of binomials with rational rates a/b: numerators convolved over the product of denominators. */
function bigStratifiedTail(strata: { n: number; a: number; b: number }[], x: number): number {
  let dist: bigint[] = [1n];
  let den = 1n;
  for (const s of strata) {
    const pmf = Array.from({ length: s.n + 1 }, (_, k) => chooseBig(s.n, k) * BigInt(s.a) ** BigInt(k) * BigInt(s.b - s.a) ** BigInt(s.n - k));
    const next = new Array<bigint>(dist.length + s.n).fill(0n);
    dist.forEach((d, i) => pmf.forEach((q, k) => (next[i + k]! += d * q)));
    dist = next;
    den *= BigInt(s.b) ** BigInt(s.n);
  }
  const tail = dist.slice(x).reduce((s, v) => s + v, 0n);
  return tail === 0n ? -Infinity : log10Big(tail, den);
}

describe('log-space tails', () => {
  it('binomial and stratified tails equal exact big-number sums, far below 1e-300', () => {
    const cases: { strata: { n: number; a: number; b: number }[]; x: number }[] = [
      { strata: [{ n: 100, a: 1, b: 1000 }], x: 100 }, // exactly 1e-300
      { strata: [{ n: 150, a: 1, b: 10_000 }], x: 120 }, // ≈ 1e-450
      { strata: [{ n: 300, a: 3, b: 100 }], x: 290 },
      {
        strata: [
          { n: 80, a: 1, b: 50 },
          { n: 60, a: 7, b: 20 },
        ],
        x: 130,
      },
      {
        strata: [
          { n: 40, a: 1, b: 3 },
          { n: 25, a: 1, b: 200 },
          { n: 10, a: 9, b: 10 },
        ],
        x: 20,
      }, // an ordinary one
    ];
    for (const c of cases) {
      const ref = bigStratifiedTail(c.strata, c.x);
      const got = log10StratifiedBinomialTail(
        c.strata.map((s) => ({ n: s.n, p: s.a / s.b })),
        c.x,
      );
      assert.ok(Math.abs(got - ref) < 1e-9 * Math.max(1, Math.abs(ref)), `${JSON.stringify(c)}: ${got} vs ${ref}`);
      if (c.strata.length === 1) assert.ok(Math.abs(log10BinomialTail(c.strata[0]!.n, c.strata[0]!.a / c.strata[0]!.b, c.x) - ref) < 1e-9 * Math.abs(ref));
    }
    assert.ok(bigStratifiedTail(cases[1]!.strata, cases[1]!.x) < -400);
    // where the double-precision tail underflows, the log one does not
    assert.equal(stratifiedBinomialTail([{ n: 150, p: 1e-4 }], 120), 0);
    assert.ok(Number.isFinite(log10StratifiedBinomialTail([{ n: 150, p: 1e-4 }], 120)));
  });

  it('agrees with the double-precision tail wherever that one is exact', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 61 }),
        (n1, n2, p1, p2, x) => {
          const strata = [
            { n: n1, p: p1 },
            { n: n2, p: p2 },
          ];
          const lin = stratifiedBinomialTail(strata, x);
          const log = log10StratifiedBinomialTail(strata, x);
          if (lin > 1e-290) assert.ok(Math.abs(log - Math.log10(lin)) < 1e-9, `${log} vs ${Math.log10(lin)}`);
          if (lin === 0) assert.ok(log < -280 || log === -Infinity);
        },
      ),
      { numRuns: 300 },
    );
    assert.ok(Math.abs(log10PoissonBinomialTail([0.5, 0.5, 0.5], 2) - Math.log10(0.5)) < 1e-12);
  });

  it('the hypergeometric tail equals the exact ratio of binomial coefficients, also for huge populations', () => {
    const cases = [
      [50, 10, 8, 3],
      [15_000, 30, 16, 16], // sixteen victims all among 30 of 15,000 orders: ≈ 1e-60
      [2_000_000, 500, 300, 300], // ≈ 1e-1600
      [200_000, 100_000, 16, 14],
      [40, 40, 5, 5],
    ] as const;
    for (const [N, K, n, x] of cases) {
      let num = 0n;
      for (let k = x; k <= Math.min(n, K); k++) num += chooseBig(K, k) * chooseBig(N - K, n - k);
      const ref = num === 0n ? -Infinity : log10Big(num, chooseBig(N, n));
      const got = log10HypergeometricTail(N, K, n, x);
      assert.ok(got === ref || Math.abs(got - ref) < 1e-9 * Math.max(1, Math.abs(ref)), `${[N, K, n, x]}: ${got} vs ${ref}`);
    }
    assert.equal(log10HypergeometricTail(100, 10, 5, 0), 0);
    assert.equal(log10HypergeometricTail(100, 3, 5, 4), -Infinity);
    assert.throws(() => log10HypergeometricTail(10, 11, 2, 1), RangeError);
  });

  it('Stirling ln n! matches the summed table where both exist', () => {
    let s = 0;
    for (let i = 1; i <= 5000; i++) {
      s += Math.log(i);
      if (i >= 1024 && i % 500 === 0) assert.ok(Math.abs(lnFactorial(i) - s) < 1e-9, String(i));
    }
  });
});
