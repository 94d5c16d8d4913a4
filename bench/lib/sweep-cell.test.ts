import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateShop } from '../../src/sim/shaped-shop.ts';
import { DEFAULT_SHAPE } from '../../src/sim/shop-shape.ts';
import { leakWorld, type ShapedWorld } from '../../src/sim/leak-kinds.ts';
import { baselineAttributor, fanzhaAttributor, runWorld } from './sweep-cell.ts';

const SMALL = { ...DEFAULT_SHAPE, customers: 1500, csCompanySize: 50, sellers: 100, apiClients: 60 };

/** The world as the methods may see it: any read of the ground truth throws. */
function withoutTruth(w: ShapedWorld): ShapedWorld {
  return { ...w, truth: new Proxy({} as ShapedWorld['truth'], { get: () => assert.fail('a method read world.truth') }) };
}

describe('the sweep cell', () => {
  const shop = generateShop(SMALL, 3);

  it('runs fanzha and the baseline on worlds whose truth throws when read', () => {
    for (const kind of ['insider', 'api-burst', 'account-takeover'] as const) {
      const w = withoutTruth(leakWorld(shop, kind, 1));
      for (const attribute of [fanzhaAttributor(), baselineAttributor()]) for (const k of [4, 16]) attribute(w, k);
    }
  });

  it('scores an insider leak: right first, reports to attribution, no false accusation', () => {
    const w = leakWorld(shop, 'insider', 2);
    const o = runWorld(w, 'small', 'baseline', baselineAttributor());
    assert.equal(o.reports, 16);
    assert.equal(o.rightFirst, true, JSON.stringify(o));
    assert.equal(o.first, w.truth.leakers[0]);
    assert.ok(o.firstRightAt !== null && o.firstRightAt <= 16);
    assert.equal(o.falseEver, false);
    // a method that always names an innocent is scored as such
    const wrong = runWorld(w, 'small', 'baseline', () => ['api-crm']);
    assert.equal(wrong.rightFirst, false);
    assert.equal(wrong.falseAtEnd, 1);
    assert.equal(wrong.falseEver, true);
    assert.equal(wrong.firstRightAt, null);
  });
});
