// The over-correlation test for every value of a case in one pass: Tarjan's articulation points on
// the bipartite report–value graph. Removing value v splits its component into pieces (v's reports
// fall into them); the pieces are exactly the groups hindsight.ts's rule counts. One iterative
// depth-first search gives, for every value at once, each piece's report count and how many of
// v's reports it holds — O(reports + links), instead of one traversal per value.

export interface Piece {
  reports: number;
  carried: number;
}

/**
 * For each value key of the graph, the pieces its removal leaves (only for values whose removal
 * splits their component; a value that splits nothing has one piece and is left out).
 */
export function valuePieces(members: ReadonlyMap<string, readonly string[]>, isFit: (key: string) => boolean): Map<string, Piece[]> {
  const reportIds = [...members.keys()];
  const R = reportIds.length;
  const valueIndex = new Map<string, number>();
  const valueKeys: string[] = [];
  const edges: [number, number][] = [];
  reportIds.forEach((id, r) => {
    for (const k of members.get(id)!) {
      if (!isFit(k)) continue;
      let v = valueIndex.get(k);
      if (v === undefined) {
        v = R + valueKeys.length;
        valueIndex.set(k, v);
        valueKeys.push(k);
      }
      edges.push([r, v]);
    }
  });
  const N = R + valueKeys.length;
  // Compressed adjacency.
  const deg = new Int32Array(N + 1);
  for (const [a, b] of edges) {
    deg[a]!++;
    deg[b]!++;
  }
  const start = new Int32Array(N + 1);
  for (let i = 0; i < N; i++) start[i + 1] = start[i]! + deg[i]!;
  const adj = new Int32Array(start[N]!);
  const fill = start.slice(0, N);
  for (const [a, b] of edges) {
    adj[fill[a]!++] = b;
    adj[fill[b]!++] = a;
  }

  const disc = new Int32Array(N).fill(-1);
  const low = new Int32Array(N);
  const parent = new Int32Array(N).fill(-1);
  const sub = new Int32Array(N); // reports in the DFS subtree
  const span = new Int32Array(N); // nodes in the DFS subtree (disc order is contiguous)
  const next = new Int32Array(N); // next adjacency position to visit
  const compReports = new Int32Array(N); // reports in the node's component (set on the root)
  const rootOf = new Int32Array(N);
  let time = 0;
  const stack: number[] = [];
  for (let s = 0; s < N; s++) {
    if (disc[s] !== -1) continue;
    disc[s] = low[s] = time++;
    next[s] = start[s]!;
    rootOf[s] = s;
    stack.push(s);
    while (stack.length) {
      const u = stack[stack.length - 1]!;
      if (next[u]! < start[u + 1]!) {
        const w = adj[next[u]!++]!;
        if (disc[w] === -1) {
          parent[w] = u;
          rootOf[w] = s;
          disc[w] = low[w] = time++;
          next[w] = start[w]!;
          stack.push(w);
        } else if (w !== parent[u]) low[u] = Math.min(low[u]!, disc[w]!);
      } else {
        stack.pop();
        sub[u] = sub[u]! + (u < R ? 1 : 0);
        span[u] = span[u]! + 1;
        const p = parent[u]!;
        if (p >= 0) {
          low[p] = Math.min(low[p]!, low[u]!);
          sub[p] = sub[p]! + sub[u]!;
          span[p] = span[p]! + span[u]!;
        }
      }
    }
    compReports[s] = sub[s]!;
  }

  // Separated children of each value node: children c with low[c] >= disc[v].
  const out = new Map<string, Piece[]>();
  for (let v = R; v < N; v++) {
    const children: number[] = [];
    for (let i = start[v]!; i < start[v + 1]!; i++) {
      const c = adj[i]!;
      if (parent[c] === v && low[c]! >= disc[v]!) children.push(c);
    }
    const isRoot = parent[v] === -1;
    if (isRoot ? children.length < 2 : children.length < 1) continue;
    children.sort((a, b) => disc[a]! - disc[b]!);
    const pieces: Piece[] = children.map((c) => ({ reports: sub[c]!, carried: 0 }));
    const rest: Piece = { reports: compReports[rootOf[v]!]! - pieces.reduce((n, p) => n + p.reports, 0), carried: 0 };
    for (let i = start[v]!; i < start[v + 1]!; i++) {
      const u = adj[i]!;
      // Binary search for the separated child whose disc interval holds u.
      let lo = 0;
      let hi = children.length - 1;
      let at = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const c = children[mid]!;
        if (disc[u]! < disc[c]!) hi = mid - 1;
        else if (disc[u]! >= disc[c]! + span[c]!) lo = mid + 1;
        else {
          at = mid;
          break;
        }
      }
      if (at >= 0) pieces[at]!.carried++;
      else rest.carried++;
    }
    if (!isRoot) pieces.push(rest);
    out.set(valueKeys[v - R]!, pieces);
  }
  return out;
}
