// The timing comparison (timed-comparison.ts): its matched sets, that it names a reader leaking
// what it reads in its ordinary work, and that a fresh leak outside the shop — calls right after
// the customers' own orders or refund requests — accuses none of the readers of those events.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccessIndex, Interner } from './access-index.ts';
import { buildPopulation } from './population.ts';
import { matchedWindows } from './timed-comparison.ts';
import { lagBucket } from './life-events.ts';
import { suspectId } from './attribution.ts';
import { DEFAULT_SHAPE } from '../sim/shop-shape.ts';
import { generateShop } from '../sim/shaped-shop.ts';
import { leakWorld } from '../sim/leak-kinds.ts';
import { indexWorld, investigateWorld, worldVictims } from '../sim/sim-index.ts';
import { Prng } from '../sim/prng.ts';
import { fieldsToMask, FIELD_BIT as F } from '../lib/fields.ts';

const H = 3_600_000;
const DAY = 24 * H;

describe('timing comparison: matched sets', () => {
  it('matches a victim with units of its stratum whose last event is of the same kind and as long ago', () => {
    // orders 0–5 of customers 0–5, one principal reading some of them; the victim is order 0
    const t = 100 * DAY;
    const placedAt = [t - 30 * H, t - 28 * H, t - 35 * H, t - 5 * H, t - 30 * H, t - 29 * H];
    const index = AccessIndex.fromColumns(
      {
        n: 3,
        principal: Int32Array.from([0, 0, 1]),
        customer: Int32Array.from([0, 1, 4]),
        order: Int32Array.from([0, 1, 4]),
        fields: Uint16Array.from([F.name | F.items, F.name | F.items, F.name | F.items]),
        at: Float64Array.from([t - 2 * H, t - 1 * H, t - 2 * H]),
        channel: new Uint8Array(3),
      },
      {
        principals: internerOf(['p0', 'p1']),
        customers: internerOf(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']),
        orders: internerOf(['o0', 'o1', 'o2', 'o3', 'o4', 'o5']),
      },
    );
    const placed = placedAt.map((at, o) => ({ order: o, customer: o, at }));
    // order 5 had a refund requested after it was placed: its last event is the refund, not a match
    const refunded = [{ order: 5, customer: 5, at: t - 10 * H }];
    const pop = buildPopulation(6, 6, placed, refunded, [{ customer: 0, order: 0 }]);
    const victim = { customer: 0, order: 0, contactAt: t, knewMask: F.name | F.items };
    const w = matchedWindows(index, pop, [victim], [true], 3 * DAY, 60 * DAY, new Map(), 1);
    // lag 30 h → bucket [24 h, 36 h): orders 0, 1 (28 h), 4 (30 h) match; 2 (35 h) matches too; 3 (5 h) and 5 (refund) do not
    assert.deepEqual(lagBucket(30 * H), { bucket: 6, lo: 24 * H, hi: 36 * H });
    assert.equal(w.size[0], 4);
    assert.equal(w.counts[0]!.get(0), 2, 'p0 read the victim and order 1 in the hazard window');
    assert.equal(w.counts[0]!.get(1), 1, 'p1 read order 4');
    assert.deepEqual([...w.hazard[0]!], [0]);
  });
});

describe('timing comparison over a shaped shop', () => {
  const shop = generateShop(DEFAULT_SHAPE, 5);

  it('names a big seller that leaks the orders it ships, by the timing of its reads before the calls', () => {
    const world = leakWorld(shop, 'big-seller', 5);
    const data = indexWorld(world);
    const r = investigateWorld(data, {}, worldVictims(world).slice(0, 16));
    const id = (k: number) => suspectId(r, k, data.index.principals);
    assert.deepEqual(r.attributed.map(id), world.truth.leakers);
    const top = r.suspects.find((s) => s.status === 'attributed')!;
    assert.ok(top.timed.log10PValue < Math.min(top.log10PValueBiased, top.selfControlled.log10PValue), JSON.stringify(top.timed));
    assert.ok(top.timed.inHazardWindow > 3 * top.timed.expected);
  });

  it('accuses no reader of fresh orders or refunds when the leak is outside the shop and the calls follow them within days', () => {
    const data = indexWorld(leakWorld(shop, 'no-leak', 1));
    const rx = new Prng(777);
    const orderFields = fieldsToMask(['name', 'phone', 'items', 'price', 'placedAt']);
    for (let draw = 0; draw < 3; draw++) {
      // a platform or payment processor leaks orders as they are placed: 40 buyers called 2 h – 4 days later
      const fresh = Array.from({ length: 40 }, () => {
        const o = rx.int(0, shop.orders.length);
        const ord = shop.orders[o]!;
        return { customer: ord.customer, order: o, contactAt: Math.round(ord.placedAt + 2 * H + rx.next() * 4 * DAY), knewMask: orderFields };
      }).filter((v) => v.contactAt < shop.end);
      const r1 = investigateWorld(data, {}, fresh);
      assert.deepEqual(
        r1.attributed.map((k) => suspectId(r1, k, data.index.principals)),
        [],
        `orders, draw ${draw}`,
      );
      // … or refund requests as they come in: 40 requesters called within three days
      const refunds = Array.from({ length: 40 }, () => {
        const f = shop.refunds[rx.int(0, shop.refunds.length)]!;
        return {
          customer: shop.orders[f.order]!.customer,
          order: f.order,
          contactAt: Math.round(f.requestedAt + rx.next() * 3 * DAY),
          knewMask: orderFields | F.refund,
        };
      }).filter((v) => v.contactAt < shop.end);
      const r2 = investigateWorld(data, {}, refunds);
      assert.deepEqual(
        r2.attributed.map((k) => suspectId(r2, k, data.index.principals)),
        [],
        `refunds, draw ${draw}`,
      );
    }
  });
});

function internerOf(ids: string[]): Interner {
  const i = new Interner();
  for (const id of ids) i.intern(id);
  return i;
}
