// The same decisions with the Redis counters (server clock, Lua batches, HyperLogLog distincts).
// Runs when FANZHA_TEST_REDIS names a server (scripts/test.mjs says so when it does not).
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { GuardEngine, type Attempt } from './guard.engine.ts';
import { RedisCounterStore } from './counters/redis-counter-store.ts';
import { DEFAULT_GUARD_CONFIG } from './guard.config.ts';
import { ipPrefix } from './ip-prefix.ts';
import { REDIS_URL } from '../testing/dialects.ts';

if (REDIS_URL) {
  describe('guard decisions on Redis counters', () => {
    const store = new RedisCounterStore({ url: REDIS_URL!, keyPrefix: `fzt:${randomBytes(4).toString('hex')}:`, commandTimeoutMs: 2000 });
    after(() => store.close());
    const engine = new GuardEngine(store, DEFAULT_GUARD_CONFIG);
    const at = (account: string, ip: string, device?: string, passwordBreached = false): Attempt => ({
      account,
      ip,
      prefix: ipPrefix(ip)!,
      device,
      passwordBreached,
    });

    it('challenges strangers at a failing IP and lets the owner on a known device through', async () => {
      await engine.record(at('alice', '10.0.0.1', 'alice-phone'), 'success');
      for (let i = 0; i < 10; i++) await engine.record(at(`u${i}`, '203.0.113.9'), 'failure');
      const s = await engine.evaluate(at('bob', '203.0.113.9', 'new'));
      assert.equal(s.decision, 'challenge');
      assert.ok(s.reasons.includes('ip_failures') && s.reasons.includes('ip_many_usernames'));
      assert.equal((await engine.evaluate(at('alice', '203.0.113.9', 'alice-phone'))).decision, 'allow');
    });

    it('detects a surge of fresh devices and challenges a sign-in new on every axis', async () => {
      for (let i = 0; i < 40; i++) {
        const a = at(`leaked${i}`, `${20 + i}.${i}.1.1`);
        await engine.evaluate(a);
        await engine.record(a, 'unknown_user');
      }
      // each node rereads the shared surge state at most once a second
      await new Promise((r) => setTimeout(r, 1100));
      const e = await engine.evaluate(at('carol', '172.20.1.1', 'carol-new'));
      assert.equal(e.signals.surge, true);
      assert.ok(e.reasons.includes('attack_unfamiliar'), e.reasons.join());
    });

    it('counts a retried result once', async () => {
      const a = { ...at('dan', '198.51.100.80'), attemptId: 'att-9' };
      await engine.record(a, 'failure');
      assert.equal((await engine.record(a, 'failure')).duplicate, true);
      assert.equal((await engine.evaluate(a)).signals.accountFailuresHour, 1);
    });
  });
}
