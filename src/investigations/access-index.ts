// The access log in memory, shaped for investigations: every read (principal, customer, time,
// fields, order, channel) in typed arrays, grouped by customer (compressed sparse rows sorted by
// time) and by principal. An investigation touches only its victims' rows and the rows of the
// principals that read them; it never scans the whole log. New rows are appended to a small
// columnar tail that queries also read, and folded into the sorted arrays when it grows.
//
// Memory is bounded per read (issue #20: ≤ 40 bytes a read at a hundred million reads, both
// copies, tail and interners included; `memory()` counts it). Times stay exact to the
// millisecond, because evidence shows them and windows compare them with contact times to the
// millisecond: each is stored as 40 bits after a base (a Uint32 and a Uint8, 34 years of range)
// instead of a Float64. Ids are dense numbers from compact interners.
import { Interner } from './interner.ts';

export { Interner } from './interner.ts';
export const CHANNEL_NAMES = ['console', 'api', 'export', 'batch'] as const;

const HI = 4294967296; // 2^32
/** The tail is folded in when it reaches 1/TAIL_SHARE of the folded rows: a fold costs a pass
 * over the whole index, and a full tail costs about 46 bytes a row (columns, chains, spare room). */
const TAIL_SHARE = 32;
/** Largest time offset from the base that 40 bits hold. */
const MAX_OFFSET = 2 ** 40 - 1;

export interface AccessRowInput {
  principal: string;
  customer: string;
  order: string | null;
  fields: number;
  /** Integer milliseconds. */
  at: number;
  channel: string;
  exportId?: string | null;
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

/** Bytes the index holds, by part, and per read. */
export interface AccessIndexMemory {
  reads: number;
  byCustomer: number;
  byPrincipal: number;
  tail: number;
  interners: number;
  total: number;
  bytesPerRead: number;
}

type Interners = { principals: Interner; customers: Interner; orders: Interner };

export class AccessIndex {
  readonly principals: Interner;
  readonly customers: Interner;
  readonly orders: Interner;
  /** Time offsets are from this instant (ms); the earliest read when the arrays were built. */
  atBase = 0;
  /** Rows grouped by customer, sorted by time inside each group. */
  byCustomerStart = new Int32Array(1);
  /** Low 32 bits of each row's time offset (read times through atOf). */
  atLo = new Uint32Array(0);
  /** High 8 bits of each row's time offset. */
  atHi = new Uint8Array(0);
  /** Principal of each row: 16 bits while there are fewer than 65,536 principals, else 32. */
  principal: Int32Array | Uint16Array = new Uint16Array(0);
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
  pAtLo = new Uint32Array(0);
  pAtHi = new Uint8Array(0);
  /** Order of each by-principal row (-1: a read of the customer record). */
  pOrder = new Int32Array(0);
  private readonly tail = new Tail();
  /** Highest source sequence number loaded (for incremental catch-up from the database). */
  lastSeq = 0;

  constructor(interners?: Interners) {
    this.principals = interners?.principals ?? new Interner();
    this.customers = interners?.customers ?? new Interner();
    this.orders = interners?.orders ?? new Interner();
  }

  /** Reads held (folded and appended). */
  get size() {
    return this.atLo.length + this.tail.n;
  }

  /** Reads appended and not yet folded in. */
  get tailSize() {
    return this.tail.n;
  }

  /** Time (ms) of by-customer row k. */
  atOf(k: number): number {
    return this.atBase + this.atHi[k]! * HI + this.atLo[k]!;
  }

  /** Time (ms) of by-principal row k. */
  pAtOf(k: number): number {
    return this.atBase + this.pAtHi[k]! * HI + this.pAtLo[k]!;
  }

  /** Builds the sorted arrays from columns whose principal/customer/order are already interned. */
  static fromColumns(cols: AccessColumnsInput, interners: Interners): AccessIndex {
    const idx = new AccessIndex(interners);
    idx.build(cols);
    return idx;
  }

  private build(cols: AccessColumnsInput) {
    const n = cols.n;
    const nc = this.customers.size;
    const np = this.principals.size;
    let base = Infinity;
    for (let i = 0; i < n; i++) if (cols.at[i]! < base) base = cols.at[i]!;
    if (n === 0) base = 0;
    // counting sort by customer
    const start = new Int32Array(nc + 1);
    for (let i = 0; i < n; i++) start[cols.customer[i]! + 1]!++;
    for (let c = 0; c < nc; c++) start[c + 1]! += start[c]!;
    const pos = start.slice(0, nc);
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[pos[cols.customer[i]!]!++] = i;
    // sort each customer's rows by time (groups are small; equal times keep their input order)
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
    const atLo = new Uint32Array(n);
    const atHi = new Uint8Array(n);
    const principal = np <= 0x10000 ? new Uint16Array(n) : new Int32Array(n);
    const fields = new Uint16Array(n);
    const order = new Int32Array(n);
    const channel = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const i = perm[k]!;
      const off = cols.at[i]! - base;
      if (!(off <= MAX_OFFSET) || !Number.isInteger(off)) throw new RangeError('access times must be integer milliseconds within 34 years of each other');
      atLo[k] = off % HI;
      atHi[k] = Math.floor(off / HI);
      principal[k] = cols.principal[i]!;
      fields[k] = cols.fields[i]!;
      order[k] = cols.order[i]!;
      channel[k] = cols.channel[i]!;
    }
    // group rows by principal, customer by customer (so each principal's rows are in customer order)
    const pstart = new Int32Array(np + 1);
    for (let k = 0; k < n; k++) pstart[principal[k]! + 1]!++;
    for (let p = 0; p < np; p++) pstart[p + 1]! += pstart[p]!;
    const ppos = pstart.slice(0, np);
    const pCustomer = new Int32Array(n);
    const pFields = new Uint16Array(n);
    const pAtLo = new Uint32Array(n);
    const pAtHi = new Uint8Array(n);
    const pOrder = new Int32Array(n);
    for (let c = 0; c < nc; c++) {
      for (let k = start[c]!, end = start[c + 1]!; k < end; k++) {
        const j = ppos[principal[k]!]!++;
        pCustomer[j] = c;
        pFields[j] = fields[k]!;
        pAtLo[j] = atLo[k]!;
        pAtHi[j] = atHi[k]!;
        pOrder[j] = order[k]!;
      }
    }
    Object.assign(this, {
      atBase: base,
      byCustomerStart: start,
      atLo,
      atHi,
      principal,
      fields,
      order,
      channel,
      byPrincipalStart: pstart,
      pCustomer,
      pFields,
      pAtLo,
      pAtHi,
      pOrder,
    });
  }

  /** Appends one read (ids interned here). Call compact() after a batch of appends. */
  append(r: AccessRowInput) {
    this.tail.push(
      this.customers.intern(r.customer),
      this.principals.intern(r.principal),
      r.order === null ? -1 : this.orders.intern(r.order),
      r.fields,
      r.at,
      Math.max(0, CHANNEL_NAMES.indexOf(r.channel as never)),
    );
  }

  /** Folds appended rows into the sorted arrays when the tail has grown (or always, with force). */
  compact(force = false) {
    const t = this.tail;
    if (!t.n || (!force && t.n < Math.max(10_000, this.atLo.length / TAIL_SHARE))) return;
    const n0 = this.atLo.length;
    const n = n0 + t.n;
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
    cols.order.set(this.order);
    cols.fields.set(this.fields);
    cols.channel.set(this.channel);
    for (let c = 0; c < this.byCustomerStart.length - 1; c++) cols.customer.fill(c, this.byCustomerStart[c]!, this.byCustomerStart[c + 1]!);
    for (let k = 0; k < n0; k++) cols.at[k] = this.atOf(k);
    cols.principal.set(t.principal.subarray(0, t.n), n0);
    cols.customer.set(t.customer.subarray(0, t.n), n0);
    cols.order.set(t.order.subarray(0, t.n), n0);
    cols.fields.set(t.fields.subarray(0, t.n), n0);
    cols.at.set(t.at.subarray(0, t.n), n0);
    cols.channel.set(t.channel.subarray(0, t.n), n0);
    // the old arrays are copied out: let them go before the new ones are allocated
    t.clear();
    Object.assign(this, {
      atLo: new Uint32Array(0),
      atHi: new Uint8Array(0),
      principal: new Uint16Array(0),
      fields: new Uint16Array(0),
      order: new Int32Array(0),
      channel: new Uint8Array(0),
      pCustomer: new Int32Array(0),
      pFields: new Uint16Array(0),
      pAtLo: new Uint32Array(0),
      pAtHi: new Uint8Array(0),
      pOrder: new Int32Array(0),
    });
    this.build(cols);
    this.principals.trim();
    this.customers.trim();
    this.orders.trim();
  }

  /** Bytes held, by part (typed arrays' byteLength, spare capacity included), and per read. */
  memory(): AccessIndexMemory {
    const byCustomer = [this.byCustomerStart, this.atLo, this.atHi, this.principal, this.fields, this.order, this.channel].reduce(
      (s, a) => s + a.byteLength,
      0,
    );
    const byPrincipal = [this.byPrincipalStart, this.pCustomer, this.pFields, this.pAtLo, this.pAtHi, this.pOrder].reduce((s, a) => s + a.byteLength, 0);
    const tail = this.tail.byteLength;
    const interners = this.principals.byteLength + this.customers.byteLength + this.orders.byteLength;
    const total = byCustomer + byPrincipal + tail + interners;
    return { reads: this.size, byCustomer, byPrincipal, tail, interners, total, bytesPerRead: this.size ? total / this.size : 0 };
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
      for (let k = this.firstRowOf(c, from); k < end; k++) {
        const at = this.atOf(k);
        if (at >= to) break;
        fn(k, this.principal[k]!, this.fields[k]!, at, this.order[k]!, this.channel[k]!);
      }
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
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.atOf(mid) < from) lo = mid + 1;
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
    const t = this.tail;
    if (!t.n) return;
    t.link(this.customers.size, this.principals.size);
    for (let r = c < t.firstByC.length ? t.firstByC[c]! : -1; r >= 0; r = t.nextByC[r]!) {
      const at = t.at[r]!;
      if (at >= from && at < to) fn(-1, t.principal[r]!, t.fields[r]!, at, t.order[r]!, t.channel[r]!);
    }
  }

  /** Calls fn for every read by principal p with from ≤ at < to. */
  forPrincipal(p: number, from: number, to: number, fn: (customer: number, fields: number, at: number, order: number) => void) {
    if (p < this.byPrincipalStart.length - 1) {
      for (let k = this.byPrincipalStart[p]!, b = this.byPrincipalStart[p + 1]!; k < b; k++) {
        const t = this.pAtOf(k);
        if (t >= from && t < to) fn(this.pCustomer[k]!, this.pFields[k]!, t, this.pOrder[k]!);
      }
    }
    this.forPrincipalTail(p, from, to, fn);
  }

  /** Only the appended, not yet folded rows of principal p (hot loops read the columns directly). */
  forPrincipalTail(p: number, from: number, to: number, fn: (customer: number, fields: number, at: number, order: number) => void) {
    const t = this.tail;
    if (!t.n) return;
    t.link(this.customers.size, this.principals.size);
    for (let r = p < t.firstByP.length ? t.firstByP[p]! : -1; r >= 0; r = t.nextByP[r]!) {
      const at = t.at[r]!;
      if (at >= from && at < to) fn(t.customer[r]!, t.fields[r]!, at, t.order[r]!);
    }
  }

  /** Whether principal p has appended rows not yet folded in. */
  hasTail(p: number): boolean {
    const t = this.tail;
    if (!t.n) return false;
    t.link(this.customers.size, this.principals.size);
    return p < t.firstByP.length && t.firstByP[p]! >= 0;
  }

  /** Reads of principal p in the folded arrays plus its appended rows. */
  rowCount(p: number): number {
    const folded = p < this.byPrincipalStart.length - 1 ? this.byPrincipalStart[p + 1]! - this.byPrincipalStart[p]! : 0;
    let tail = 0;
    this.forPrincipalTail(p, -Infinity, Infinity, () => tail++);
    return folded + tail;
  }
}

/**
 * Appended rows in growable columns. Per customer and per principal they are chained in append
 * order (first row per id, next row per row); the chains are built when a query first needs them,
 * so a bulk load that is folded straight away never builds them.
 */
class Tail {
  n = 0;
  customer = new Int32Array(0);
  principal = new Int32Array(0);
  order = new Int32Array(0);
  fields = new Uint16Array(0);
  at = new Float64Array(0);
  channel = new Uint8Array(0);
  firstByC = new Int32Array(0);
  lastByC = new Int32Array(0);
  nextByC = new Int32Array(0);
  firstByP = new Int32Array(0);
  lastByP = new Int32Array(0);
  nextByP = new Int32Array(0);
  private linked = 0;

  push(customer: number, principal: number, order: number, fields: number, at: number, channel: number) {
    if (this.n === this.at.length) this.resize(Math.max(1024, Math.ceil(this.n * 1.5)));
    const i = this.n++;
    this.customer[i] = customer;
    this.principal[i] = principal;
    this.order[i] = order;
    this.fields[i] = fields;
    this.at[i] = at;
    this.channel[i] = channel;
  }

  /** Chains the rows appended since the last call (ids below nc customers, np principals). */
  link(nc: number, np: number) {
    if (this.linked === this.n) return;
    if (this.nextByC.length < this.at.length) {
      this.nextByC = copyInto(new Int32Array(this.at.length), this.nextByC);
      this.nextByP = copyInto(new Int32Array(this.at.length), this.nextByP);
    }
    if (this.firstByC.length < nc) [this.firstByC, this.lastByC] = [widen(this.firstByC, nc), widen(this.lastByC, nc)];
    if (this.firstByP.length < np) [this.firstByP, this.lastByP] = [widen(this.firstByP, np), widen(this.lastByP, np)];
    for (let r = this.linked; r < this.n; r++) {
      chain(this.firstByC, this.lastByC, this.nextByC, this.customer[r]!, r);
      chain(this.firstByP, this.lastByP, this.nextByP, this.principal[r]!, r);
    }
    this.linked = this.n;
  }

  clear() {
    this.n = 0;
    this.linked = 0;
    this.resize(0);
    for (const k of ['firstByC', 'lastByC', 'nextByC', 'firstByP', 'lastByP', 'nextByP'] as const) this[k] = new Int32Array(0);
  }

  get byteLength() {
    return [
      this.customer,
      this.principal,
      this.order,
      this.fields,
      this.at,
      this.channel,
      this.firstByC,
      this.lastByC,
      this.nextByC,
      this.firstByP,
      this.lastByP,
      this.nextByP,
    ].reduce((s, a) => s + a.byteLength, 0);
  }

  private resize(cap: number) {
    this.customer = copyInto(new Int32Array(cap), this.customer.subarray(0, this.n));
    this.principal = copyInto(new Int32Array(cap), this.principal.subarray(0, this.n));
    this.order = copyInto(new Int32Array(cap), this.order.subarray(0, this.n));
    this.fields = copyInto(new Uint16Array(cap), this.fields.subarray(0, this.n));
    this.at = copyInto(new Float64Array(cap), this.at.subarray(0, this.n));
    this.channel = copyInto(new Uint8Array(cap), this.channel.subarray(0, this.n));
  }
}

function copyInto<T extends Int32Array | Uint16Array | Uint8Array | Float64Array>(to: T, from: T): T {
  to.set(from as never);
  return to;
}

/** A copy of a (first/last row per id) array widened to n ids, new ids with no row (-1). */
function widen(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(n, Math.ceil(a.length * 1.5))).fill(-1);
  b.set(a);
  return b;
}

function chain(first: Int32Array, last: Int32Array, next: Int32Array, id: number, r: number) {
  next[r] = -1;
  if (first[id]! < 0) first[id] = r;
  else next[last[id]!] = r;
  last[id] = r;
}
