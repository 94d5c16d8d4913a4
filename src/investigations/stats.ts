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

// ---- Log-space tails -------------------------------------------------------------------------
// The tails above are exact in double precision down to about 1e-300 and underflow to 0 below;
// a leaker covering 300 victims has a p-value far below that. These return log10 of the same
// tails without underflow (every term and every sum is kept as a logarithm), so a result can say
// "p = 10^-412" and rank suspects whose p-values would all be 0 in double precision.

const LN10 = Math.LN10;

/** ln(e^a + e^b) without overflow or underflow. */
function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** ln of Σ e^terms (terms may be -Infinity). */
function logSum(terms: ArrayLike<number>, from = 0, to = terms.length): number {
  let m = -Infinity;
  for (let i = from; i < to; i++) if (terms[i]! > m) m = terms[i]!;
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = from; i < to; i++) s += Math.exp(terms[i]! - m);
  return m + Math.log(s);
}

/** ln P(X = k), k = 0..n, for X ~ Binomial(n, p). */
export function logBinomialPmf(n: number, p: number): Float64Array {
  const out = new Float64Array(n + 1).fill(-Infinity);
  if (p <= 0) out[0] = 0;
  else if (p >= 1) out[n] = 0;
  else {
    const lp = Math.log(p);
    const lq = Math.log1p(-p);
    for (let k = 0; k <= n; k++) out[k] = logFact(n) - logFact(k) - logFact(n - k) + k * lp + (n - k) * lq;
  }
  return out;
}

/** log10 P(X ≥ x) for X ~ Binomial(n, p). */
export function log10BinomialTail(n: number, p: number, x: number): number {
  if (x <= 0) return 0;
  if (x > n) return -Infinity;
  return Math.min(0, logSum(logBinomialPmf(n, p), x) / LN10);
}

/** log10 P(X₁ + … + X_s ≥ x), X_i ~ Binomial(n_i, p_i) independent: stratifiedBinomialTail in log space. */
export function log10StratifiedBinomialTail(strata: readonly { n: number; p: number }[], x: number): number {
  if (x <= 0) return 0;
  let dist = new Float64Array([0]); // ln P(sum = j)
  for (const s of strata) {
    if (s.n === 0) continue;
    const pmf = logBinomialPmf(s.n, s.p);
    const next = new Float64Array(dist.length + s.n).fill(-Infinity);
    for (let i = 0; i < dist.length; i++) {
      const di = dist[i]!;
      if (di === -Infinity) continue;
      for (let k = 0; k <= s.n; k++) if (pmf[k]! !== -Infinity) next[i + k] = logAdd(next[i + k]!, di + pmf[k]!);
    }
    dist = next;
  }
  if (x >= dist.length) return -Infinity;
  return Math.min(0, logSum(dist, x) / LN10);
}

/** log10 P(X ≥ x) for X a sum of independent Bernoulli(p_i) (Poisson-binomial), in log space. */
export function log10PoissonBinomialTail(ps: readonly number[], x: number): number {
  return log10StratifiedBinomialTail(ps.map((p) => ({ n: 1, p })), x);
}

/**
 * ln(n!) for any n: the table below 1024, Stirling's series above (error < 1e-16 relative there),
 * so a population of millions of orders needs no table of millions of entries.
 */
export function lnFactorial(n: number): number {
  if (n < 1024) return logFact(n);
  const inv = 1 / n;
  const inv2 = inv * inv;
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260));
}

/** log10 P(X ≥ x) for X ~ Hypergeometric(N population, K marked, n drawn without replacement). */
export function log10HypergeometricTail(N: number, K: number, n: number, x: number): number {
  if (K < 0 || K > N || n < 0 || n > N) throw new RangeError('hypergeometric: need 0 ≤ K ≤ N and 0 ≤ n ≤ N');
  const lo = Math.max(0, n - (N - K));
  const hi = Math.min(n, K);
  if (x <= lo) return 0;
  if (x > hi) return -Infinity;
  const lnC = (a: number, b: number) => lnFactorial(a) - lnFactorial(b) - lnFactorial(a - b);
  const base = lnC(N, n);
  const terms = new Float64Array(hi - x + 1);
  for (let k = x; k <= hi; k++) terms[k - x] = lnC(K, k) + lnC(N - K, n - k) - base;
  return Math.min(0, logSum(terms) / LN10);
}
