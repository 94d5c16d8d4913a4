// Turns a simulated world into the shop event contract (src/events/events.schemas.ts), in time
// order, as plain objects ready for POST /v1/events or NDJSON. Ids are deterministic so a
// re-import of the same world is idempotent.
import { maskToFields } from '../lib/fields.ts';
import { CHANNELS } from './access-columns.ts';
import type { SimShop } from './world.ts';

export type SimEvent = { id: string; type: string; at: string } & Record<string, unknown>;

const iso = (t: number) => new Date(Math.round(t)).toISOString();

/** Yields every event of the world in time order (setup events first). */
export function* worldEvents(w: SimShop): Generator<SimEvent> {
  const tag = `sim${w.options.seed}`;
  for (const p of w.principals) {
    yield {
      id: `${tag}-p-${p.id}`,
      type: 'principal.upserted',
      at: iso(w.start - 86_400_000),
      principalId: p.id,
      kind: p.kind,
      name: p.name,
      ...(p.org ? { org: p.org } : {}),
      ...(p.team ? { team: p.team } : {}),
    };
  }
  for (let c = 0; c < w.customers.length; c++) {
    const x = w.customers[c]!;
    yield {
      id: `${tag}-c-${x.id}`,
      type: 'customer.upserted',
      at: iso(w.start - 86_400_000 + c),
      customerId: x.id,
      name: x.name,
      phone: x.phone,
      address: x.address,
      lang: 'zh-CN',
    };
  }
  // everything else, merged by time
  type Item = { t: number; k: number; i: number };
  const items: Item[] = [];
  w.orders.forEach((o, i) => items.push({ t: o.placedAt, k: 0, i }));
  w.refunds.forEach((r, i) => {
    items.push({ t: r.requestedAt, k: 1, i });
    if (r.completedAt < w.end) items.push({ t: r.completedAt, k: 2, i });
  });
  w.exports.forEach((x, i) => items.push({ t: x.at, k: 3, i }));
  const a = w.access;
  for (let i = 0; i < a.n; i++) if (a.channel[i] !== 2) items.push({ t: a.at[i]!, k: 4, i });
  w.logins.forEach((l, i) => items.push({ t: l.at, k: 5, i }));
  items.sort((x, y) => x.t - y.t || x.k - y.k || x.i - y.i);
  for (const it of items) {
    const at = iso(it.t);
    switch (it.k) {
      case 0: {
        const o = w.orders[it.i]!;
        yield {
          id: `${tag}-o-${o.id}`,
          type: 'order.placed',
          at,
          orderId: o.id,
          customerId: w.customers[o.customer]!.id,
          items: o.items,
          total: o.total,
          currency: 'CNY',
        };
        break;
      }
      case 1:
      case 2: {
        const r = w.refunds[it.i]!;
        yield {
          id: `${tag}-r${it.k}-${r.id}`,
          type: it.k === 1 ? 'refund.requested' : 'refund.completed',
          at,
          refundId: r.id,
          orderId: w.orders[r.order]!.id,
          ...(it.k === 1 ? { reason: '商品与描述不符' } : {}),
        };
        break;
      }
      case 3: {
        const x = w.exports[it.i]!;
        yield {
          id: `${tag}-x-${x.id}`,
          type: 'export.created',
          at,
          exportId: x.id,
          principalId: w.principals[x.principal]!.id,
          orderIds: x.orders.map((o) => w.orders[o]!.id),
          fields: maskToFields(x.fields),
        };
        break;
      }
      case 4: {
        const i = it.i;
        const o = a.order[i]!;
        yield {
          id: `${tag}-a-${i}`,
          type: 'data.accessed',
          at,
          principalId: w.principals[a.principal[i]!]!.id,
          customerId: w.customers[a.customer[i]!]!.id,
          ...(o >= 0 ? { orderId: w.orders[o]!.id } : {}),
          fields: maskToFields(a.fields[i]!),
          channel: CHANNELS[a.channel[i]!],
        };
        break;
      }
      case 5: {
        const l = w.logins[it.i]!;
        yield {
          id: `${tag}-l-${it.i}`,
          type: l.ok ? 'login.succeeded' : 'login.failed',
          at,
          customerId: w.customers[l.customer]!.id,
          ip: l.ip,
          deviceId: l.device,
        };
        break;
      }
    }
  }
}
