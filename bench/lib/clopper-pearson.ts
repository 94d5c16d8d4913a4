// The exact (Clopper–Pearson) confidence interval of a binomial proportion: the rates whose
// one-sided binomial test does not reject x successes in n at (1 − level)/2, found by bisection on
// the exact tails (computed in log space, so n in the millions is fine).
import { log10BinomialTail } from '../../src/investigations/stats.ts';

export function clopperPearson(x: number, n: number, level = 0.95): [number, number] {
  const a = (1 - level) / 2;
  const upperTail = (p: number, k: number) => Math.pow(10, log10BinomialTail(n, p, k)); // P(X ≥ k)
  const solve = (f: (p: number) => number) => {
    // f increasing in p; find f(p) = a
    let lo = 0;
    let hi = 1;
    for (let i = 0; i < 100; i++) {
      const mid = (lo + hi) / 2;
      if (f(mid) < a) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  const lower = x === 0 ? 0 : solve((p) => upperTail(p, x)); // P(X ≥ x | p) = a
  const upper = x === n ? 1 : solve((p) => a + a - (1 - upperTail(p, x + 1))); // P(X ≤ x | p) = a
  return [lower, upper];
}
