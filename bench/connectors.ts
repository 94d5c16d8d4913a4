// Connector throughput against the baseline of plain POST /v1/events of the same events, in the
// same run, each on a fresh SQLite database:
//   baseline: JSON arrays of 1,000 events POSTed one after another to a listening fanzha
//             (loopback, client in this process), the batch size the connectors commit;
//   nats:     the events published to a JetStream stream beforehand, one per message; timed from
//             the connector's start until all are stored and acked (fetch, parse, ingest, ack);
//   mysql:    customer rows inserted into MariaDB beforehand (100 per transaction) while the
//             connector was stopped, so the binlog holds a backlog; timed from its restart until
//             every row is stored as customer.upserted. Its baseline POSTs the events the same
//             rows make through the same mapping, under fresh ids.
// Needs the MariaDB (binary log in ROW format) and NATS (JetStream) servers .ci/run starts;
// FANZHA_TEST_MYSQL / FANZHA_TEST_NATS name others.
// Usage: npx tsx bench/connectors.ts [events=20000]
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { shopEvents } from './lib/shop-events.ts';
import { tempDir } from '../src/testing/dialects.ts';
import { loadConfig } from '../src/config/config.ts';
import { createContext, closeContext } from '../src/app/bootstrap.ts';
import { buildApp } from '../src/http/app.ts';
import { AREAS } from '../src/app/areas.ts';
import { createLogger } from '../src/http/logger.ts';
import type { AppContext } from '../src/app/context.ts';
import { NatsConnector } from '../src/connect/nats/nats.connector.ts';
import { MysqlConnector } from '../src/connect/mysql/mysql.connector.ts';
import { PositionStore } from '../src/connect/connect.positions.ts';
import { createTestShop, customerRow, insertCustomers, MYSQL_URL } from '../src/connect/mysql/mysql.test-helper.ts';
import { RowMapper } from '../src/connect/mysql/mysql.events.ts';

const N = Number(process.argv[2] ?? 20_000);
const BATCH = 1000;
const NATS_URL = process.env.FANZHA_TEST_NATS ?? 'nats://127.0.0.1:4222';
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

async function context(): Promise<AppContext> {
  const dir = tempDir('fanzha-bench-');
  const config = loadConfig({ FANZHA_DATA_DIR: dir, FANZHA_DB: `sqlite:${path.join(dir, 'f.db')}`, FANZHA_PORT: '0' });
  return createContext(config, { areas: AREAS, logger: createLogger('warn'), masterKey: { key: randomBytes(32), source: 'env' } });
}

const storedCount = async (ctx: AppContext) =>
  Number(
    (
      await ctx.database.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function until(check: () => Promise<boolean>) {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

async function postBaseline(events: readonly Record<string, unknown>[]): Promise<number> {
  const ctx = await context();
  const app = await buildApp(ctx, AREAS);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const { key } = await ctx.services.apiKeys.create({ role: 'ingest' });
  const bodies: string[] = [];
  for (let i = 0; i < events.length; i += BATCH) bodies.push(JSON.stringify(events.slice(i, i + BATCH)));
  const t = performance.now();
  for (const body of bodies) {
    const r = await fetch(`${address}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    await r.arrayBuffer();
  }
  const s = (performance.now() - t) / 1000;
  await app.close();
  await closeContext(ctx);
  return events.length / s;
}

async function natsConnector(events: readonly Record<string, unknown>[]): Promise<number> {
  const nc = await connect({ servers: NATS_URL });
  const jsm = await jetstreamManager(nc);
  const tag = randomBytes(4).toString('hex');
  const stream = `FZBENCH_${tag}`;
  const subject = `fzbench.${tag}`;
  await jsm.streams.add({ name: stream, subjects: [subject] });
  const js = jetstream(nc);
  for (let i = 0; i < events.length; i += 1000) await Promise.all(events.slice(i, i + 1000).map((e) => js.publish(subject, JSON.stringify(e))));
  const ctx = await context();
  const c = new NatsConnector(ctx.services.events, { url: NATS_URL, stream, subject, batchSize: BATCH });
  const ac = new AbortController();
  const t = performance.now();
  const running = c.run(ac.signal);
  await until(async () => c.sink.totals.accepted >= events.length);
  const s = (performance.now() - t) / 1000;
  ac.abort();
  await running;
  await jsm.streams.delete(stream);
  await nc.drain();
  await closeContext(ctx);
  return events.length / s;
}

async function mysqlConnector(): Promise<{ rate: number; events: Record<string, unknown>[] }> {
  const shop = await createTestShop();
  const ctx = await context();
  const positions = new PositionStore(ctx.database.db);
  const mk = () => new MysqlConnector(ctx.services.events, positions, { url: MYSQL_URL, mapping: shop.mapping, name: 'bench', batchSize: BATCH, flushMs: 50 });
  // snapshot of the empty tables, position saved; then a backlog while it is stopped
  const first = mk();
  const ac = new AbortController();
  const running = first.run(ac.signal);
  await until(async () => (await positions.get<{ phase: string }>('bench'))?.phase === 'stream');
  ac.abort();
  await running;
  await insertCustomers(shop.conn, shop.t.customers, 0, N, 100);
  const c = mk();
  const ac2 = new AbortController();
  const t = performance.now();
  const again = c.run(ac2.signal);
  await until(async () => c.sink.totals.accepted >= N);
  const s = (performance.now() - t) / 1000;
  ac2.abort();
  await again;
  if ((await storedCount(ctx)) !== N) throw new Error('mysql: not every row stored once');
  // the events it produced (the same rows through the same mapping) under fresh ids, for the baseline
  const mapper = new RowMapper(shop.mapping);
  const events = Array.from({ length: N }, (_, i) => mapper.customer(customerRow(i), `post-${i}`, Date.now())!);
  await closeContext(ctx);
  await shop.drop();
  return { rate: N / s, events };
}

const mix = [...shopEvents(N, 7)];
console.log(`events: ${N.toLocaleString('en-US')}; batches of ${BATCH}; SQLite`);
const natsBase = await postBaseline(mix);
const nats = await natsConnector(mix);
console.log(
  `NATS (shop event mix, one per message):   baseline POST ${fmt(natsBase)} events/s, connector ${fmt(nats)} events/s, ratio ${(nats / natsBase).toFixed(2)}`,
);
const my = await mysqlConnector();
const myBase = await postBaseline(my.events);
console.log(
  `MySQL binlog (customer rows → upserts):    baseline POST ${fmt(myBase)} events/s, connector ${fmt(my.rate)} events/s, ratio ${(my.rate / myBase).toFixed(2)}`,
);
