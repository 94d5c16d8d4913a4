// A worker process killed in the middle of deliveries: no notice is lost, and every notice is
// accepted once under its idempotency key (the receiver sees the in-flight ones again, with the
// same key, after their lease expires, and drops the repeats).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { openDatabase, migrateToLatest, type Database } from '../db/database.ts';
import { PG_URL, tempDir } from '../testing/dialects.ts';
import { DerivedKeyRing, FieldCipher } from '../vault/field-cipher.ts';
import { EventNormalizer } from '../events/events.normalize.ts';
import { startWebhookReceiver } from './receivers.test-helper.ts';
import { enqueueWith } from './outbox.repository.ts';
import { OutboxWorker } from './outbox.worker.ts';
import { standaloneRecipients } from './standalone-recipients.test-helper.ts';
import { WebhookChannel } from './channels/webhook.channel.ts';
import { notifyConfig } from './notify.config.ts';
import { loadConfig } from '../config/config.ts';

const SECRET = 'crash-secret-0123456789';
const LEASE_MS = 800;
const N = 30;

interface Target {
  name: string;
  open(): Promise<{ db: Database; env: Record<string, string>; drop(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'sqlite',
    async open() {
      const file = path.join(tempDir(), 'crash.db');
      const db = openDatabase({ kind: 'sqlite', path: file });
      await migrateToLatest(db);
      return { db, env: { CHILD_SQLITE: file }, drop: async () => {} };
    },
  },
];
if (PG_URL) {
  const PG: string = PG_URL;
  targets.push({
    name: 'postgres',
    async open() {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: PG });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const db = openDatabase({ kind: 'postgres', url: PG }, { schema });
      await migrateToLatest(db);
      return {
        db,
        env: { CHILD_PG_URL: PG, CHILD_PG_SCHEMA: schema },
        async drop() {
          const c = new pg.Client({ connectionString: PG });
          await c.connect();
          await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await c.end();
        },
      };
    },
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const target of targets) {
  describe(`outbox crash safety on ${target.name}`, () => {
    it('survives a worker process killed mid-delivery: none lost, none accepted twice', async () => {
      const { db, env, drop } = await target.open();
      try {
        await scenario(db, env);
      } finally {
        await db.close();
        await drop();
      }
    });
  });
}

async function scenario(db: Database, env: Record<string, string>) {
  const masterKey = randomBytes(32);
  const cipher = new FieldCipher(new DerivedKeyRing(masterKey));
  // The customer row as ingestion stores it (encrypted phone).
  const ev = new EventNormalizer(cipher).normalize(
    { id: 'e1', type: 'customer.upserted', at: new Date().toISOString(), customerId: 'c1', name: '刘小明', phone: '13812345678' },
    Date.now(),
  );
  await db.db
    .insertInto('customers')
    .values((ev as { stored: { row: any } }).stored.row)
    .execute();
  const keys = Array.from({ length: N }, (_, i) => `crash-${i}`);
  await enqueueWith(
    db.db,
    keys.map((k) => ({ idempotencyKey: k, template: 'incident.notice', customerId: 'c1', vars: {}, channel: 'webhook', urgent: true, source: 'test' })),
  );

  // The receiver answers the first 10 deliveries, then stops answering: the child is then
  // killed with requests in flight (sent, perhaps processed by the receiver, never recorded).
  let answered = 0;
  let hanging = 0;
  let killed = false;
  const rx = await startWebhookReceiver(SECRET, {
    fail: () => {
      if (killed || answered < 10) {
        answered++;
        return null;
      }
      hanging++;
      return 'hang';
    },
  });
  const hangDone = () => hanging > 0;
  const hung = new Set<string>();
  // Make the receiver process each hung request too (as a real one might before the crash),
  // so the redelivery must be recognised as a repeat.
  const origRespond = rx.respond;
  rx.respond = (r, res) => {
    origRespond(r, res);
    const key = r.headers['idempotency-key'] as string;
    if (!rx.accepted.has(key) && hangDone() && !killed) {
      rx.accepted.set(key, JSON.parse(r.body));
      hung.add(key);
    }
  };

  const child = fork(new URL('./worker-child.test-helper.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      ...env,
      CHILD_MASTER_KEY: masterKey.toString('hex'),
      CHILD_WEBHOOK_URL: rx.url,
      CHILD_SECRET: SECRET,
      CHILD_LEASE_MS: String(LEASE_MS),
      CHILD_DATA_DIR: tempDir(),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise((r) => child.on('exit', r));
  const deadline = Date.now() + 30_000;
  while (!hangDone() && Date.now() < deadline) await sleep(20);
  assert.ok(hangDone(), 'the child started delivering');
  await sleep(50);
  child.kill('SIGKILL');
  await exited;
  killed = true;

  const inFlight = await db.db.selectFrom('notices').select(['id', 'idempotency_key']).where('status', '=', 'sending').execute();
  assert.ok(inFlight.length > 0, 'some notices were mid-delivery when the process died');

  // A fresh worker (another "node") takes over once the dead worker's leases expire.
  rx.respond = origRespond;
  const config = { ...notifyConfig(loadConfig({ FANZHA_DATA_DIR: tempDir() })), quietHours: null, leaseMs: LEASE_MS, backoffBaseMs: 1, backoffMaxMs: 4 };
  const worker = new OutboxWorker({
    database: db,
    recipients: standaloneRecipients(db, masterKey),
    channels: new Map([['webhook', new WebhookChannel({ url: rx.url, secret: SECRET })]]),
    config,
    logger: pino({ level: 'silent' }),
  });
  await sleep(LEASE_MS + 50);
  for (let i = 0; i < 50; i++) {
    await worker.runOnce();
    const left = await db.db.selectFrom('notices').select('id').where('status', '!=', 'delivered').execute();
    if (left.length === 0) break;
    await sleep(20);
  }
  const rows = await db.db.selectFrom('notices').select(['idempotency_key', 'status']).execute();
  assert.equal(rows.length, N);
  assert.ok(
    rows.every((r) => r.status === 'delivered'),
    'no notice lost',
  );
  assert.deepEqual([...rx.accepted.keys()].sort(), [...keys].sort(), 'every key accepted exactly once by the receiver');
  assert.ok(hung.size > 0);
  for (const k of hung) {
    assert.ok(
      inFlight.some((r) => r.idempotency_key === k),
      'a request in flight was left in "sending"',
    );
    assert.ok((rx.deliveries.get(k) ?? 0) >= 2, 'the in-flight notice was redelivered with the same key');
  }
  const repeats = [...rx.deliveries.entries()].filter(([, n]) => n > 1).map(([k]) => k);
  assert.ok(
    repeats.every((k) => hung.has(k)),
    'only notices in flight at the kill were sent again',
  );
  await rx.close();
}
