// The statistics of "does this recipient's export set explain the records found?".
// Under the null hypothesis the n real customers found in a leaked file are a random draw from
// the N customers of the shop; a recipient who received K of them then covers X ~ Hypergeom(N, K, n)
// of the found ones by chance. A small upper tail P(X >= k) says chance does not explain it.

// Lanczos approximation (g = 7, n = 9): |error| < 1e-13 over the range we need.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = LANCZOS[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

const logChoose = (n: number, k: number) => (k < 0 || k > n ? -Infinity : logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1));

/** log P(X = i) for X ~ Hypergeom(population N, successes K, draws n). */
export function logHyperPmf(N: number, K: number, n: number, i: number): number {
  return logChoose(K, i) + logChoose(N - K, n - i) - logChoose(N, n);
}

/** P(X >= k), summed in log space from the tail inwards until terms stop mattering. */
export function hypergeomUpperTail(N: number, K: number, n: number, k: number): number {
  const lo = Math.max(0, n - (N - K));
  const hi = Math.min(n, K);
  if (k <= lo) return 1;
  if (k > hi) return 0;
  const mean = (n * K) / N;
  if (k <= mean) {
    // Complement of the lower tail, which is the smaller sum here.
    return Math.max(0, Math.min(1, 1 - sumLog(N, K, n, k - 1, lo, -1)));
  }
  return Math.min(1, sumLog(N, K, n, k, hi, 1));
}

function sumLog(N: number, K: number, n: number, from: number, to: number, step: 1 | -1): number {
  let maxLog = -Infinity;
  let acc = 0;
  for (let i = from; step > 0 ? i <= to : i >= to; i += step) {
    const l = logHyperPmf(N, K, n, i);
    if (l > maxLog) {
      acc = acc * Math.exp(maxLog - l) + 1;
      maxLog = l;
    } else acc += Math.exp(l - maxLog);
    // Past the mode terms only shrink; stop when they are negligible.
    if (l - maxLog < -40) break;
  }
  return maxLog === -Infinity ? 0 : Math.exp(maxLog) * acc;
}
