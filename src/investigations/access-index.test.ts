import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccessIndex } from './access-index.ts';
import { Prng } from '../sim/prng.ts';

function collect(idx: AccessIndex, kind: 'c' | 'p', id: string, from: number, to: number) {
  const out: string[] = [];
  if (kind === 'c') {
    const c = idx.customers.get(id);
    if (c !== undefined) idx.forCustomer(c, from, to, (_r, p, f, at) => out.push(`${idx.principals.id(p)}|${f}|${at}`));
  } else {
    const p = idx.principals.get(id);
    if (p !== undefined) idx.forPrincipal(p, from, to, (c, f, at) => out.push(`${idx.customers.id(c)}|${f}|${at}`));
  }
  return out.sort();
}

describe('access index', () => {
  it('answers the same before and after folding appended rows in, in time windows', () => {
    const idx = new AccessIndex();
    const prng = new Prng(7);
    const rnd = (n: number) => prng.int(0, n);
    const rows = Array.from({ length: 3000 }, () => ({
      principal: `p${rnd(40)}`,
      customer: `c${rnd(300)}`,
      order: rnd(2) ? `o${rnd(500)}` : null,
      fields: 1 + rnd(511),
      at: 1_000_000 + rnd(1_000_000),
      channel: 'console',
    }));
    rows.forEach((r) => idx.append(r));
    const probes = [
      ['c', 'c5'],
      ['c', 'c77'],
      ['p', 'p3'],
      ['p', 'p39'],
    ] as const;
    const before = probes.map(([k, id]) => collect(idx, k, id, 1_200_000, 1_700_000));
    idx.compact(true);
    const after = probes.map(([k, id]) => collect(idx, k, id, 1_200_000, 1_700_000));
    assert.deepEqual(after, before);
    // brute force
    const expect = rows
      .filter((r) => r.customer === 'c5' && r.at >= 1_200_000 && r.at < 1_700_000)
      .map((r) => `${r.principal}|${r.fields}|${r.at}`)
      .sort();
    assert.deepEqual(after[0], expect);
    assert.ok(expect.length > 0);
    // appends after a fold are seen too
    idx.append({ principal: 'p3', customer: 'c5', order: null, fields: 3, at: 1_500_000, channel: 'api' });
    assert.ok(collect(idx, 'c', 'c5', 1_200_000, 1_700_000).includes('p3|3|1500000'));
    assert.ok(collect(idx, 'p', 'p3', 1_200_000, 1_700_000).includes('c5|3|1500000'));
  });

  it('holds at most 40 bytes a read, both copies, a full tail and the id interners counted', () => {
    // a shop's proportions: 20 reads a customer, three orders each, ids as long as a shop's
    const n = 200_000;
    const prng = new Prng(3);
    const idx = new AccessIndex();
    const row = (i: number) => {
      const c = prng.int(0, n / 20);
      return {
        principal: `emp_${String(prng.int(0, 400)).padStart(6, '0')}`,
        customer: `cus_${String(c).padStart(10, '0')}`,
        order: i % 2 ? `ord_${String(c).padStart(10, '0')}_${i % 3}` : null,
        fields: 1 + prng.int(0, 511),
        at: 1_767_225_600_000 + prng.int(0, 120 * 86_400_000),
        channel: 'api',
      };
    };
    for (let i = 0; i < n; i++) idx.append(row(i));
    idx.compact(true);
    const folded = idx.memory();
    assert.equal(folded.reads, n);
    assert.equal(folded.tail, 0);
    assert.equal(folded.total, folded.byCustomer + folded.byPrincipal + folded.interners);
    assert.ok(folded.bytesPerRead <= 40, `${folded.bytesPerRead.toFixed(1)} bytes a read folded`);
    // the copies alone: 16 + 15 bytes a read at most, plus one start per customer and principal
    assert.ok((folded.byCustomer + folded.byPrincipal) / n <= 31 + (4 * (idx.customers.size + idx.principals.size + 2)) / n);
    // the tail just below its fold point, chained by a query
    for (let i = 0; i < n / 32 - 1; i++) idx.append(row(i));
    idx.compact();
    assert.ok(idx.tailSize > 0);
    idx.forCustomer(0, 0, Infinity, () => {});
    const full = idx.memory();
    assert.ok(full.tail > 0);
    assert.ok(full.bytesPerRead <= 40, `${full.bytesPerRead.toFixed(1)} bytes a read with a full tail`);
  });

  it('keeps times exact to the millisecond, over more than 2^32 ms', () => {
    const idx = new AccessIndex();
    const base = Date.UTC(2026, 0, 1);
    const times = [base, base + 1, base + 2 ** 32 - 1, base + 2 ** 32, base + 2 ** 32 + 1, base + 3 * 365 * 86_400_000 + 7];
    for (const at of times) idx.append({ principal: 'p', customer: 'c', order: null, fields: 1, at, channel: 'api' });
    idx.compact(true);
    const seen: number[] = [];
    idx.forCustomer(0, base + 1, base + 2 ** 32 + 1, (_r, _p, _f, at) => seen.push(at));
    assert.deepEqual(seen, times.slice(1, 4));
    const all: number[] = [];
    idx.forPrincipal(0, -Infinity, Infinity, (_c, _f, at) => all.push(at));
    assert.deepEqual(all, times);
  });
});
