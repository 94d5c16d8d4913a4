// One conformance suite for every counter backend: memory always, Redis when FANZHA_TEST_REDIS
// names a server. Windows are short (real time on both: Redis uses its own clock).
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MemoryCounterStore } from './memory-counter-store.ts';
import { RedisCounterStore } from './redis-counter-store.ts';
import type { CounterStore } from './counter-store.ts';
import { REDIS_URL } from '../../testing/dialects.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const backends: { name: string; make(): CounterStore }[] = [{ name: 'memory', make: () => new MemoryCounterStore() }];
// The production timeout (250 ms) is what lets the resilient wrapper fail over quickly; here it would
// only turn a CI machine's scheduling pause into a failure of a test about counting, so it is wide.
if (REDIS_URL)
  backends.push({
    name: 'redis',
    make: () => new RedisCounterStore({ url: REDIS_URL!, keyPrefix: `fzt:${randomBytes(4).toString('hex')}:`, commandTimeoutMs: 5000 }),
  });

for (const b of backends) {
  describe(`counter store conformance: ${b.name}`, () => {
    const s = b.make();
    after(() => s.close());

    it('counts within a window and reads without adding', async () => {
      const r = await s.apply([
        { kind: 'count', key: 'a', windowMs: 60_000, add: 1 },
        { kind: 'count', key: 'a', windowMs: 60_000, add: 2 },
        { kind: 'count', key: 'b', windowMs: 60_000, add: 0 },
      ]);
      assert.deepEqual(r, [1, 3, 0]);
      assert.deepEqual(await s.apply([{ kind: 'count', key: 'a', windowMs: 60_000, add: 0 }]), [3]);
    });

    it('forgets counts once the window has slid past them', async () => {
      await s.apply([{ kind: 'count', key: 'slide', windowMs: 600, add: 5 }]);
      await sleep(300);
      const [mid] = await s.apply([{ kind: 'count', key: 'slide', windowMs: 600, add: 1 }]);
      assert.equal(mid, 6);
      await sleep(450);
      // the first 5 are older than the window now; the later 1 is still inside it
      const [late] = await s.apply([{ kind: 'count', key: 'slide', windowMs: 600, add: 0 }]);
      assert.equal(late, 1);
      await sleep(700);
      assert.deepEqual(await s.apply([{ kind: 'count', key: 'slide', windowMs: 600, add: 0 }]), [0]);
    });

    it('counts distinct members, not repeats, and forgets them after the window', async () => {
      const ops = ['u1', 'u2', 'u1', 'u3', 'u2'].map((m) => ({ kind: 'distinct' as const, key: 'd', windowMs: 500, member: m }));
      const r = await s.apply(ops);
      assert.deepEqual(r, [1, 2, 2, 3, 3]);
      const many = Array.from({ length: 500 }, (_, i) => ({ kind: 'distinct' as const, key: 'dm', windowMs: 60_000, member: `m${i % 250}` }));
      const [n] = (await s.apply(many)).slice(-1);
      assert.ok(Math.abs(n! - 250) <= 250 * 0.03, `about 250 distinct, got ${n}`);
      await sleep(600);
      assert.deepEqual(await s.apply([{ kind: 'distinct', key: 'd', windowMs: 500 }]), [0]);
    });

    it('remembers set members until their TTL and says whether they were known', async () => {
      const r = await s.apply([
        { kind: 'member', key: 'devs', member: 'x', add: false, ttlMs: 400 },
        { kind: 'member', key: 'devs', member: 'x', add: true, ttlMs: 400 },
        { kind: 'member', key: 'devs', member: 'x', add: false, ttlMs: 400 },
        { kind: 'member', key: 'devs', member: 'y', add: false, ttlMs: 400 },
      ]);
      assert.deepEqual(r, [0, 0, 1, 0]);
      await sleep(500);
      assert.deepEqual(await s.apply([{ kind: 'member', key: 'devs', member: 'x', add: false, ttlMs: 400 }]), [0]);
    });

    it('resets a counter', async () => {
      await s.apply([{ kind: 'count', key: 'consec', windowMs: 60_000, add: 4 }]);
      const r = await s.apply([
        { kind: 'reset', key: 'consec' },
        { kind: 'count', key: 'consec', windowMs: 60_000, add: 1 },
      ]);
      assert.deepEqual(r, [0, 1]);
    });

    it('applies concurrent batches without losing increments', async () => {
      await Promise.all(Array.from({ length: 50 }, () => s.apply([{ kind: 'count', key: 'conc', windowMs: 60_000, add: 1 }])));
      assert.deepEqual(await s.apply([{ kind: 'count', key: 'conc', windowMs: 60_000, add: 0 }]), [50]);
    });

    if (b.name === 'redis') {
      it('puts a TTL on every key it creates, under its prefix only', async () => {
        const rs = s as RedisCounterStore;
        const prefix = (rs as unknown as { prefix: string }).prefix;
        // SCAN, not KEYS: the shared Redis may hold many other keys
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [next, batch] = await rs.client.scan(cursor, 'MATCH', prefix + '*', 'COUNT', 1000);
          cursor = next;
          keys.push(...batch);
        } while (cursor !== '0');
        assert.ok(keys.length > 0);
        for (const k of keys) {
          const ttl = await rs.client.pttl(k);
          assert.ok(ttl > 0, `${k} has a TTL (${ttl})`);
        }
      });
    }
  });
}
