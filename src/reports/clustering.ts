// The OLD case-clustering rule, kept as bench/cases.ts's named baseline (the MISP-style cap):
// cases are connected components of reports that share an indicator value; a value stops linking
// once `cap` reports carry it, and what it joined before stays joined. The service now clusters in
// hindsight (hindsight.ts): over-correlated values stop linking and the cases they joined split.

export interface MergeRecord {
  from: number;
  into: number;
  via: string;
}

/** Incremental clustering: union by size, members of the smaller case relabelled (O(n log n) total). */
export class IncrementalClusters {
  private readonly indicatorCase = new Map<string, number>();
  private readonly indicatorCount = new Map<string, number>();
  readonly caseOf: number[] = [];
  private readonly members = new Map<number, number[]>();
  private nextCase = 0;
  readonly merges: MergeRecord[] = [];

  constructor(private readonly cap: number) {}

  /** Adds report number `report` (0, 1, 2… in arrival order) with its linkable indicator keys. Returns its case. */
  add(report: number, keys: readonly string[]): number {
    const linked: [number, string][] = [];
    for (const k of keys) {
      const n = this.indicatorCount.get(k) ?? 0;
      if (n > 0 && n < this.cap) linked.push([this.resolve(this.indicatorCase.get(k)!), k]);
    }
    let root: number;
    if (linked.length === 0) {
      root = this.nextCase++;
      this.members.set(root, []);
    } else {
      root = linked[0]![0];
      for (const [c] of linked) if (this.members.get(c)!.length > this.members.get(root)!.length) root = c;
      for (const [c, via] of linked) {
        if (c === root || !this.members.has(c)) continue;
        const moved = this.members.get(c)!;
        const into = this.members.get(root)!;
        for (const r of moved) {
          this.caseOf[r] = root;
          into.push(r);
        }
        this.members.delete(c);
        this.merges.push({ from: c, into: root, via });
        // Indicators pointing at the absorbed case now point at the root.
        this.renamed.set(c, root);
      }
    }
    this.caseOf[report] = root;
    this.members.get(root)!.push(report);
    for (const k of keys) {
      const n = (this.indicatorCount.get(k) ?? 0) + 1;
      this.indicatorCount.set(k, n);
      if (n === 1) this.indicatorCase.set(k, root);
      else if (this.renamed.size) this.indicatorCase.set(k, this.resolve(this.indicatorCase.get(k)!));
    }
    return root;
  }

  // Absorbed case → the case it went into. Indicator pointers are resolved lazily (with path
  // compression) instead of rewriting every indicator of the smaller case on each merge.
  private readonly renamed = new Map<number, number>();
  private resolve(c: number): number {
    let r = c;
    while (this.renamed.has(r)) r = this.renamed.get(r)!;
    let x = c;
    while (x !== r) {
      const next = this.renamed.get(x)!;
      this.renamed.set(x, r);
      x = next;
    }
    return r;
  }

  /** Resolves indicator pointers on read too (they may lag behind merges). */
  caseOfIndicator(k: string): number | undefined {
    const c = this.indicatorCase.get(k);
    return c === undefined ? undefined : this.resolve(c);
  }

  get caseCount(): number {
    return this.members.size;
  }
}

/** From-scratch union-find over all reports at once (path halving, union by size), same cap rule. */
export function batchClusters(reports: readonly (readonly string[])[], cap: number): Int32Array {
  const n = reports.length;
  const parent = new Int32Array(n);
  const size = new Int32Array(n).fill(1);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number) => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const first = new Map<string, number>();
  const count = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    for (const k of reports[i]!) {
      const c = count.get(k) ?? 0;
      count.set(k, c + 1);
      if (c === 0) {
        first.set(k, i);
        continue;
      }
      if (c >= cap) continue;
      let a = find(i);
      let b = find(first.get(k)!);
      if (a === b) continue;
      if (size[a]! < size[b]!) [a, b] = [b, a];
      parent[b] = a;
      size[a]! += size[b]!;
    }
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = find(i);
  return out;
}

/** Canonical partition (each report → smallest report number in its component), to compare clusterings. */
export function canonicalPartition(labels: ArrayLike<number>): number[] {
  const firstOf = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!firstOf.has(l)) firstOf.set(l, i);
    out.push(firstOf.get(l)!);
  }
  return out;
}
