import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PerOrderScreen, log10HypergeometricTail, type ScreenShop } from './per-order-screen.ts';
import { log10HypergeometricTail as engineTail } from '../../src/investigations/stats.ts';
import { FIELD_BIT as F } from '../../src/lib/fields.ts';

const DAY = 86_400_000;
const NP = F.name | F.phone;

/** Ten orders placed on day 0..9; reads given as [principal, order, fields, day]. */
function shop(reads: [number, number, number, number][], orgs: (string | undefined)[] = [undefined, undefined, undefined]): ScreenShop {
  return {
    rows: {
      n: reads.length,
      principal: Int32Array.from(reads.map((r) => r[0])),
      order: Int32Array.from(reads.map((r) => r[1])),
      fields: Uint16Array.from(reads.map((r) => r[2])),
      at: Float64Array.from(reads.map((r) => r[3] * DAY)),
    },
    orderPlacedAt: Array.from({ length: 10 }, (_, o) => o * DAY),
    principalIds: orgs.map((_, p) => `p${p}`),
    principalOrgs: orgs,
  };
}

describe('the per-order baseline screen', () => {
  // p0 read orders 0, 1, 2 with name and phone; p1 read all ten; victims called on day 20 about orders 0 and 1
  const reads: [number, number, number, number][] = [
    [0, 0, NP, 10],
    [0, 1, NP, 10],
    [0, 2, NP, 10],
    ...Array.from({ length: 10 }, (_, o) => [1, o, NP | F.items, 11] as [number, number, number, number]),
  ];
  const victims = [0, 1].map((order) => ({ order, contactAt: 20 * DAY, knewMask: NP }));

  it('computes the exact hypergeometric tail of each principal and applies Bonferroni over the family', () => {
    const r = new PerOrderScreen(shop(reads)).screen(victims);
    assert.equal(r.population, 10);
    assert.equal(r.family, 3);
    const p0 = r.suspects.find((s) => s.name === 'p0')!;
    assert.equal(p0.covered, 2);
    assert.equal(p0.read, 3);
    assert.ok(Math.abs(p0.log10P - Math.log10(3 / 45)) < 1e-12); // C(3,2)·C(7,0)/C(10,2)
    assert.equal(r.suspects.find((s) => s.name === 'p1')!.log10P, 0);
    assert.deepEqual(r.attributed, []); // 3 · 1/15 > 0.01
    // a third victim on order 2: 1/C(10,3) = 1/120; 3/120 > 0.01 still, but ≤ 0.05
    const three = [...victims, { order: 2, contactAt: 20 * DAY, knewMask: NP }];
    assert.deepEqual(new PerOrderScreen(shop(reads)).screen(three).attributed, []);
    assert.deepEqual(new PerOrderScreen(shop(reads)).screen(three, { alpha: 0.05 }).attributed, ['p0']);
  });

  it('counts a read only before the contact, within the window, with the fields the caller knew', () => {
    const late = new PerOrderScreen(shop(reads)).screen(victims.map((v) => ({ ...v, contactAt: 10 * DAY })));
    assert.equal(
      late.suspects.find((s) => s.name === 'p0'),
      undefined,
    );
    const old = new PerOrderScreen(shop(reads)).screen(victims.map((v) => ({ ...v, contactAt: 80 * DAY })));
    assert.equal(
      old.suspects.find((s) => s.name === 'p0'),
      undefined,
    );
    const items = new PerOrderScreen(shop(reads)).screen(victims.map((v) => ({ ...v, knewMask: NP | F.items })));
    assert.deepEqual(
      items.suspects.map((s) => s.name),
      ['p1'],
    );
  });

  it('tests principals sharing an org as one group', () => {
    const g = shop(
      [
        [0, 0, NP, 10],
        [1, 1, NP, 10],
        [2, 5, NP, 10],
      ],
      ['acme', 'acme', undefined],
    );
    const r = new PerOrderScreen(g).screen(victims);
    assert.equal(r.family, 4);
    const group = r.suspects.find((s) => s.name === 'org:acme')!;
    assert.equal(group.covered, 2);
    assert.equal(group.read, 2);
    assert.ok(Math.abs(group.log10P - Math.log10(1 / 45)) < 1e-12);
  });

  it('its hypergeometric tail agrees with the engine’s, written apart', () => {
    for (const [N, K, n, x] of [
      [15_000, 30, 16, 5],
      [15_000, 7_500, 16, 14],
      [100, 60, 40, 35],
      [3000, 1, 2, 1],
    ]) {
      assert.ok(Math.abs(log10HypergeometricTail(N!, K!, n!, x!) - engineTail(N!, K!, n!, x!)) < 1e-8);
    }
  });
});
