// Cases in hindsight: cases are the connected components of reports over the values that are
// *currently* fit to link. A value stops being fit when the evidence says it is over-correlated —
// a payment processor, a platform's merchant id, a hotline everyone mentions — and the cases it
// alone joined split again.
//
// The rule (docs/areas/reports.md, "Over-correlation"): look at the reports carrying value v, and
// group them by the connected components they form over every *other* fit value. A group with two
// or more reports has its own corroboration (its reports are linked without v). v is
// over-correlated when
//   (a) it bridges at least `minGroups` (4) such corroborated groups, and
//   (b) inside those groups it is incidental: it is carried by at most `maxCoverage` (½) of their
//       reports. A ring's own phone or account is carried by most of the reports it links (it is
//       what defines the group); a processor turns up in a minority of each ring's reports;
// or (c), as a last resort, it is carried by `hardCap` reports or more (MISP-style warning-list
// size), whatever the structure.
// A young ring that rotates phones and accounts can fall into two or three fragments that only its
// domain joins until the rotated values are reported together; four independent corroborated
// groups sharing one value in a minority of their reports is the evidence we ask for (with three,
// the benchmark's young rings lost recall: bench/RESULTS.md).
// A value whose reports share nothing else (every group a single report) is indistinguishable from
// a ring's only phone and keeps linking. The decision is monotone: a value found over-correlated
// never links again (a case id an investigation refers to does not flip back and forth).
//
// The test runs for every value of a case at once (articulation.ts: one depth-first search over
// the case's report–value graph) when the case's size reaches a checkpoint (3, 4, 5, 6, 8, 10, 13,
// … ×1.25, and again from a part's size after a split). The checkpoints grow geometrically, so
// the work on a case of final size S is O(S) in all — constant per arriving report — and nothing
// outside the case is read.

export interface HindsightRule {
  minGroups: number;
  maxCoverage: number;
  hardCap: number;
  firstCheck: number;
}

import { valuePieces } from './articulation.ts';

export const DEFAULT_RULE: HindsightRule = { minGroups: 4, maxCoverage: 0.5, hardCap: 2000, firstCheck: 3 };

export const nextCheckAfter = (n: number) => Math.max(n + 1, Math.floor(n * 1.25));

export interface Verdict {
  over: boolean;
  reason: 'bridge' | 'count' | null;
  /** Corroborated groups v bridges, and v's share of their reports. */
  groups: number;
  coverage: number;
}

/** Union-find over the reports of one component, joining reports that share a fit value other than `skip`. */
export function componentLabels(members: ReadonlyMap<string, readonly string[]>, isFit: (key: string) => boolean, skip?: string): Map<string, string> {
  const ids = [...members.keys()];
  const index = new Map(ids.map((id, i) => [id, i]));
  const parent = Int32Array.from(ids, (_, i) => i);
  const find = (x: number) => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const firstWith = new Map<string, number>();
  for (const [id, keys] of members) {
    const i = index.get(id)!;
    for (const k of keys) {
      if (k === skip || !isFit(k)) continue;
      const f = firstWith.get(k);
      if (f === undefined) firstWith.set(k, i);
      else {
        const a = find(i);
        const b = find(f);
        if (a !== b) parent[a] = b;
      }
    }
  }
  const out = new Map<string, string>();
  for (const id of ids) out.set(id, ids[find(index.get(id)!)]!);
  return out;
}

/** The over-correlation test for one value `v` over the component holding its reports (the reference judgeCase is tested against). */
export function judgeValue(members: ReadonlyMap<string, readonly string[]>, v: string, isFit: (key: string) => boolean, rule: HindsightRule): Verdict {
  let carriers = 0;
  for (const keys of members.values()) if (keys.includes(v)) carriers++;
  if (carriers >= rule.hardCap) return { over: true, reason: 'count', groups: 0, coverage: 1 };
  const labels = componentLabels(members, isFit, v);
  const size = new Map<string, number>();
  const withV = new Map<string, number>();
  for (const [id, keys] of members) {
    const l = labels.get(id)!;
    size.set(l, (size.get(l) ?? 0) + 1);
    if (keys.includes(v)) withV.set(l, (withV.get(l) ?? 0) + 1);
  }
  let groups = 0;
  let inGroups = 0;
  let carried = 0;
  for (const [l, n] of withV) {
    const s = size.get(l)!;
    if (s < 2) continue;
    groups++;
    inGroups += s;
    carried += n;
  }
  const coverage = inGroups ? carried / inGroups : 1;
  const over = groups >= rule.minGroups && coverage <= rule.maxCoverage;
  return { over, reason: over ? 'bridge' : null, groups, coverage };
}

/** The over-correlated values of one case (all values judged in one pass), with their verdicts. */
export function judgeCase(members: ReadonlyMap<string, readonly string[]>, isFit: (key: string) => boolean, rule: HindsightRule): Map<string, Verdict> {
  const out = new Map<string, Verdict>();
  const carriers = new Map<string, number>();
  for (const keys of members.values()) for (const k of keys) if (isFit(k)) carriers.set(k, (carriers.get(k) ?? 0) + 1);
  for (const [k, n] of carriers) if (n >= rule.hardCap) out.set(k, { over: true, reason: 'count', groups: 0, coverage: 1 });
  for (const [k, pieces] of valuePieces(members, isFit)) {
    if (out.has(k)) continue;
    let groups = 0;
    let inGroups = 0;
    let carried = 0;
    for (const p of pieces) {
      if (p.reports < 2) continue;
      groups++;
      inGroups += p.reports;
      carried += p.carried;
    }
    const coverage = inGroups ? carried / inGroups : 1;
    if (groups >= rule.minGroups && coverage <= rule.maxCoverage) out.set(k, { over: true, reason: 'bridge', groups, coverage });
  }
  return out;
}

/** Splits a component into its parts over the fit values: the largest part first (it keeps the case id). */
export function splitParts(members: ReadonlyMap<string, readonly string[]>, isFit: (key: string) => boolean): string[][] {
  const labels = componentLabels(members, isFit);
  const parts = new Map<string, string[]>();
  for (const [id, l] of labels) {
    let p = parts.get(l);
    if (!p) parts.set(l, (p = []));
    p.push(id);
  }
  return [...parts.values()].sort((a, b) => b.length - a.length || (a[0]! < b[0]! ? -1 : 1));
}

export interface SplitRecord {
  from: number;
  into: number;
  via: string;
  reports: number;
}

/**
 * The same rule in memory, one report at a time: union by size on arrival, the over-correlation
 * test at checkpoints, and a local split of the one component a newly over-correlated value was
 * in. This is the reference the SQL version is tested against and what bench/cases.ts measures.
 */
export class HindsightClusters {
  readonly caseOf: number[] = [];
  private readonly members = new Map<number, number[]>();
  private readonly reportKeys: (readonly string[])[] = [];
  private readonly valueReports = new Map<string, number[]>();
  private readonly nextReview = new Map<number, number>();
  readonly overCorrelated = new Map<string, Verdict['reason']>();
  readonly merges: { from: number; into: number; via: string }[] = [];
  readonly splits: SplitRecord[] = [];
  private nextCase = 0;
  /** Reports visited by over-correlation tests and splits (the incremental work beyond union by size). */
  visited = 0;

  constructor(private readonly rule: HindsightRule = DEFAULT_RULE) {}

  isFit = (k: string) => !this.overCorrelated.has(k);

  /** Adds report `report` (0, 1, 2…) with its linkable keys (institutions and official values already removed). */
  add(report: number, keys: readonly string[]): number {
    this.reportKeys[report] = keys;
    const cases = new Map<number, string>();
    for (const k of keys) {
      const rs = this.valueReports.get(k);
      if (rs?.length && this.isFit(k) && !cases.has(this.caseOf[rs[0]!]!)) cases.set(this.caseOf[rs[0]!]!, k);
    }
    let root: number;
    if (!cases.size) {
      root = this.nextCase++;
      this.members.set(root, []);
    } else {
      root = [...cases.keys()].reduce((a, b) => (this.members.get(b)!.length > this.members.get(a)!.length ? b : a));
      for (const [c, via] of cases) {
        if (c === root) continue;
        const into = this.members.get(root)!;
        for (const r of this.members.get(c)!) {
          this.caseOf[r] = root;
          into.push(r);
        }
        this.members.delete(c);
        this.merges.push({ from: c, into: root, via });
      }
    }
    this.caseOf[report] = root;
    this.members.get(root)!.push(report);
    for (const k of keys) {
      let rs = this.valueReports.get(k);
      if (!rs) this.valueReports.set(k, (rs = []));
      rs.push(report);
    }
    this.review(root);
    return this.caseOf[report]!;
  }

  private review(c: number) {
    const ids = this.members.get(c)!;
    if (ids.length < Math.max(this.rule.firstCheck, this.nextReview.get(c) ?? 0)) return;
    this.nextReview.set(c, nextCheckAfter(ids.length));
    this.visited += ids.length;
    const members = new Map(ids.map((r) => [String(r), this.reportKeys[r]!]));
    const over = judgeCase(members, this.isFit, this.rule);
    if (!over.size) return;
    for (const [k, v] of over) this.overCorrelated.set(k, v.reason);
    const via = [...over.keys()][0]!;
    const parts = splitParts(members, this.isFit);
    this.visited += ids.length;
    this.members.set(c, parts[0]!.map(Number));
    this.nextReview.set(c, nextCheckAfter(parts[0]!.length));
    for (const part of parts.slice(1)) {
      const nc = this.nextCase++;
      const rs = part.map(Number);
      for (const r of rs) this.caseOf[r] = nc;
      this.members.set(nc, rs);
      this.nextReview.set(nc, nextCheckAfter(rs.length));
      this.splits.push({ from: c, into: nc, via, reports: rs.length });
    }
  }

  get caseCount(): number {
    return this.members.size;
  }
}

/** From scratch: components over the values fit at the end (the rebuild the incremental path avoids). */
export function rebuildClusters(reports: readonly (readonly string[])[], isFit: (k: string) => boolean): Int32Array {
  const n = reports.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number) => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const first = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    for (const k of reports[i]!) {
      if (!isFit(k)) continue;
      const f = first.get(k);
      if (f === undefined) first.set(k, i);
      else {
        const a = find(i);
        const b = find(f);
        if (a !== b) parent[a] = b;
      }
    }
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = find(i);
  return out;
}
