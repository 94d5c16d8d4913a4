// The named baseline of issue #13: a plain per-order hypergeometric screen with field and time
// constraints and Bonferroni at α = 0.01. Written apart from fanzha's engine (it shares no code
// with src/investigations): it reads the same access rows the simulator produces.
//
// For victims v = (order oᵥ, contact time tᵥ, fields known Kᵥ):
//  - principal p covers v if p read order oᵥ in [tᵥ − W, tᵥ) and the union of those reads' fields
//    contains Kᵥ;
//  - the population is the N orders placed in [min tᵥ − W, max tᵥ); p's count Kₚ is how many of
//    them it read in that span with at least K* = ∩ Kᵥ;
//  - under "p has nothing to do with it" the victims' orders are n draws without replacement
//    from the N, so p's coverage is hypergeometric(N, Kₚ, n); the p-value is its upper tail;
//  - every principal and every group of principals sharing an `org` is a hypothesis (m of them);
//    a hypothesis is attributed when m · p ≤ α (Bonferroni), the smallest p first.

export interface ScreenRows {
  n: number;
  principal: Int32Array;
  order: Int32Array;
  fields: Uint16Array;
  at: Float64Array;
}

export interface ScreenShop {
  rows: ScreenRows;
  orderPlacedAt: number[];
  principalIds: string[];
  principalOrgs: (string | undefined)[];
}

export interface ScreenVictim {
  order: number;
  contactAt: number;
  knewMask: number;
}

export interface ScreenSuspect {
  name: string;
  covered: number;
  /** Orders of the population it read with K*, of N. */
  read: number;
  log10P: number;
}

export interface ScreenResult {
  n: number;
  population: number;
  family: number;
  /** Attributed names (principal ids, or `org:NAME`), smallest p first. */
  attributed: string[];
  suspects: ScreenSuspect[];
}

const DAY = 86_400_000;

/** Rows grouped by order and by principal (built once per shop). */
export class PerOrderScreen {
  private readonly byOrder: Int32Array[];
  private readonly byPrincipal: Int32Array[];
  private readonly groups = new Map<string, number[]>();

  constructor(private readonly shop: ScreenShop) {
    const r = shop.rows;
    this.byOrder = groupRows(r.n, shop.orderPlacedAt.length, (i) => r.order[i]!);
    this.byPrincipal = groupRows(r.n, shop.principalIds.length, (i) => r.principal[i]!);
    shop.principalOrgs.forEach((org, p) => {
      if (!org) return;
      const list = this.groups.get(org) ?? [];
      list.push(p);
      this.groups.set(org, list);
    });
    for (const [org, members] of this.groups) if (members.length < 2) this.groups.delete(org);
  }

  screen(victims: readonly ScreenVictim[], opts: { alpha?: number; windowDays?: number } = {}): ScreenResult {
    const alpha = opts.alpha ?? 0.01;
    const W = (opts.windowDays ?? 60) * DAY;
    const r = this.shop.rows;
    const vs = victims.filter((v) => v.order >= 0);
    const from = Math.min(...vs.map((v) => v.contactAt)) - W;
    const to = Math.max(...vs.map((v) => v.contactAt));
    let kStar = 0xffff;
    for (const v of vs) kStar &= v.knewMask;
    const nOrders = this.shop.orderPlacedAt.length;
    const inPop = new Uint8Array(nOrders);
    let N = 0;
    this.shop.orderPlacedAt.forEach((t, o) => t >= from && t < to && (inPop[o] = 1));
    for (const v of vs) inPop[v.order] = 1;
    for (let o = 0; o < nOrders; o++) N += inPop[o]!;
    // coverage: per victim, the fields each principal read of its order in its window
    const covered = new Map<number, number>();
    const coveredVictims: Set<number>[] = [];
    for (const v of vs) {
      const masks = new Map<number, number>();
      for (const i of this.byOrder[v.order] ?? [])
        if (r.at[i]! >= v.contactAt - W && r.at[i]! < v.contactAt) masks.set(r.principal[i]!, (masks.get(r.principal[i]!) ?? 0) | r.fields[i]!);
      const mine = new Set<number>();
      for (const [p, m] of masks)
        if ((m & v.knewMask) === v.knewMask) {
          mine.add(p);
          covered.set(p, (covered.get(p) ?? 0) + 1);
        }
      coveredVictims.push(mine);
    }
    // Kₚ: orders of the population read in the span with at least K* (fields summed per order)
    const mask = new Uint16Array(nOrders);
    const touched: number[] = [];
    const readOrders = (members: number[]) => {
      for (const p of members) {
        for (const i of this.byPrincipal[p] ?? []) {
          const o = r.order[i]!;
          if (r.at[i]! < from || r.at[i]! >= to || !inPop[o]) continue;
          if (mask[o] === 0) touched.push(o);
          mask[o]! |= r.fields[i]! | 0x8000;
        }
      }
      let k = 0;
      for (const o of touched) {
        if ((mask[o]! & kStar) === kStar) k++;
        mask[o] = 0;
      }
      touched.length = 0;
      return k;
    };
    const n = vs.length;
    const suspects: ScreenSuspect[] = [];
    for (const [p, x] of covered) suspects.push({ name: this.shop.principalIds[p]!, covered: x, read: readOrders([p]), log10P: 0 });
    for (const [org, members] of this.groups) {
      const x = coveredVictims.filter((s) => members.some((p) => s.has(p))).length;
      if (x > 0) suspects.push({ name: `org:${org}`, covered: x, read: readOrders(members), log10P: 0 });
    }
    for (const s of suspects) s.log10P = log10HypergeometricTail(N, Math.max(s.read, s.covered), n, s.covered);
    suspects.sort((a, b) => a.log10P - b.log10P || b.covered - a.covered || a.name.localeCompare(b.name));
    const family = this.shop.principalIds.length + this.groups.size;
    const attributed = suspects.filter((s) => s.log10P + Math.log10(family) <= Math.log10(alpha)).map((s) => s.name);
    return { n, population: N, family, attributed, suspects: suspects.slice(0, 10) };
  }
}

function groupRows(n: number, groups: number, key: (i: number) => number): Int32Array[] {
  const counts = new Int32Array(groups + 1);
  for (let i = 0; i < n; i++) if (key(i) >= 0) counts[key(i) + 1]!++;
  for (let g = 0; g < groups; g++) counts[g + 1]! += counts[g]!;
  const flat = new Int32Array(counts[groups]!);
  const pos = counts.slice(0, groups);
  for (let i = 0; i < n; i++) if (key(i) >= 0) flat[pos[key(i)]!++] = i;
  return Array.from({ length: groups }, (_, g) => flat.subarray(counts[g]!, counts[g + 1]!));
}

const LN10 = Math.log(10);
const lnFact: number[] = [0];
function lnFactorial(k: number): number {
  for (let i = lnFact.length; i <= k; i++) lnFact.push(lnFact[i - 1]! + Math.log(i));
  return lnFact[k]!;
}
const lnChoose = (a: number, b: number) => lnFactorial(a) - lnFactorial(b) - lnFactorial(a - b);

/** log10 P(X ≥ x) for X ~ Hypergeometric(N population, K marked, n drawn), summed in log space. */
export function log10HypergeometricTail(N: number, K: number, n: number, x: number): number {
  const lo = Math.max(x, 0, n - (N - K));
  const hi = Math.min(n, K);
  if (lo > hi) return -Infinity;
  if (x <= Math.max(0, n - (N - K))) return 0;
  const terms: number[] = [];
  for (let k = lo; k <= hi; k++) terms.push(lnChoose(K, k) + lnChoose(N - K, n - k) - lnChoose(N, n));
  const top = Math.max(...terms);
  return Math.min(0, (top + Math.log(terms.reduce((s, t) => s + Math.exp(t - top), 0))) / LN10);
}
