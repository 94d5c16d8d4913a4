// The events in the life of each order of an investigation's population (placed, refund
// requested), shaped for the timing comparison: for a victim called some time after the last
// event of its order, which other units were at the same point of their life at the same moment.
// Refund scams call right after such events, and so do the shop's ordinary readers (the seller
// ships, after-sales answers the refund): comparing the victim's recent reads with those of units
// whose last event was just as recent removes what the event itself explains.

export const EVENT_PLACED = 0;
export const EVENT_REFUND = 1;

export interface LifeEventInput {
  order: number;
  at: number;
  kind: typeof EVENT_PLACED | typeof EVENT_REFUND;
}

export interface LifeEvents {
  /** The events of each kind (EVENT_PLACED, EVENT_REFUND), sorted by time: a victim's matches are of its kind only. */
  byKind: { at: Float64Array; order: Int32Array }[];
  /** Per order: its events (compressed rows, sorted by time). */
  orderStart: Int32Array;
  orderAt: Float64Array;
  orderKind: Uint8Array;
  /** Per customer: its orders that have events (compressed rows). */
  customerStart: Int32Array;
  customerOrders: Int32Array;
}

export interface LastEvent {
  at: number;
  kind: number;
}

/**
 * Lag buckets (hours) between a unit's last event and the contact. Log-spaced: a unit's
 * ordinary reads thin out as the event recedes, fastest in the first hours, so the buckets are
 * narrow there and widen with the lag (each at most 1.5× the one before).
 */
const LAG_EDGES_H = [0, 2, 4, 8, 12, 18, 24, 36, 48, 72, 96, 144, 192, 288, 384, 576, 768, 1152, Infinity];
const HOUR = 3_600_000;

/** The bucket of a lag in ms, and its [lo, hi) bounds in ms. */
export function lagBucket(lag: number): { bucket: number; lo: number; hi: number } {
  let b = 0;
  while (lag >= LAG_EDGES_H[b + 1]! * HOUR) b++;
  return { bucket: b, lo: LAG_EDGES_H[b]! * HOUR, hi: LAG_EDGES_H[b + 1]! * HOUR };
}

export function buildLifeEvents(orderCount: number, orderCustomer: Int32Array, customerCount: number, events: Iterable<LifeEventInput>): LifeEvents {
  const list = [...events].filter((e) => e.order >= 0 && e.order < orderCount && Number.isFinite(e.at));
  list.sort((a, b) => a.at - b.at || a.order - b.order || a.kind - b.kind);
  const n = list.length;
  const byKind = [EVENT_PLACED, EVENT_REFUND].map((k) => {
    const of = list.filter((e) => e.kind === k);
    return { at: Float64Array.from(of, (e) => e.at), order: Int32Array.from(of, (e) => e.order) };
  });
  const orderStart = new Int32Array(orderCount + 1);
  for (const e of list) orderStart[e.order + 1]!++;
  for (let o = 0; o < orderCount; o++) orderStart[o + 1]! += orderStart[o]!;
  const fill = orderStart.slice(0, orderCount);
  const orderAt = new Float64Array(n);
  const orderKind = new Uint8Array(n);
  // `list` is sorted by time, so each order's events land in time order
  for (const e of list) {
    const j = fill[e.order]!++;
    orderAt[j] = e.at;
    orderKind[j] = e.kind;
  }
  const customerStart = new Int32Array(customerCount + 1);
  for (let o = 0; o < orderCount; o++) {
    const c = orderCustomer[o]!;
    if (c >= 0 && c < customerCount && orderStart[o + 1]! > orderStart[o]!) customerStart[c + 1]!++;
  }
  for (let c = 0; c < customerCount; c++) customerStart[c + 1]! += customerStart[c]!;
  const cfill = customerStart.slice(0, customerCount);
  const customerOrders = new Int32Array(customerStart[customerCount]!);
  for (let o = 0; o < orderCount; o++) {
    const c = orderCustomer[o]!;
    if (c >= 0 && c < customerCount && orderStart[o + 1]! > orderStart[o]!) customerOrders[cfill[c]!++] = o;
  }
  return { byKind, orderStart, orderAt, orderKind, customerStart, customerOrders };
}

/** The last event of an order strictly before t (null: none known). */
export function lastOrderEvent(ev: LifeEvents, o: number, t: number): LastEvent | null {
  if (o < 0 || o + 1 >= ev.orderStart.length) return null;
  let best: LastEvent | null = null;
  for (let j = ev.orderStart[o]!; j < ev.orderStart[o + 1]! && ev.orderAt[j]! < t; j++) best = { at: ev.orderAt[j]!, kind: ev.orderKind[j]! };
  return best;
}

/**
 * Whether the order's event (at, kind) is its last before t: no event of it later (or at the same
 * instant and of a later kind, as `lastOrderEvent` orders them) and before t. Allocation-free: it
 * runs for every candidate of every matched set.
 */
export function isLastOrderEventBefore(ev: LifeEvents, o: number, at: number, kind: number, t: number): boolean {
  for (let j = ev.orderStart[o]!; j < ev.orderStart[o + 1]!; j++) {
    const a = ev.orderAt[j]!;
    if (a >= t) break;
    if (a > at || (a === at && ev.orderKind[j]! > kind)) return false;
  }
  return true;
}

/** The last event of any of a customer's orders strictly before t (ties: the refund request). */
export function lastCustomerEvent(ev: LifeEvents, c: number, t: number): LastEvent | null {
  if (c < 0 || c + 1 >= ev.customerStart.length) return null;
  let best: LastEvent | null = null;
  for (let k = ev.customerStart[c]!; k < ev.customerStart[c + 1]!; k++) {
    const e = lastOrderEvent(ev, ev.customerOrders[k]!, t);
    if (e && (!best || e.at > best.at || (e.at === best.at && e.kind > best.kind))) best = e;
  }
  return best;
}

/** Index of the first of the (sorted) times at or after t. */
export function firstEventAtOrAfter(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
