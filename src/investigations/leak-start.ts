// When did a principal's leak begin? Victims appear among the principal's reads only after the
// leak started, so its first read of a victim is the likeliest start; but the reads just before it
// may have leaked too and simply produced no reported victim yet. Notifying from the first victim
// read would miss those customers, and a missed customer is the one the scammers call next.
//
// Model: once the leak runs, each read of the principal turns into a reported victim
// independently with a rate q, estimated from the victims between the first and the last victim
// read (the reads after the last one are censored: their victims have not been called or have not
// reported yet). The number of victim-free reads between the true start and the first victim read
// is then geometric, P(more than m) = (1 − q)^m, and the estimate goes back by the smallest m for
// which that is at most β. Working in reads rather than hours makes it hold whether the principal
// reads ten customers a day or ten thousand in one night.

/**
 * The conservative leak start: a time such that the leak began earlier only with probability ≤ β.
 * `reads` are the times of the principal's reads (any order), `victimReads` the time of its first
 * read of each victim.
 */
export function leakStartBound(reads: readonly number[], victimReads: readonly number[], beta: number): number {
  if (!victimReads.length) throw new RangeError('no victim reads');
  const first = Math.min(...victimReads);
  if (!reads.length) return first;
  const times = Float64Array.from(reads).sort();
  const pos = victimReads.map((t) => lowerBound(times, t)).sort((a, b) => a - b);
  const p1 = pos[0]!;
  const span = pos[pos.length - 1]! - p1;
  // with a single victim (or all on one read) the rate is unknown: every earlier read in the look-back may have leaked
  if (pos.length < 2 || span === 0) return Math.min(first, times[0]!);
  const q = Math.min(1, (pos.length - 1) / span);
  const m = q >= 1 ? 0 : Math.ceil(Math.log(beta) / Math.log(1 - q));
  return Math.min(first, times[Math.max(0, p1 - m)]!);
}

function lowerBound(a: Float64Array, t: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
