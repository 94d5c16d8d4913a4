// The baseline population an investigation compares victims against: the customers (and their
// orders) who could have been victims in the same period, split into strata matched on what
// selects victims. Refund scams pick customers with a recent order, and a refund request is a
// strong selector (leaked refund data makes the "your refund failed" script work); how often a
// customer buys is another (a frequent buyer is read by more principals, and a bought list of
// "active buyers" selects on it). So a customer's stratum is
//   (refund requested in the period?) × (orders placed in the period: 1, 2–3, 4 or more),
// and an order's stratum is (refund requested for this order in the period?) × (its customer's
// activity). Canary customers and their orders are never part of it.

import { buildLifeEvents, EVENT_PLACED, EVENT_REFUND, type LifeEventInput, type LifeEvents } from './life-events.ts';

/** Kinds of principal whose work the shop assigns (queues, shifts), rather than customers choosing them. */
export const ASSIGNED_KINDS = new Set(['staff', 'system']);

/** The baseline: which customers and orders could have been victims, in strata matched on the victims. */
export interface Population {
  /** Per customer index: 0 = outside the population (or a canary), s ≥ 1 = stratum s. */
  stratum: Uint8Array;
  /** Human-readable stratum names, index s-1. */
  labels: string[];
  /** Members of each stratum (optional: computed from `stratum` when absent). */
  members?: Int32Array[];
  /** Per order index: 0 = outside, s ≥ 1 = stratum s (same number of strata as customers). */
  orderStratum?: Uint8Array;
  orderLabels?: string[];
  orderMembers?: Int32Array[];
  /** Customer of each order in the population (−1: unknown). */
  orderCustomer?: Int32Array;
  /** The orders' life events in the period (placed, refund requested), when their times are known. */
  events?: LifeEvents;
}

const ACTIVITY = ['1 order', '2–3 orders', '4+ orders'];
const activityOf = (orders: number) => (orders >= 4 ? 2 : orders >= 2 ? 1 : 0);

export const STRATUM_LABELS = ['no refund request', 'refund requested'].flatMap((r) => ACTIVITY.map((a) => `${r}, ${a} in the period`));
export const CUSTOMER_STRATUM_LABELS = STRATUM_LABELS.map((l) => `customers: ${l}`);
export const ORDER_STRATUM_LABELS = STRATUM_LABELS.map((l) => `orders: ${l}`);

export interface PopulationOrder {
  order: number;
  customer: number;
  /** When it was placed (for `placed`) or the refund requested (for `refunded`): the timing comparison's life events. */
  at?: number;
}

/**
 * @param placed orders placed in the period (with their customer)
 * @param refunded orders with a refund requested in the period (placed then or before)
 * @param victims the victims' customers and, for order-level victims, their orders: they always
 *   belong to the population they were drawn from
 */
export function buildPopulation(
  customerCount: number,
  orderCount: number,
  placed: Iterable<PopulationOrder>,
  refunded: Iterable<PopulationOrder>,
  victims: Iterable<{ customer: number; order?: number }>,
  isCanary?: (c: number) => boolean,
): Population {
  const nOrders = new Uint16Array(customerCount);
  const refundedCustomer = new Uint8Array(customerCount);
  const inPop = new Uint8Array(customerCount);
  const orderCustomer = new Int32Array(orderCount).fill(-1);
  const orderRefunded = new Uint8Array(orderCount);
  const ok = (c: number) => c >= 0 && c < customerCount;
  const events: LifeEventInput[] = [];
  for (const o of placed) {
    if (!ok(o.customer) || o.order < 0 || o.order >= orderCount) continue;
    if (o.at !== undefined) events.push({ order: o.order, at: o.at, kind: EVENT_PLACED });
    if (orderCustomer[o.order] === -1) nOrders[o.customer] = Math.min(65535, nOrders[o.customer]! + 1);
    orderCustomer[o.order] = o.customer;
    inPop[o.customer] = 1;
  }
  for (const o of refunded) {
    if (!ok(o.customer) || o.order < 0 || o.order >= orderCount) continue;
    if (o.at !== undefined) events.push({ order: o.order, at: o.at, kind: EVENT_REFUND });
    orderCustomer[o.order] = o.customer;
    orderRefunded[o.order] = 1;
    refundedCustomer[o.customer] = 1;
    inPop[o.customer] = 1;
  }
  for (const v of victims) {
    if (!ok(v.customer)) continue;
    inPop[v.customer] = 1;
    if (v.order !== undefined && v.order >= 0 && v.order < orderCount) orderCustomer[v.order] = v.customer;
  }
  const stratum = new Uint8Array(customerCount);
  for (let c = 0; c < customerCount; c++) {
    if (!inPop[c] || isCanary?.(c)) continue;
    stratum[c] = 1 + refundedCustomer[c]! * ACTIVITY.length + activityOf(nOrders[c]!);
  }
  const orderStratum = new Uint8Array(orderCount);
  for (let o = 0; o < orderCount; o++) {
    const c = orderCustomer[o]!;
    if (c < 0 || !stratum[c]) continue;
    orderStratum[o] = 1 + orderRefunded[o]! * ACTIVITY.length + activityOf(nOrders[c]!);
  }
  return {
    stratum,
    labels: CUSTOMER_STRATUM_LABELS,
    members: stratumMembers(stratum, STRATUM_LABELS.length),
    orderStratum,
    orderLabels: ORDER_STRATUM_LABELS,
    orderMembers: stratumMembers(orderStratum, STRATUM_LABELS.length),
    orderCustomer,
    ...(events.length ? { events: buildLifeEvents(orderCount, orderCustomer, customerCount, events) } : {}),
  };
}

/** The members of each stratum (typed arrays), from the per-unit stratum marks. */
export function stratumMembers(stratum: Uint8Array, nStrata: number): Int32Array[] {
  const counts = new Int32Array(nStrata + 1);
  for (let c = 0; c < stratum.length; c++) counts[stratum[c]!]!++;
  const out = Array.from({ length: nStrata }, (_, i) => new Int32Array(counts[i + 1]!));
  const fill = new Int32Array(nStrata + 1);
  for (let c = 0; c < stratum.length; c++) {
    const x = stratum[c]!;
    if (x > 0) out[x - 1]![fill[x]!++] = c;
  }
  return out;
}
