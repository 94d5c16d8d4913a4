// The base-rate hot loops (which read the index's columns directly and rely on its layout)
// against the definition, computed by brute force over the raw reads, on random data with
// orders, groups and appended rows not yet folded in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccessIndex } from './access-index.ts';
import { SAMPLE_PER_STRATUM, exactHits, sampledRates, type UnitQuery } from './base-rates.ts';
import { stratumMembers } from './population.ts';
import type { Population } from './population.ts';
import { CUSTOMER_FIELDS } from '../lib/fields.ts';
import { Prng } from '../sim/prng.ts';

interface Row {
  p: number;
  c: number;
  o: number;
  fields: number;
  at: number;
}

const CUSTOMERS = 6000;
const PRINCIPALS = 40;

function randomShop(seed: number) {
  const prng = new Prng(seed);
  const idx = new AccessIndex();
  for (let c = 0; c < CUSTOMERS; c++) idx.customers.intern(`c${c}`);
  for (let p = 0; p < PRINCIPALS; p++) idx.principals.intern(`p${p}`);
  // one to three orders per customer
  const orderCustomer: number[] = [];
  const ordersOf: number[][] = [];
  for (let c = 0; c < CUSTOMERS; c++) {
    ordersOf.push([]);
    for (let k = prng.int(1, 4); k > 0; k--) {
      ordersOf[c]!.push(orderCustomer.length);
      idx.orders.intern(`o${orderCustomer.length}`);
      orderCustomer.push(c);
    }
  }
  const rows: Row[] = [];
  const add = (p: number, c: number) => {
    const o = prng.chance(0.3) ? -1 : prng.pick(ordersOf[c]!);
    // customer-level reads carry customer fields only; order reads any
    const fields = o < 0 ? prng.int(0, 16) & CUSTOMER_FIELDS : prng.int(0, 512);
    const r = { p, c, o, fields, at: 1_000_000 + prng.int(0, 1_000_000) };
    rows.push(r);
    idx.append({ principal: `p${p}`, customer: idx.customers.id(c), order: o < 0 ? null : `o${o}`, fields: r.fields, at: r.at, channel: 'console' });
  };
  // p0 reads nearly everyone (several times), p1..p4 many, the rest a few
  for (let i = 0; i < 40_000; i++) {
    const p = i % 3 === 0 ? 0 : i % 3 === 1 ? 1 + prng.int(0, 4) : prng.int(5, PRINCIPALS);
    add(p, prng.int(0, CUSTOMERS));
  }
  idx.compact(true);
  // a tail: more reads of customers already read
  for (let i = 0; i < 3000; i++) add(prng.int(0, PRINCIPALS), prng.int(0, CUSTOMERS));
  // strata: 0 outside the population, 1 and 2 (stratum 1 more than twice the sample: sampled)
  const stratum = new Uint8Array(CUSTOMERS);
  for (let c = 0; c < CUSTOMERS; c++) stratum[c] = [0, 1, 1, 1, 1, 1, 1, 1, 1, 2][prng.int(0, 10)]!;
  const orderStratum = new Uint8Array(orderCustomer.length);
  orderCustomer.forEach((c, o) => (orderStratum[o] = stratum[c] ? (prng.chance(0.2) ? 2 : 1) : 0));
  const pop: Population = {
    stratum,
    labels: ['a', 'b'],
    members: stratumMembers(stratum, 2),
    orderStratum,
    orderLabels: ['oa', 'ob'],
    orderMembers: stratumMembers(orderStratum, 2),
    orderCustomer: Int32Array.from(orderCustomer),
  };
  return { idx, rows, pop };
}

/** The definition, by brute force: hits per stratum. */
function brute(rows: Row[], members: number[], pop: Population, q: UnitQuery) {
  const mine = rows.filter((r) => members.includes(r.p) && r.at >= q.from && r.at < q.to);
  const out = { customers: [0, 0], orders: [0, 0] };
  // a unit qualifies if one member's reads of it carry the fields
  const custOk = new Set<number>();
  const orderOk = new Set<number>();
  for (const p of members) {
    const byC = new Map<number, number>();
    const byO = new Map<number, number>();
    for (const r of mine.filter((x) => x.p === p)) {
      byC.set(r.c, (byC.get(r.c) ?? 0) | r.fields);
      if (r.o >= 0) byO.set(r.o, (byO.get(r.o) ?? 0) | r.fields);
    }
    for (const [c, m] of byC) if (q.kStarC >= 0 && pop.stratum[c]! > 0 && (m & q.kStarC) === q.kStarC) custOk.add(c);
    for (const [o, m] of byO) {
      const cm = byC.get(pop.orderCustomer![o]!)! & CUSTOMER_FIELDS;
      if (q.kStarO >= 0 && pop.orderStratum![o]! > 0 && ((m | cm) & q.kStarO) === q.kStarO) orderOk.add(o);
    }
  }
  for (const c of custOk) out.customers[pop.stratum[c]! - 1]!++;
  for (const o of orderOk) out.orders[pop.orderStratum![o]! - 1]!++;
  return out;
}

const SPANS = [
  [0, Infinity],
  [1_200_000, 1_700_000],
  [1_500_000, 1_500_001],
] as const;
const KSTARS = [
  [0, 0],
  [1, 16],
  [3, 19],
  [-1, 48],
  [12, -1],
] as const;

describe('base rates', () => {
  it('counts the customers and orders of each stratum a principal or group read, as the definition says', () => {
    for (const seed of [1, 2]) {
      const { idx, rows, pop } = randomShop(seed);
      let nonZero = 0;
      const suspects = [...Array.from({ length: PRINCIPALS }, (_, p) => [p]), [5, 6, 7], [1, 9]];
      for (const members of suspects) {
        for (const [from, to] of SPANS) {
          for (const [kStarC, kStarO] of KSTARS) {
            const q: UnitQuery = { from, to, kStarC, kStarO };
            const want = brute(rows, members, pop, q);
            const got = exactHits(idx, pop, members, q);
            const what = `seed ${seed} [${members}] [${from}, ${to}) k* ${kStarC}/${kStarO}`;
            assert.deepEqual(got, want, what);
            if (want.orders[0]! + want.customers[0]! > 0) nonZero++;
          }
        }
      }
      assert.ok(nonZero > 100);
    }
  });

  it('keeps every principal’s reads grouped by customer, and counts right even if they were not', () => {
    const { idx, rows, pop } = randomShop(4);
    idx.compact(true);
    for (let p = 0; p < PRINCIPALS; p++) {
      for (let k = idx.byPrincipalStart[p]! + 1; k < idx.byPrincipalStart[p + 1]!; k++) assert.ok(idx.pCustomer[k - 1]! <= idx.pCustomer[k]!);
    }
    // reverse p1's rows in place: its customers now come in descending order
    const a = idx.byPrincipalStart[1]!;
    const b = idx.byPrincipalStart[2]!;
    for (const col of [idx.pCustomer, idx.pFields, idx.pAtLo, idx.pAtHi, idx.pOrder]) col.subarray(a, b).reverse();
    const q: UnitQuery = { from: 1_200_000, to: 1_700_000, kStarC: 3, kStarO: 19 };
    assert.deepEqual(exactHits(idx, pop, [1], q), brute(rows, [1], pop, q));
  });

  it('estimates heavy readers and groups from a random sample of each stratum, as exact upper bounds', () => {
    for (const seed of [5, 6]) {
      const { idx, rows, pop } = randomShop(seed);
      assert.ok(pop.members![0]!.length >= 2 * SAMPLE_PER_STRATUM && pop.members![1]!.length < SAMPLE_PER_STRATUM);
      const heavy = [[0], [1], [2], [5, 6, 7]];
      for (const [from, to] of SPANS) {
        for (const [kStarC, kStarO] of KSTARS) {
          const q: UnitQuery = { from, to, kStarC, kStarO };
          const got = sampledRates(idx, pop, heavy, q, 1e-6, seed);
          heavy.forEach((members, i) => {
            const want = brute(rows, members, pop, q);
            const r = got[i]!.rates;
            // stratum 2 is smaller than the sample: read in full, exact for a principal (for a
            // group the sample pools its members' fields: never lower)
            const exact = want.customers[1]! / pop.members![1]!.length;
            if (kStarC >= 0 && members.length === 1) assert.equal(r.customers[1], exact);
            if (kStarC >= 0) assert.ok(r.customers[1]! >= exact);
            // stratum 1 is sampled: an upper bound, never far below the exact rate
            if (kStarC >= 0) assert.ok(r.customers[0]! >= want.customers[0]! / pop.members![0]!.length - 0.01, `seed ${seed} [${members}]`);
            if (kStarO >= 0) assert.ok(r.orders[0]! >= want.orders[0]! / pop.orderMembers![0]!.length - 0.01);
          });
        }
      }
    }
  });
});
