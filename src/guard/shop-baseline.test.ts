// The shop-wide detector judges the shop against its own normal: it stays calm through ordinary
// days (including the customers' typos and new phones), flags an attack whose bots replay device
// ids of real customers (which the fresh-device surge cannot see), does not learn the attack as
// normal, and lets go once the attack stops.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GuardEngine, type Attempt } from './guard.engine.ts';
import { MemoryCounterStore } from './counters/memory-counter-store.ts';
import { DEFAULT_GUARD_CONFIG } from './guard.config.ts';
import { ipPrefix } from './ip-prefix.ts';

const MIN = 60_000;

describe('shop baseline', () => {
  it('flags an attack of replayed device ids against the shop’s own normal, and lets go once it has stopped', async () => {
    let now = Date.UTC(2026, 10, 1);
    const engine = new GuardEngine(new MemoryCounterStore(() => now), DEFAULT_GUARD_CONFIG, () => now);
    const at = (account: string, ip: string, device?: string): Attempt => ({ account, ip, prefix: ipPrefix(ip)!, device });
    const step = async (a: Attempt, outcome: 'success' | 'failure' | 'unknown_user') => {
      const e = await engine.evaluate(a);
      if (e.decision === 'allow') await engine.record(a, outcome);
      return e;
    };
    // Two calm days: a sign-in a minute from known customers, and every 10 minutes a customer on a
    // new phone (every third one mistyping the password first).
    let i = 0;
    const calm = async (minutes: number) => {
      for (let m = 0; m < minutes; m++, i++) {
        now += MIN;
        const c = `c${i % 250}`;
        await step(at(c, `10.1.${i % 250}.1`, `${c}-phone`), 'success');
        if (m % 10 === 0) {
          const fresh = at(c, `10.1.${i % 250}.1`, `${c}-new-${i}`);
          if (m % 30 === 0) await step(fresh, 'failure');
          await step(fresh, 'success');
        }
      }
    };
    await calm(2 * 24 * 60);
    assert.equal((await engine.shop.current()).ready, true);
    assert.equal((await engine.shop.current()).underAttack, false, 'two ordinary days are not an attack');

    // An attack: 3 attempts a minute, each with a device id of a real customer, usernames mostly unknown.
    let flaggedAfter = -1;
    for (let m = 0; m < 120; m++) {
      now += MIN / 3;
      for (let k = 0; k < 3; k++) {
        const e = await step(
          at(k ? `leak${m}-${k}@x` : `c${(m * 7) % 250}`, `${100 + (m % 50)}.${k}.${m}.9`, `c${(m * 13 + k) % 250}-phone`),
          k ? 'unknown_user' : 'failure',
        );
        if (flaggedAfter < 0 && e.signals.shopUnderAttack) flaggedAfter = m;
      }
      await calm(0);
    }
    assert.ok(flaggedAfter >= 0 && flaggedAfter < 30, `flagged within 30 minutes (after ${flaggedAfter})`);
    const during = await engine.evaluate(at('c5', '203.0.113.77', 'c9-phone'));
    assert.equal(during.signals.surge, false, 'the fresh-device surge does not see replayed ids');
    assert.ok(during.reasons.includes('attack_unfamiliar'), during.reasons.join());
    // the customer on their own phone and network is not disturbed
    assert.equal((await engine.evaluate(at('c5', '10.1.5.1', 'c5-phone'))).decision, 'allow');

    // Once the 6-hour window has let go of the attack the shop is calm again (the 24-hour window
    // alone does not hold it: the excess must still be going on); the attack was not learned as normal.
    await calm(7 * 60);
    assert.equal((await engine.shop.current()).underAttack, false);
    assert.equal((await engine.evaluate(at('c5', '203.0.113.77', 'c9-phone'))).decision, 'allow');
  });
});
