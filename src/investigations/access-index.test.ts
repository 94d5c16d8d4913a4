import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccessIndex } from './access-index.ts';
import { Prng } from '../sim/prng.ts';

function collect(idx: AccessIndex, kind: 'c' | 'p', id: string, from: number, to: number) {
  const out: string[] = [];
  if (kind === 'c') {
    const c = idx.customers.get(id);
    if (c !== undefined) idx.forCustomer(c, from, to, (_r, p, f, at) => out.push(`${idx.principals.ids[p]}|${f}|${at}`));
  } else {
    const p = idx.principals.get(id);
    if (p !== undefined) idx.forPrincipal(p, from, to, (c, f, at) => out.push(`${idx.customers.ids[c]}|${f}|${at}`));
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
});
