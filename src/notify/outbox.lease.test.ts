// Leases that fit the work, on each storage backend: a delivery slower than the lease (a provider
// taking "90 s", scaled down with a short lease) is renewed and never sent twice by another worker;
// notices claimed but not started are handed back at shutdown; a crashed worker's notices are taken
// over within 10 s with the default settings.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { testDialects, tempDir } from '../testing/dialects.ts';
import type { Database } from '../db/database.ts';
import { DerivedKeyRing, FieldCipher } from '../vault/field-cipher.ts';
import { EventNormalizer } from '../events/events.normalize.ts';
import { enqueueWith, OutboxRepository } from './outbox.repository.ts';
import { OutboxWorker } from './outbox.worker.ts';
import { standaloneRecipients } from './standalone-recipients.test-helper.ts';
import { notifyConfig, type NotifyConfig } from './notify.config.ts';
import { loadConfig } from '../config/config.ts';
import type { Channel, OutgoingNotice } from './channels/channel.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A channel whose provider takes `ms` per delivery; counts deliveries per idempotency key and who made them. */
function slowChannel(ms: number) {
  const deliveries = new Map<string, string[]>();
  const make = (by: string): Channel => ({
    name: 'webhook',
    needs: 'none',
    async deliver(n: OutgoingNotice) {
      deliveries.set(n.idempotencyKey, [...(deliveries.get(n.idempotencyKey) ?? []), by]);
      await sleep(ms);
      return { status: 'delivered' as const, providerRef: `slow:${n.id}` };
    },
  });
  return { deliveries, make };
}

for (const dialect of testDialects()) {
  describe(`outbox leases on ${dialect.name}`, () => {
    let db: Database;
    const masterKey = randomBytes(32);
    const base: NotifyConfig = { ...notifyConfig(loadConfig({ FANZHA_DATA_DIR: tempDir() })), quietHours: null, backoffBaseMs: 1, backoffMaxMs: 4, pollMs: 30 };
    const worker = (cfg: Partial<NotifyConfig>, channel: Channel) =>
      new OutboxWorker({
        database: db,
        recipients: standaloneRecipients(db, masterKey),
        channels: new Map([['webhook', channel]]),
        config: { ...base, ...cfg },
        logger: pino({ level: 'silent' }),
      });
    const enqueue = (keys: string[]) =>
      enqueueWith(
        db.db,
        keys.map((k) => ({ idempotencyKey: k, template: 'incident.notice', customerId: 'c1', vars: {}, channel: 'webhook', urgent: true, source: 'test' })),
      );
    const statusOf = async (keys: string[]) =>
      db.db
        .selectFrom('notices')
        .select(['idempotency_key', 'status', 'lease_owner', 'attempts'])
        .where('idempotency_key', 'in', keys)
        .orderBy('idempotency_key')
        .execute();

    before(async () => {
      db = await dialect.open();
      const cipher = new FieldCipher(new DerivedKeyRing(masterKey));
      const ev = new EventNormalizer(cipher).normalize(
        { id: 'e1', type: 'customer.upserted', at: new Date().toISOString(), customerId: 'c1', name: '刘小明', phone: '13812345678' },
        Date.now(),
      );
      await db.db
        .insertInto('customers')
        .values((ev as unknown as { stored: { row: never } }).stored.row)
        .execute();
    });
    after(async () => {
      await db.close();
    });

    it('renews the lease while a slow delivery is in flight: another worker never sends it again', async () => {
      const keys = ['slow-1', 'slow-2'];
      await enqueue(keys);
      // each delivery takes 6 leases (as a 90 s provider call against a 15 s lease would); the
      // second notice waits claimed, unstarted, for longer still
      const ch = slowChannel(900);
      const a = worker({ leaseMs: 150, concurrency: 1 }, ch.make('a'));
      const b = worker({ leaseMs: 150 }, ch.make('b'));
      let done = false;
      const round = a.runOnce().finally(() => (done = true));
      let bClaimed = 0;
      while (!done) {
        bClaimed += await b.runOnce();
        await sleep(40);
      }
      assert.equal(await round, 2);
      assert.equal(bClaimed, 0, 'the other worker claimed nothing while the leases were renewed');
      assert.deepEqual(Object.fromEntries(ch.deliveries), { 'slow-1': ['a'], 'slow-2': ['a'] });
      assert.deepEqual(
        (await statusOf(keys)).map((r) => r.status),
        ['delivered', 'delivered'],
      );
    });

    it('hands back claimed-but-unstarted notices at shutdown; another worker sends them at once', async () => {
      const keys = ['stop-1', 'stop-2', 'stop-3', 'stop-4'];
      await enqueue(keys);
      const ch = slowChannel(300);
      const a = worker({ leaseMs: 60_000, concurrency: 1, batchSize: 10 }, ch.make('a'));
      a.start();
      while (ch.deliveries.size === 0) await sleep(10);
      await a.stop();
      const rows = await statusOf(keys);
      assert.equal(rows.filter((r) => r.status === 'delivered').length, 1, 'the delivery in flight finished');
      const back = rows.filter((r) => r.status === 'pending');
      assert.equal(back.length, 3);
      assert.ok(
        back.every((r) => r.lease_owner === null && Number(r.attempts) === 0),
        'released, the claim not counted as an attempt',
      );
      // a 60 s lease would otherwise hold them for a minute
      const b = worker({ leaseMs: 60_000 }, ch.make('b'));
      assert.equal(await b.runOnce(), 3);
      assert.deepEqual(
        (await statusOf(keys)).map((r) => r.status),
        ['delivered', 'delivered', 'delivered', 'delivered'],
      );
      assert.ok([...ch.deliveries.values()].every((by) => by.length === 1));
    });

    it('takes over a crashed worker within 10 s with the default lease and poll settings', async () => {
      assert.ok(base.leaseMs + notifyConfig(loadConfig({ FANZHA_DATA_DIR: tempDir() })).pollMs < 10_000, 'default lease + poll < 10 s');
      await enqueue(['crash-1']);
      // a node claims it with the default lease, then dies (no renewal, no release)
      const crashedAt = Date.now();
      assert.equal((await new OutboxRepository(db).claim('w_dead', crashedAt, base.leaseMs, 10)).length, 1);
      const ch = slowChannel(1);
      const b = worker({ pollMs: notifyConfig(loadConfig({ FANZHA_DATA_DIR: tempDir() })).pollMs }, ch.make('b'));
      b.start();
      try {
        while (!ch.deliveries.has('crash-1') && Date.now() - crashedAt < 15_000) await sleep(50);
      } finally {
        await b.stop();
      }
      const took = Date.now() - crashedAt;
      assert.ok(ch.deliveries.has('crash-1'), 'taken over');
      assert.ok(took < 10_000, `taken over after ${took} ms`);
      assert.ok(took >= base.leaseMs - 100, 'not before the lease expired');
    });
  });
}
