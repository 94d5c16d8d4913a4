// The access log in memory, shaped for investigations: every read (principal, customer, time,
// fields, order, channel) in typed arrays, grouped by customer (compressed sparse rows sorted by
// time) and by principal. An investigation touches only its victims' rows and the rows of the
// principals that read them; it never scans the whole log. New rows are appended to a small
// tail that queries also read, and folded into the sorted arrays when it grows.
export const CHANNEL_NAMES = ['console', 'api', 'export', 'batch'] as const;

interface TailRow {
  customer: number;
  principal: number;
  order: number;
  fields: number;
  at: number;
  channel: number;
}

export interface AccessRowInput {
  principal: string;
  customer: string;
  order: string | null;
  fields: number;
  at: number;
  channel: string;
  exportId?: string | null;
}

export class Interner {
  readonly ids: string[] = [];
  private readonly map = new Map<string, number>();
  get(id: string): number | undefined {
    return this.map.get(id);
  }
  intern(id: string): number {
    let i = this.map.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(id);
      this.map.set(id, i);
    }
    return i;
  }
  get size() {
    return this.ids.length;
  }
}

/** Raw columns (one entry per read) from which the index is built. */
export interface AccessColumnsInput {
  n: number;
  principal: Int32Array;
  customer: Int32Array;
  order: Int32Array;
  fields: Uint16Array;
  at: Float64Array;
  channel: Uint8Array;
}

export class AccessIndex {
  readonly principals: Interner;
  readonly customers: Interner;
  readonly orders: Interner;
  /** Rows grouped by customer, sorted by time inside each group. */
  byCustomerStart = new Int32Array(1);
  at = new Float64Array(0);
  principal = new Int32Array(0);
  fields = new Uint16Array(0);
  order = new Int32Array(0);
  channel = new Uint8Array(0);
  /** The same reads grouped by principal, in contiguous columns (a principal's scan never
   * jumps around memory: at 10M reads, gathering through a row index costs 10× more). Inside a
   * principal the rows are in customer order (they are copied from the by-customer arrays in
   * order), so its reads of one customer are one run: base rates need no per-customer marks. */
  byPrincipalStart = new Int32Array(1);
  pCustomer = new Int32Array(0);
  pFields = new Uint16Array(0);
  pAt = new Float64Array(0);
  /** Order of each by-principal row (-1: a read of the customer record). */
  pOrder = new Int32Array(0);
  /** Appended rows not yet folded in, also looked up by customer and by principal. */
  private tail: TailRow[] = [];
  private tailByCustomer = new Map<number, TailRow[]>();
  private tailByPrincipal = new Map<number, TailRow[]>();
  /** Customer of each row of the sorted arrays (kept for principal scans). */
  customerOfRow = new Int32Array(0);
  /** Highest source sequence number loaded (for incremental catch-up from the database). */
  lastSeq = 0;

  constructor(interners?: { principals: Interner; customers: Interner; orders: Interner }) {
    this.principals = interners?.principals ?? new Interner();
    this.customers = interners?.customers ?? new Interner();
    this.orders = interners?.orders ?? new Interner();
  }

  get size() {
    return this.at.length + this.tail.length;
  }

  /** Builds the sorted arrays from columns whose principal/customer/order are already interned. */
  static fromColumns(cols: AccessColumnsInput, interners: { principals: Interner; customers: Interner; orders: Interner }): AccessIndex {
    const idx = new AccessIndex(interners);
    idx.build(cols);
    return idx;
  }

  private build(cols: AccessColumnsInput) {
    const n = cols.n;
    const nc = this.customers.size;
    const np = this.principals.size;
    // counting sort by customer
    const start = new Int32Array(nc + 1);
    for (let i = 0; i < n; i++) start[cols.customer[i]! + 1]!++;
    for (let c = 0; c < nc; c++) start[c + 1]! += start[c]!;
    const pos = start.slice(0, nc);
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[pos[cols.customer[i]!]!++] = i;
    // sort each customer's rows by time (groups are small)
    for (let c = 0; c < nc; c++) {
      const a = start[c]!;
      const b = start[c + 1]!;
      for (let i = a + 1; i < b; i++) {
        const v = perm[i]!;
        const t = cols.at[v]!;
        let j = i - 1;
        while (j >= a && cols.at[perm[j]!]! > t) {
          perm[j + 1] = perm[j]!;
          j--;
        }
        perm[j + 1] = v;
      }
    }
    const at = new Float64Array(n);
    const principal = new Int32Array(n);
    const fields = new Uint16Array(n);
    const order = new Int32Array(n);
    const channel = new Uint8Array(n);
    const customerOfRow = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const i = perm[k]!;
      at[k] = cols.at[i]!;
      principal[k] = cols.principal[i]!;
      fields[k] = cols.fields[i]!;
      order[k] = cols.order[i]!;
      channel[k] = cols.channel[i]!;
      customerOfRow[k] = cols.customer[i]!;
    }
    // group rows by principal
    const pstart = new Int32Array(np + 1);
    for (let k = 0; k < n; k++) pstart[principal[k]! + 1]!++;
    for (let p = 0; p < np; p++) pstart[p + 1]! += pstart[p]!;
    const ppos = pstart.slice(0, np);
    const pCustomer = new Int32Array(n);
    const pFields = new Uint16Array(n);
    const pAt = new Float64Array(n);
    const pOrder = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const j = ppos[principal[k]!]!++;
      pCustomer[j] = customerOfRow[k]!;
      pFields[j] = fields[k]!;
      pAt[j] = at[k]!;
      pOrder[j] = order[k]!;
    }
    Object.assign(this, {
      byCustomerStart: start,
      at,
      principal,
      fields,
      order,
      channel,
      customerOfRow,
      byPrincipalStart: pstart,
      pCustomer,
      pFields,
      pAt,
      pOrder,
    });
  }

  /** Appends one read (ids interned here). Folds the tail into the sorted arrays when large. */
  append(r: AccessRowInput) {
    const row: TailRow = {
      customer: this.customers.intern(r.customer),
      principal: this.principals.intern(r.principal),
      order: r.order === null ? -1 : this.orders.intern(r.order),
      fields: r.fields,
      at: r.at,
      channel: Math.max(0, CHANNEL_NAMES.indexOf(r.channel as never)),
    };
    this.tail.push(row);
    const byC = this.tailByCustomer.get(row.customer);
    if (byC) byC.push(row);
    else this.tailByCustomer.set(row.customer, [row]);
    const byP = this.tailByPrincipal.get(row.principal);
    if (byP) byP.push(row);
    else this.tailByPrincipal.set(row.principal, [row]);
  }

  /** Folds appended rows into the sorted arrays (call after a batch of appends). */
  compact(force = false) {
    if (!this.tail.length || (!force && this.tail.length < Math.max(10_000, this.at.length / 20))) return;
    const n0 = this.at.length;
    const n = n0 + this.tail.length;
    const cols: AccessColumnsInput = {
      n,
      principal: new Int32Array(n),
      customer: new Int32Array(n),
      order: new Int32Array(n),
      fields: new Uint16Array(n),
      at: new Float64Array(n),
      channel: new Uint8Array(n),
    };
    cols.principal.set(this.principal);
    cols.customer.set(this.customerOfRow);
    cols.order.set(this.order);
    cols.fields.set(this.fields);
    cols.at.set(this.at);
    cols.channel.set(this.channel);
    this.tail.forEach((t, k) => {
      cols.principal[n0 + k] = t.principal;
      cols.customer[n0 + k] = t.customer;
      cols.order[n0 + k] = t.order;
      cols.fields[n0 + k] = t.fields;
      cols.at[n0 + k] = t.at;
      cols.channel[n0 + k] = t.channel;
    });
    this.tail = [];
    this.tailByCustomer.clear();
    this.tailByPrincipal.clear();
    this.build(cols);
  }

  /** Calls fn for every read of customer c with from ≤ at < to. */
  forCustomer(
    c: number,
    from: number,
    to: number,
    fn: (row: number | -1, principal: number, fields: number, at: number, order: number, channel: number) => void,
  ) {
    if (c < this.byCustomerStart.length - 1) {
      const end = this.byCustomerStart[c + 1]!;
      for (let k = this.firstRowOf(c, from); k < end && this.at[k]! < to; k++)
        fn(k, this.principal[k]!, this.fields[k]!, this.at[k]!, this.order[k]!, this.channel[k]!);
    }
    this.forCustomerTail(c, from, to, fn);
  }

  /**
   * The first row of customer c (in the sorted arrays) read at or after `from`, by binary search;
   * the customer's rows end at byCustomerStart[c + 1]. Hot loops scan the columns from there
   * themselves instead of taking a callback per read. c must be below byCustomerStart.length - 1.
   */
  firstRowOf(c: number, from: number): number {
    let lo = this.byCustomerStart[c]!;
    let hi = this.byCustomerStart[c + 1]!;
    const at = this.at;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (at[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Only the appended, not yet folded rows of customer c (row is -1 for them). */
  forCustomerTail(
    c: number,
    from: number,
    to: number,
    fn: (row: number | -1, principal: number, fields: number, at: number, order: number, channel: number) => void,
  ) {
    if (this.tailByCustomer.size === 0) return;
    for (const t of this.tailByCustomer.get(c) ?? []) if (t.at >= from && t.at < to) fn(-1, t.principal, t.fields, t.at, t.order, t.channel);
  }

  /** Calls fn for every read by principal p with from ≤ at < to. */
  forPrincipal(p: number, from: number, to: number, fn: (customer: number, fields: number, at: number, order: number) => void) {
    if (p < this.byPrincipalStart.length - 1) {
      const a = this.byPrincipalStart[p]!;
      const b = this.byPrincipalStart[p + 1]!;
      const at = this.pAt;
      for (let k = a; k < b; k++) {
        const t = at[k]!;
        if (t >= from && t < to) fn(this.pCustomer[k]!, this.pFields[k]!, t, this.pOrder[k]!);
      }
    }
    this.forPrincipalTail(p, from, to, fn);
  }

  /** Only the appended, not yet folded rows of principal p (hot loops read the columns directly). */
  forPrincipalTail(p: number, from: number, to: number, fn: (customer: number, fields: number, at: number, order: number) => void) {
    if (this.tailByPrincipal.size === 0) return;
    for (const t of this.tailByPrincipal.get(p) ?? []) if (t.at >= from && t.at < to) fn(t.customer, t.fields, t.at, t.order);
  }

  /** Whether principal p has appended rows not yet folded in. */
  hasTail(p: number): boolean {
    return this.tailByPrincipal.has(p);
  }

  /** Reads of principal p in the folded arrays plus its appended rows. */
  rowCount(p: number): number {
    const folded = p < this.byPrincipalStart.length - 1 ? this.byPrincipalStart[p + 1]! - this.byPrincipalStart[p]! : 0;
    return folded + (this.tailByPrincipal.get(p)?.length ?? 0);
  }
}
