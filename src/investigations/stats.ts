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
  const dist = convolve(strata);
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

const LN10 = Math.LN10;

/**
 * log10 P(X₁ + … + X_s ≥ x), X_i ~ Binomial(n_i, p_i) independent, without underflow: the tail
 * is computed under exponentially tilted probabilities p_i' = p_i e^θ / (1 − p_i + p_i e^θ),
 * with θ chosen so that the tilted mean is x (there the distribution has mass of order 1 and the
 * double-precision convolution is exact), and tilted back:
 *   P(X = k) = P'(X = k) · e^{−θk} · Π_i (1 − p_i + p_i e^θ)^{n_i}.
 * Exact up to rounding for every tail, however small (1e-3000 is log10 −3000, not 0).
 */
export function log10StratifiedBinomialTail(strata: readonly { n: number; p: number }[], x: number): number {
  if (x <= 0) return 0;
  let fixed = 0; // trials that certainly succeed (p = 1)
  const live: { n: number; p: number }[] = [];
  let total = 0;
  for (const s of strata) {
    if (s.n <= 0 || s.p <= 0) continue;
    if (s.p >= 1) fixed += s.n;
    else {
      live.push(s);
      total += s.n;
    }
  }
  const need = x - fixed;
  if (need <= 0) return 0;
  if (need > total) return -Infinity;
  const mean = live.reduce((a, s) => a + s.n * s.p, 0);
  if (need <= mean) return Math.log10(stratifiedBinomialTail(live, need));
  if (need === total) return live.reduce((a, s) => a + s.n * Math.log10(s.p), 0);
  // tilt: the mean under θ is Σ n_i p_i' (increasing in θ); bisection for mean = need
  const tiltedMean = (th: number) => live.reduce((a, s) => a + (s.n * s.p) / (s.p + (1 - s.p) * Math.exp(-th)), 0);
  let lo = 0;
  let hi = 1;
  while (tiltedMean(hi) < need && hi < 1e4) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (tiltedMean(mid) < need) lo = mid;
    else hi = mid;
  }
  const th = (lo + hi) / 2;
  // log Π (1 − p + p e^θ)^n = Σ n (θ + log(p + (1 − p) e^−θ))
  let logM = 0;
  const tilted = live.map((s) => {
    const a = Math.log(s.p) + th;
    const b = Math.log1p(-s.p);
    const m = Math.max(a, b);
    const lse = m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    logM += s.n * lse;
    return { n: s.n, p: Math.exp(a - lse) };
  });
  // Σ_{k ≥ need} P'(X = k) e^{−θ(k − need)}, from the tilted distribution
  const dist = convolve(tilted);
  let sum = 0;
  for (let k = need; k < dist.length; k++) sum += dist[k]! * Math.exp(-th * (k - need));
  return (Math.log(sum) - th * need + logM) / LN10;
}

/** The distribution of a sum of independent binomials (only the part of each pmf that is not negligible, < 1e-300: keeps large victim sets fast). */
function convolve(strata: readonly { n: number; p: number }[]): Float64Array {
  let dist = new Float64Array([1]);
  for (const s of strata) {
    if (s.n === 0) continue;
    const pmf = binomialPmf(s.n, s.p);
    const next = new Float64Array(dist.length + s.n);
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
  return dist;
}

/**
 * A base rate under reporting bias Γ (Rosenbaum's sensitivity model): if the customers a
 * principal read were up to Γ times likelier (in odds) to become reporting victims than the others
 * of their stratum, a victim is among them with probability at most Γπ / (1 − π + Γπ).
 */
export function biasedRate(p: number, gamma: number): number {
  if (gamma === 1 || p <= 0 || p >= 1) return p;
  return (gamma * p) / (1 - p + gamma * p);
}

/**
 * The smallest Γ ≥ 1 at which the coverage is no longer significant at log10 level `log10Level`
 * (log10 of the tail with every rate biased by Γ exceeds it): "reporters would have to be Γ times
 * likelier among this principal's customers for chance to explain it". 1 when chance explains it
 * already; `max` (1e9) when no bias up to it does (e.g. coverage of victims nobody else read).
 */
export function selectionBiasToExplain(strata: readonly { n: number; p: number }[], x: number, log10Level: number, max = 1e9): number {
  const at = (g: number) =>
    log10StratifiedBinomialTail(
      strata.map((s) => ({ n: s.n, p: biasedRate(s.p, g) })),
      x,
    );
  if (at(1) > log10Level) return 1;
  if (at(max) <= log10Level) return max;
  let lo = 0;
  let hi = Math.log(max);
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (at(Math.exp(mid)) <= log10Level) lo = mid;
    else hi = mid;
  }
  return Math.exp(hi);
}

/** log10 of the Poisson-binomial upper tail P(Σ Bernoulli(p_i) ≥ x) (each trial its own stratum). */
export function log10PoissonBinomialTail(ps: readonly number[], x: number): number {
  // trials with equal probabilities share a binomial stratum (the convolution is then shorter)
  const byP = new Map<number, number>();
  for (const p of ps) byP.set(p, (byP.get(p) ?? 0) + 1);
  return log10StratifiedBinomialTail(
    [...byP].map(([p, n]) => ({ n, p })),
    x,
  );
}

/** ln of the regularized incomplete beta function I_x(a, b) (Lentz's continued fraction). */
function logIncBeta(x: number, a: number, b: number): number {
  if (x <= 0) return -Infinity;
  if (x >= 1) return 0;
  const lbeta = lgamma(a) + lgamma(b) - lgamma(a + b);
  const front = a * Math.log(x) + b * Math.log1p(-x) - lbeta;
  if (x > (a + 1) / (a + b + 2)) return Math.log1p((-Math.exp(front) * betacf(1 - x, b, a)) / b);
  return front + Math.log(betacf(x, a, b) / a);
}

function betacf(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** ln Γ(z) (Lanczos, g = 7; |error| < 1e-13 for z > 0). */
function lgamma(z: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lgamma(1 - z);
  z -= 1;
  let x = g[0]!;
  for (let i = 1; i < 9; i++) x += g[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}

/**
 * The exact (Clopper–Pearson) upper confidence bound for a proportion: the largest p with
 * P(Binomial(m, p) ≤ hits) ≥ δ, so the true rate exceeds it with probability at most δ.
 * P(Bin(m, p) ≤ k) = 1 − I_p(k + 1, m − k).
 */
export function clopperPearsonUpper(hits: number, m: number, delta: number): number {
  if (m <= 0) return 1;
  if (hits >= m) return 1;
  // solve I_p(hits + 1, m − hits) = 1 − δ, i.e. log(1 − I) = log δ, by bisection on p
  const target = Math.log(delta);
  let lo = hits / m;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    // log P(Bin(m, mid) ≤ hits) = log(1 − I_mid(hits + 1, m − hits)) = log I_{1−mid}(m − hits, hits + 1)
    const cdf = logIncBeta(1 - mid, m - hits, hits + 1);
    if (cdf > target) lo = mid;
    else hi = mid;
  }
  return hi;
}

// ---- Log-space tails -------------------------------------------------------------------------
// The tails above are exact in double precision down to about 1e-300 and underflow to 0 below;
// a leaker covering 300 victims has a p-value far below that. These return log10 of the same
// tails without underflow (every term and every sum is kept as a logarithm), so a result can say
// "p = 10^-412" and rank suspects whose p-values would all be 0 in double precision. (The sum of
// binomials and the Poisson-binomial are above, by exponential tilting: exact and as fast as
// the double-precision convolution.)

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
