// Who reports when nothing in the shop leaked (issue #24): the scammers bought a name-and-phone
// list elsewhere, but the people who report are not a random sample of customers. A scam script
// aimed at one seller's products, a list of the most active buyers, a police campaign in one
// province, a list of recent buyers, a "your refund has a problem" script that only those who
// really asked for a refund believe: each makes customers with a trait `bias` times likelier to
// report. Any principal whose reads follow that trait (the seller, the bulk API client, the
// regional courier) then looks like a leaker to a test against chance. Attribution must not
// accuse anyone in these worlds; the calibration bench draws thousands of them.
import type { Prng } from './prng.ts';
import type { AccessField } from '../lib/fields.ts';
import type { Shop } from './shaped-shop.ts';

export const SELECTION_MECHANISMS = ['chance', 'activity', 'seller', 'region', 'recency', 'refund'] as const;
export type SelectionMechanism = (typeof SELECTION_MECHANISMS)[number];

export interface ReportSubject {
  customer: number;
  order: number;
  contactAt: number;
  knewFields: AccessField[];
}

const DAY = 86_400_000;
/** "Recent buyer": ordered in the two weeks before the call. */
export const RECENT_DAYS = 14;

/** The most active buyers: at least this many orders (the top quarter, and at least 2). */
export function activeThreshold(shop: Shop): number {
  const counts = shop.ordersOf
    .map((l) => l.length)
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
  return Math.max(2, counts[Math.floor(counts.length * 0.75)] ?? 2);
}

/** Whether customer c has the trait that selection favours, for a call at time t. */
export function traitOf(shop: Shop, mechanism: SelectionMechanism): (c: number, t: number) => boolean {
  const bigSeller = shop.roles.sellers[0];
  switch (mechanism) {
    case 'chance':
      return () => false;
    case 'activity': {
      const k = activeThreshold(shop);
      return (c) => shop.ordersOf[c]!.length >= k;
    }
    case 'seller':
      return (c) => bigSeller !== undefined && shop.ordersOf[c]!.some((o) => shop.orders[o]!.seller === bigSeller);
    case 'region':
      return (c) => shop.regionOf[c] === 0;
    case 'recency':
      return (c, t) => shop.ordersOf[c]!.some((o) => shop.orders[o]!.placedAt < t && shop.orders[o]!.placedAt >= t - RECENT_DAYS * DAY);
    case 'refund': {
      const requested = refundRequests(shop);
      return (c, t) => {
        const o = latestOrderBefore(shop, c, t);
        return o !== undefined && (requested.get(o) ?? Infinity) < t;
      };
    }
  }
}

const requestsByShop = new WeakMap<Shop, Map<number, number>>();

/** When each order's refund was requested (orders without one are absent); built once per shop. */
function refundRequests(shop: Shop): Map<number, number> {
  let m = requestsByShop.get(shop);
  if (m) return m;
  m = new Map<number, number>();
  for (const r of shop.refunds) m.set(r.order, Math.min(r.requestedAt, m.get(r.order) ?? Infinity));
  requestsByShop.set(shop, m);
  return m;
}

function latestOrderBefore(shop: Shop, c: number, t: number): number | undefined {
  return shop.ordersOf[c]!.filter((o) => shop.orders[o]!.placedAt < t).at(-1);
}

/**
 * n reporters, distinct customers not in `exclude`, calling in [from, end): each candidate
 * (customer, time) is kept with probability bias/bias if it has the trait, 1/bias otherwise
 * (rejection sampling), so the trait makes a report `bias` times likelier. Each report names the
 * customer's latest order before the call; the caller knew name and phone, and the victim often
 * recognised the product, date or price (the script fitted what they buy).
 */
export function drawReporters(
  shop: Shop,
  mechanism: SelectionMechanism,
  bias: number,
  n: number,
  rx: Prng,
  exclude: ReadonlySet<number> = new Set(),
  from?: number,
): ReportSubject[] {
  const trait = traitOf(shop, mechanism);
  const requested = mechanism === 'refund' ? refundRequests(shop) : null;
  const lo = from ?? shop.start + Math.floor(shop.shape.days / 2) * DAY;
  const out: ReportSubject[] = [];
  const used = new Set(exclude);
  const b = Math.max(1, bias);
  for (let tries = 0; out.length < n && tries < n * 10_000; tries++) {
    const c = rx.int(0, shop.customers.length);
    if (used.has(c)) continue;
    const t = lo + Math.floor(rx.next() * (shop.end - lo));
    if (!rx.chance((trait(c, t) ? b : 1) / b)) continue;
    const order = latestOrderBefore(shop, c, t);
    if (order === undefined) continue;
    used.add(c);
    const knew: AccessField[] = ['name', 'phone'];
    if (rx.chance(0.6)) knew.push('items');
    if (rx.chance(0.3)) knew.push('placedAt');
    if (rx.chance(0.2)) knew.push('price');
    // the script named a refund; a victim who had asked for one takes it that the caller knew
    if (requested && (requested.get(order) ?? Infinity) < t && rx.chance(0.9)) knew.push('refund');
    out.push({ customer: c, order, contactAt: t, knewFields: knew });
  }
  return out;
}
