// The base-rate hot loops (which read the index's columns directly and rely on its layout)
// against the definition, computed by brute force over the raw reads, on random data with
// appended rows not yet folded in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccessIndex } from './access-index.ts';
import { SAMPLE_PER_STRATUM, sampledBaseRates, stratumHits, straightStratumHits, wilsonUpper } from './base-rates.ts';
import { stratumMembers } from './attribution.ts';
import { Prng } from '../sim/prng.ts';

interface Row {
  p: number;
  c: number;
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
  const rows: Row[] = [];
  const add = (p: number, c: number) => {
    const r = { p, c, fields: prng.int(0, 16), at: 1_000_000 + prng.int(0, 1_000_000) };
    rows.push(r);
    idx.append({ principal: `p${p}`, customer: idx.customers.ids[c]!, order: null, fields: r.fields, at: r.at, channel: 'console' });
  };
  // p0 reads nearly everyone (several times), p1..p4 many, the rest a few
  for (let i = 0; i < 30_000; i++) {
    const p = i % 3 === 0 ? 0 : i % 3 === 1 ? 1 + prng.int(0, 4) : prng.int(5, PRINCIPALS);
    add(p, prng.int(0, CUSTOMERS));
  }
  idx.compact(true);
  // a tail: more reads of customers already read, and customers the population has not seen
  for (let i = 0; i < 3000; i++) add(prng.int(0, PRINCIPALS), prng.int(0, CUSTOMERS));
  for (let i = 0; i < 50; i++) {
    const c = idx.customers.intern(`new${i}`);
    add(prng.int(0, PRINCIPALS), c);
  }
  // strata: 0 outside the population, 1 and 2 (stratum 1 more than twice the sample: sampled)
  const stratum = new Uint8Array(CUSTOMERS);
  for (let c = 0; c < CUSTOMERS; c++) stratum[c] = [0, 1, 1, 1, 1, 1, 1, 1, 1, 2][prng.int(0, 10)]!;
  return { idx, rows, stratum, members: stratumMembers(stratum, 2) };
}

/** Per customer, the fields p read in [from, to); customers it did not read are absent. */
function masksOf(rows: Row[], p: number, from: number, to: number): Map<number, number> {
  const m = new Map<number, number>();
  for (const r of rows) if (r.p === p && r.at >= from && r.at < to) m.set(r.c, (m.get(r.c) ?? 0) | r.fields);
  return m;
}

function bruteHits(masks: Map<number, number>, stratum: Uint8Array, kStar: number): number[] {
  const hits = [0, 0];
  for (const [c, m] of masks) {
    const st = stratum[c] ?? 0;
    if (st > 0 && (m & kStar) === kStar) hits[st - 1]!++;
  }
  return hits;
}

const SPANS = [
  [0, Infinity],
  [1_200_000, 1_700_000],
  [1_500_000, 1_500_001],
] as const;

describe('base rates', () => {
  it('counts the customers of each stratum a principal read, as the definition says', () => {
    for (const seed of [1, 2, 3]) {
      const { idx, rows, stratum } = randomShop(seed);
      let nonZero = 0;
      for (let p = 0; p < PRINCIPALS; p++) {
        for (const [from, to] of SPANS) {
          const masks = masksOf(rows, p, from, to);
          for (const kStar of [0, 1, 3, 12, 15]) {
            const expect = bruteHits(masks, stratum, kStar);
            assert.deepEqual(stratumHits(idx, p, from, to, stratum, kStar, 2), expect, `seed ${seed} p${p} [${from}, ${to}) k* ${kStar}`);
            assert.deepEqual(straightStratumHits(idx, p, from, to, stratum, kStar, 2), expect);
            if (expect[0]! + expect[1]! > 0) nonZero++;
          }
        }
      }
      assert.ok(nonZero > 100);
    }
  });

  it('keeps every principal’s reads grouped by customer, and counts right even if they were not', () => {
    const { idx, rows, stratum } = randomShop(4);
    for (let p = 0; p < PRINCIPALS; p++) {
      for (let k = idx.byPrincipalStart[p]! + 1; k < idx.byPrincipalStart[p + 1]!; k++) assert.ok(idx.pCustomer[k - 1]! <= idx.pCustomer[k]!);
    }
    // reverse p1's rows in place: its customers now come in descending order
    const a = idx.byPrincipalStart[1]!;
    const b = idx.byPrincipalStart[2]!;
    idx.pCustomer.subarray(a, b).reverse();
    idx.pFields.subarray(a, b).reverse();
    idx.pAt.subarray(a, b).reverse();
    assert.deepEqual(stratumHits(idx, 1, 1_200_000, 1_700_000, stratum, 3, 2), bruteHits(masksOf(rows, 1, 1_200_000, 1_700_000), stratum, 3));
  });

  it('estimates heavy readers from every k-th member of each stratum, upper-bounded', () => {
    for (const seed of [5, 6]) {
      const { idx, rows, stratum, members } = randomShop(seed);
      assert.ok(members[0]!.length >= 2 * SAMPLE_PER_STRATUM && members[1]!.length < SAMPLE_PER_STRATUM);
      const heavy = [0, 1, 2, 7];
      for (const [from, to] of SPANS) {
        for (const kStar of [0, 3]) {
          const got = sampledBaseRates(idx, members, heavy, from, to, kStar);
          for (const p of heavy) {
            const m = masksOf(rows, p, from, to);
            const expect = members.map((list) => {
              const step = Math.max(1, Math.floor(list.length / SAMPLE_PER_STRATUM));
              let size = 0;
              let hits = 0;
              for (let i = 0; i < list.length; i += step) {
                size++;
                const mask = m.get(list[i]!);
                if (mask !== undefined && (mask & kStar) === kStar) hits++;
              }
              return size >= list.length ? hits / size : wilsonUpper(hits, size);
            });
            assert.deepEqual(got.get(p), expect, `seed ${seed} p${p} [${from}, ${to}) k* ${kStar}`);
          }
          // the sample's bound is never far below the exact rate of the stratum
          const exact = stratumHits(idx, 0, from, to, stratum, kStar, 2);
          assert.ok(got.get(0)![0]! >= exact[0]! / members[0]!.length - 0.02);
        }
      }
    }
  });
});
