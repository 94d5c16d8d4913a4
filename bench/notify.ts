// Notices through the outbox vs direct HTTP posts of the same payloads.
//   npx tsx bench/notify.ts [count]        (PostgreSQL too when FANZHA_TEST_PG is set)
// Outbox: enqueue `count` notices (chunked multi-row inserts, as an incident would), then the
// worker claims, resolves and decrypts the recipient, renders, posts a signed webhook to a local
// receiver and records each outcome. Baseline: the same signed webhook posts straight from
// memory with the same concurrency, no storage. Ratios are outbox / direct in the same run.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { openDatabase, migrateToLatest, type Database } from '../src/db/database.ts';
import { tempDir, PG_URL } from '../src/testing/dialects.ts';
import { DerivedKeyRing, FieldCipher } from '../src/vault/field-cipher.ts';
import { EventNormalizer } from '../src/events/events.normalize.ts';
import { notifyConfig } from '../src/notify/notify.config.ts';
import { loadConfig } from '../src/config/config.ts';
import { NotifyService } from '../src/notify/notify.service.ts';
import { OutboxWorker } from '../src/notify/outbox.worker.ts';
import { standaloneRecipients } from '../src/notify/standalone-recipients.test-helper.ts';
import { WebhookChannel } from '../src/notify/channels/webhook.channel.ts';
import { renderNotice } from '../src/notify/templates.ts';
import { startWebhookReceiver } from '../src/notify/receivers.test-helper.ts';

const COUNT = Number(process.argv[2] ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SECRET = 'bench-secret-0123456789';

async function openTarget(kind: 'sqlite' | 'postgres'): Promise<{ db: Database; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const db = openDatabase({ kind: 'sqlite', path: path.join(tempDir('fanzha-bench-'), 'bench.db') });
    await migrateToLatest(db);
    return { db, drop: async () => {} };
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`CREATE SCHEMA ${schema}`);
  await c.end();
  const db = openDatabase({ kind: 'postgres', url: PG_URL! }, { schema });
  await migrateToLatest(db);
  return {
    db,
    async drop() {
      const d = new pg.Client({ connectionString: PG_URL });
      await d.connect();
      await d.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await d.end();
    },
  };
}

async function run(kind: 'sqlite' | 'postgres') {
  const { db, drop } = await openTarget(kind);
  const rx = await startWebhookReceiver(SECRET);
  const masterKey = randomBytes(32);
  const cipher = new FieldCipher(new DerivedKeyRing(masterKey));
  const customers = 200;
  const norm = new EventNormalizer(cipher);
  for (let i = 0; i < customers; i++) {
    const ev = norm.normalize(
      {
        id: `e${i}`,
        type: 'customer.upserted',
        at: new Date().toISOString(),
        customerId: `c${i}`,
        name: '刘小明',
        phone: `1381234${String(i).padStart(4, '0')}`,
      },
      Date.now(),
    );
    await db.db
      .insertInto('customers')
      .values((ev as { stored: { row: any } }).stored.row)
      .execute();
  }
  const cfg = {
    ...notifyConfig(loadConfig({ FANZHA_DATA_DIR: tempDir() })),
    quietHours: null,
    rateLimit: { max: 1e9, windowMs: 1 },
    batchSize: 100,
    concurrency: CONCURRENCY,
  };
  const channel = new WebhookChannel({ url: rx.url, secret: SECRET });
  const service = new NotifyService(db, () => ['webhook'], 'webhook');
  const worker = new OutboxWorker({
    database: db,
    recipients: standaloneRecipients(db, masterKey),
    channels: new Map([['webhook', channel]]),
    config: cfg,
    logger: pino({ level: 'silent' }),
  });
  const reqs = Array.from({ length: COUNT }, (_, i) => ({
    customerId: `c${i % customers}`,
    template: 'incident.notice' as const,
    vars: { when: '近期' },
    idempotencyKey: `bench-${kind}-${i}`,
    channel: 'webhook',
    urgent: true,
  }));

  // Direct: the same rendered, signed payloads, posted with the same concurrency.
  const text = renderNotice('incident.notice', 'zh-CN', { when: '近期' }, cfg);
  const direct = async (label: string, n: number) => {
    let next = 0;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < n) {
          const i = next++;
          await channel.deliver(
            {
              id: `${label}-${i}`,
              idempotencyKey: `${label}-${kind}-${i}`,
              template: 'incident.notice',
              lang: 'zh-CN',
              subject: text.subject,
              text: text.text,
              vars: { when: '近期' },
              urgent: true,
            },
            { customerId: `c${i % customers}`, lang: 'zh-CN' },
          );
        }
      }),
    );
    return performance.now() - t;
  };
  // Warm up (JIT, sockets), then direct / outbox / direct so drift on a shared machine evens out.
  await direct('warm', Math.min(500, COUNT));
  const d1 = await direct('direct1', COUNT);

  const t0 = performance.now();
  for (let i = 0; i < reqs.length; i += 1000) await service.sendMany(reqs.slice(i, i + 1000), { source: 'bench' });
  const t1 = performance.now();
  while ((await worker.runOnce()) > 0);
  const t2 = performance.now();
  const outboxDelivered = (
    await db.db
      .selectFrom('notices')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'delivered')
      .executeTakeFirstOrThrow()
  ).n;
  if (Number(outboxDelivered) !== COUNT) throw new Error(`outbox delivered ${outboxDelivered} of ${COUNT}`);

  const d2 = await direct('direct2', COUNT);
  const directMs = (d1 + d2) / 2;
  if (rx.accepted.size !== 3 * COUNT + Math.min(500, COUNT)) throw new Error('a post was lost');

  const perSec = (n: number, ms: number) => (n / ms) * 1000;
  const enqueue = perSec(COUNT, t1 - t0);
  const deliver = perSec(COUNT, t2 - t1);
  const endToEnd = perSec(COUNT, t2 - t0);
  const directRate = perSec(COUNT, directMs);
  console.log(
    `${kind.padEnd(8)} n=${COUNT}  enqueue ${enqueue.toFixed(0)}/s  outbox delivery ${deliver.toFixed(0)}/s  end-to-end ${endToEnd.toFixed(0)}/s  | direct posts ${directRate.toFixed(0)}/s (mean of before/after)  | ratio delivery/direct ${(deliver / directRate).toFixed(2)}  end-to-end/direct ${(endToEnd / directRate).toFixed(2)}`,
  );
  await rx.close();
  await db.close();
  await drop();
}

await run('sqlite');
if (PG_URL) await run('postgres');
