// The shop shapes produce what they claim, the leak kinds leak what they say, reporters are
// selected as asked, and the events pass the ingest contract.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { generateShop } from './shaped-shop.ts';
import { DEFAULT_SHAPE, sweepShapes, type ShopShape } from './shop-shape.ts';
import { LEAK_KINDS, leakWorld, shopView } from './leak-kinds.ts';
import { drawReporters, SELECTION_MECHANISMS, traitOf } from './reporter-selection.ts';
import { worldEvents } from './events.ts';
import { Prng } from './prng.ts';
import { fieldsToMask } from '../lib/fields.ts';
import { EventNormalizer, isProblem } from '../events/events.normalize.ts';
import { DerivedKeyRing, FieldCipher } from '../vault/field-cipher.ts';

const SMALL: ShopShape = { ...DEFAULT_SHAPE, customers: 1500, csCompanySize: 50, sellers: 100, apiClients: 60 };

function readsBy(shop: ReturnType<typeof generateShop>, p: number) {
  const orders = new Set<number>();
  let n = 0;
  for (let i = 0; i < shop.access.n; i++)
    if (shop.access.principal[i] === p) {
      n++;
      orders.add(shop.access.order[i]!);
    }
  return { n, orders };
}

describe('shaped shops', () => {
  for (const opc of [1, 4, 8]) {
    it(`averages about ${opc} orders per customer, with activity varying between customers`, () => {
      const shop = generateShop({ ...SMALL, ordersPerCustomer: opc }, 3);
      const mean = shop.orders.length / shop.customers.length;
      assert.ok(Math.abs(mean - opc) <= 0.12 * opc, `mean ${mean}`);
      const counts = shop.ordersOf.map((l) => l.length);
      if (opc > 1) assert.ok(Math.max(...counts) >= 2.5 * opc, 'some customers buy far more often');
      else assert.ok(counts.every((k) => k === 1));
    });
  }

  it('gives the biggest seller its share of orders, bulk API clients their share, and regional couriers their region only', () => {
    for (const [big, api] of [
      [0.02, 0.2],
      [0.15, 0.9],
    ] as const) {
      const shop = generateShop({ ...SMALL, bigSellerShare: big, bulkApiShare: api }, 4);
      const share = shop.orders.filter((o) => o.seller === shop.roles.sellers[0]).length / shop.orders.length;
      assert.ok(Math.abs(share - big) < 0.02, `big seller ${share}`);
      for (const p of shop.roles.bulkApi) {
        const s = readsBy(shop, p).orders.size / shop.orders.length;
        assert.ok(Math.abs(s - api) < 0.04, `bulk API ${s}`);
      }
    }
    const shop = generateShop(SMALL, 5);
    shop.roles.couriers.forEach((p, region) => {
      const a = shop.access;
      for (let i = 0; i < a.n; i++) if (a.principal[i] === p) assert.equal(shop.regionOf[a.customer[i]!], region);
    });
  });

  it('has outsourced companies of the given size whose agents each read a few orders, and batch systems that read every order', () => {
    const shop = generateShop({ ...SMALL, csCompanySize: 80 }, 6);
    assert.equal(shop.roles.csByCompany.length, SMALL.csCompanies);
    for (const company of shop.roles.csByCompany) {
      assert.equal(company.length, 80);
      assert.equal(new Set(company.map((p) => shop.principals[p]!.org)).size, 1);
      const perAgent = company.map((p) => readsBy(shop, p).n).sort((a, b) => a - b);
      assert.ok(perAgent[40]! > 0 && perAgent[40]! < 40, `median agent reads ${perAgent[40]}`);
    }
    const lastNight = shop.end - 86_400_000;
    const expected = shop.orders.filter((o) => o.placedAt < lastNight - 86_400_000).length;
    for (const p of shop.roles.batch) assert.ok(readsBy(shop, p).orders.size >= expected);
  });

  it('varies each swept dimension over at least three values', () => {
    const shapes = sweepShapes();
    for (const k of ['ordersPerCustomer', 'bigSellerShare', 'csCompanySize', 'bulkApiShare', 'regions'] as const)
      assert.ok(new Set(shapes.map((s) => s.shape[k])).size >= 3, k);
    assert.ok(sweepShapes({}, true).length < shapes.length);
  });
});

describe('leak kinds', () => {
  const shop = generateShop(SMALL, 7);
  for (const kind of LEAK_KINDS) {
    it(`${kind}: reports name an order of the reporter, and victims knew only what their leaker read of it before the call`, () => {
      const w = leakWorld(shop, kind, 1);
      assert.equal(w.reports.length, kind === 'no-leak' ? 16 : 14 + SMALL.noiseReports);
      const a = w.access;
      w.reportSubjects.forEach((s, i) => {
        assert.equal(w.orders[s.order]!.customer, s.customer);
        assert.deepEqual(w.reports[i]!.orderIds, [w.orders[s.order]!.id]);
        if (i) assert.ok(w.reportSubjects[i - 1]!.contactAt <= s.contactAt, 'contact order');
        const src = w.truth.reportSources[i];
        if (!src) return;
        const leakers = src.startsWith('org:') ? new Set(w.truth.leakingPrincipals) : new Set([src]);
        let mask = 0;
        for (let r = 0; r < a.n; r++)
          if (a.order[r] === s.order && a.at[r]! < s.contactAt && leakers.has(w.principals[a.principal[r]!]!.id)) mask |= a.fields[r]!;
        const knew = fieldsToMask(s.knewFields);
        assert.equal(mask & knew, knew, `${kind} report ${i}`);
      });
      const sources = w.truth.reportSources.filter(Boolean);
      if (['account-takeover', 'no-leak'].includes(kind)) assert.equal(sources.length, 0);
      else assert.equal(sources.length, 14);
      if (kind === 'two-leakers')
        assert.deepEqual(
          w.truth.leakers.map((l) => sources.filter((s) => s === l).length),
          [7, 7],
        );
      if (kind === 'cs-company') {
        // many agents, none of them carrying much of it alone
        const agents = new Set<number>();
        for (const s of w.reportSubjects)
          for (let r = 0; r < a.n; r++)
            if (a.order[r] === s.order && w.truth.leakingPrincipals.includes(w.principals[a.principal[r]!]!.id)) agents.add(a.principal[r]!);
        assert.ok(agents.size >= 8, `${agents.size} agents`);
      }
    });
  }

  it('api-burst: 2,000 orders read in two hours, added to a copy of the shop', () => {
    const n0 = shop.access.n;
    const w = leakWorld(shop, 'api-burst', 2);
    assert.equal(shop.access.n, n0);
    assert.equal(w.access.n, n0 + 2000);
    const times = Array.from(w.access.at.subarray(n0, w.access.n));
    assert.ok(Math.max(...times) - Math.min(...times) <= 2 * 3_600_000);
  });

  it('keeps the truth apart: the product view has none, and the reports do not name the leaker', () => {
    const w = leakWorld(shop, 'insider', 3);
    const view = shopView(w);
    assert.equal('truth' in view, false);
    assert.ok(!JSON.stringify(w.reports).includes(w.truth.leakers[0]!));
  });

  it('emits only events the ingest contract accepts', () => {
    const normalizer = new EventNormalizer(new FieldCipher(new DerivedKeyRing(randomBytes(32))), () => Date.UTC(2027, 0, 1));
    const tiny = generateShop({ ...SMALL, customers: 200, csCompanySize: 10, sellers: 20, apiClients: 10 }, 8);
    for (const kind of ['api-burst', 'account-takeover'] as const) {
      let n = 0;
      for (const e of worldEvents(shopView(leakWorld(tiny, kind, 1)))) {
        const r = normalizer.normalize(e, Date.now());
        assert.ok(!isProblem(r), `${JSON.stringify(r)} ${JSON.stringify(e).slice(0, 300)}`);
        n++;
      }
      assert.ok(n > 1000);
    }
  });
});

describe('reporter selection', () => {
  const shop = generateShop(SMALL, 9);
  for (const m of SELECTION_MECHANISMS.filter((x) => x !== 'chance')) {
    it(`${m}: a bias of 8 makes customers with the trait about 8 times likelier to report`, () => {
      const trait = traitOf(shop, m);
      const rx = new Prng(42);
      let withTrait = 0;
      let n = 0;
      let chanceWith = 0;
      for (let k = 0; k < 40; k++) {
        for (const s of drawReporters(shop, m, 8, 16, rx)) {
          n++;
          if (trait(s.customer, s.contactAt)) withTrait++;
        }
        for (const s of drawReporters(shop, 'chance', 1, 16, rx)) if (trait(s.customer, s.contactAt)) chanceWith++;
      }
      const share = withTrait / n;
      const base = chanceWith / n;
      // odds ratio ≈ 8 (sampling without replacement and the order filter move it a little)
      const odds = share / (1 - share) / (base / (1 - base));
      assert.ok(odds > 4 && odds < 16, `${m}: share ${share.toFixed(2)} vs ${base.toFixed(2)}, odds ratio ${odds.toFixed(1)}`);
    });
  }
});
