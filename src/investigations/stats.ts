// Small exact statistics for attribution: binomial probability vectors, the upper tail of a
// sum of independent binomials (victims fall in strata with different base rates), and Holm's
// step-down adjustment. Computed in log space where it matters so tiny tails stay exact.

/** ln(n!) via a cached table (n is a victim count: small). */
const LOG_FACT: number[] = [0];
function logFact(n: number): number {
  for (let i = LOG_FACT.length; i <= n; i++) LOG_FACT.push(LOG_FACT[i - 1]! + Math.log(i));
  return LOG_FACT[n]!;
}

/** P(X = k) for X ~ Binomial(n, p), k = 0..n. */
export function binomialPmf(n: number, p: number): Float64Array {
  const out = new Float64Array(n + 1);
  if (p <= 0) {
    out[0] = 1;
    return out;
  }
  if (p >= 1) {
    out[n] = 1;
    return out;
  }
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  for (let k = 0; k <= n; k++) out[k] = Math.exp(logFact(n) - logFact(k) - logFact(n - k) + k * lp + (n - k) * lq);
  return out;
}

/**
 * P(X₁ + … + X_s ≥ x) where X_i ~ Binomial(n_i, p_i) independently: the chance that a principal
 * unrelated to the scam covers at least x victims when the victims of stratum i are read by it
 * with base rate p_i.
 */
export function stratifiedBinomialTail(strata: readonly { n: number; p: number }[], x: number): number {
  if (x <= 0) return 1;
  let dist = new Float64Array([1]);
  for (const s of strata) {
    if (s.n === 0) continue;
    const pmf = binomialPmf(s.n, s.p);
    const next = new Float64Array(dist.length + s.n);
    // only the part of the pmf that is not negligible (keeps large victim sets fast)
    let lo = 0;
    let hi = s.n;
    while (lo < hi && pmf[lo]! < 1e-300) lo++;
    while (hi > lo && pmf[hi]! < 1e-300) hi--;
    for (let i = 0; i < dist.length; i++) {
      const di = dist[i]!;
      if (di < 1e-300) continue;
      for (let k = lo; k <= hi; k++) next[i + k]! += di * pmf[k]!;
    }
    dist = next;
  }
  let tail = 0;
  for (let k = dist.length - 1; k >= x; k--) tail += dist[k]!;
  return Math.min(1, Math.max(0, tail));
}

/**
 * Holm step-down adjusted p-values for the given raw p-values, treating the family as `m`
 * hypotheses (m ≥ pValues.length: the principals not listed had p = 1 and are still counted).
 */
export function holmAdjust(pValues: readonly number[], m: number): number[] {
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adj = new Array<number>(pValues.length);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (Math.max(m, pValues.length) - rank) * p));
    adj[i] = running;
  });
  return adj;
}
