// Weighted Holm with read bursts (attribution.ts, read-bursts.ts): a principal whose own reads
// burst in the window gets a larger share of α, so a stolen bulk API key draining recent orders
// is named on fewer reports; an innocent with a burst is still not accused when the reporters are
// selected on a trait its reads follow.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SHAPE } from '../sim/shop-shape.ts';
import { generateShop } from '../sim/shaped-shop.ts';
import { leakWorld, shopView } from '../sim/leak-kinds.ts';
import { indexWorld, investigateWorld, worldVictims } from '../sim/sim-index.ts';
import { suspectId } from './attribution.ts';

const shop = generateShop(DEFAULT_SHAPE, 1);

/** Reports fed one at a time: how many it took until the first attributed name was a leaker. */
function reportsToAttribution(kindSeed: number, settings: Record<string, number>) {
  const w = leakWorld(shop, 'api-burst', kindSeed);
  const data = indexWorld(shopView(w));
  const victims = worldVictims(shopView(w));
  for (let k = 3; k <= victims.length; k++) {
    const r = investigateWorld(data, settings, victims.slice(0, k));
    const names = r.attributed.map((key) => suspectId(r, key, data.index.principals));
    assert.ok(
      names.every((n) => w.truth.leakers.includes(n)),
      `innocent named: ${names}`,
    );
    if (names.length) return { k, r, w, data };
  }
  return { k: Infinity, r: null, w, data };
}

describe('read bursts in attribution', () => {
  it('tests the principal with a read burst at its larger share of α and names the stolen key on fewer reports', () => {
    const weighted = reportsToAttribution(1, {});
    const flat = reportsToAttribution(1, { burstAlphaShare: 0 });
    assert.ok(weighted.k < flat.k, `with the weighting ${weighted.k} reports, without ${flat.k}`);
    const r = weighted.r!;
    const burstKey = weighted.data.index.principals.get(weighted.w.truth.leakers[0]!)!;
    assert.deepEqual(r.bursty, [burstKey]);
    const round = r.rounds[0]!;
    // one bursty principal: it alone has a quarter of α, everyone else shares three quarters
    assert.ok(Math.abs(round.alphaBurst - 0.25 * r.alphaSpent.tests) < 1e-12, `${round.alphaBurst}`);
    assert.ok(Math.abs(round.alpha - (0.75 * r.alphaSpent.tests) / (r.family - 1)) < 1e-15, `${round.alpha}`);
    assert.equal(r.suspects.find((s) => s.key === burstKey)!.burst, true);
    // without a burst nothing changes: the plain Holm level
    const plain = flat.r ?? investigateWorld(flat.data, { burstAlphaShare: 0 }, worldVictims(shopView(flat.w)));
    assert.deepEqual(plain.bursty, []);
    assert.equal(plain.rounds[0]!.alpha, plain.alphaSpent.tests / plain.family);
  });

  it('accuses nobody when a bulk client bursts innocently and reporters are recent buyers (its burst read 40 % of them)', () => {
    for (let seed = 1; seed <= 3; seed++) {
      for (const selection of ['recency', 'chance'] as const) {
        const w = leakWorld(shop, 'no-leak', 500 + seed, { selection, bias: 8, reporters: 40, innocentBurst: true });
        const data = indexWorld(shopView(w));
        const r = investigateWorld(data, {}, worldVictims(shopView(w)));
        assert.equal(r.bursty.length, 1, `seed ${seed}: the innocent burst is seen`);
        assert.deepEqual(r.attributed, [], `seed ${seed} ${selection}: ${r.suspects.slice(0, 2).map((s) => s.log10AdjustedP)}`);
      }
    }
  });
});
