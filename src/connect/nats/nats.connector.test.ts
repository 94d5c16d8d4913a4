// `fanzha connect nats` against the real NATS server of this machine (JetStream on): 10,000 events
// published are stored once each through a consumer stopped, crashed between commit and ack, and
// restarted; a bad event goes to the dead-letter subject with its problem.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { testDialects } from '../../testing/dialects.ts';
import { haveServer } from '../../testing/requirements.ts';
import type { EventsService } from '../../events/events.service.ts';
import { NatsConnector, type NatsConnectorOptions } from './nats.connector.ts';

const NATS_URL = process.env.FANZHA_TEST_NATS ?? 'nats://127.0.0.1:4222';
const up = await haveServer(NATS_URL, 'the NATS connector tests');
const TOTAL = 10_000;

const sqlite = testDialects()[0]!;

describe('connect nats → fanzha', { skip: !up }, () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let t: TestApp;
  const tag = randomBytes(4).toString('hex');
  const stream = `FZ_${tag}`;
  const subject = `fz.${tag}.events`;
  const dead = `fz.${tag}.dead`;
  before(async () => {
    nc = await connect({ servers: NATS_URL });
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [subject] });
    await jsm.streams.add({ name: `${stream}_DLQ`, subjects: [dead] });
    t = await createTestApp(sqlite, { logLevel: 'warn' });
  });
  after(async () => {
    await t?.close();
    await jsm?.streams.delete(stream).catch(() => {});
    await jsm?.streams.delete(`${stream}_DLQ`).catch(() => {});
    await nc?.drain();
  });

  const stored = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('id', 'like', `nats-${tag}-%`)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('stores 10,000 published events once each across a stop, a crash before the ack and a restart; a bad event is dead-lettered', async () => {
    const js = jetstream(nc);
    const ev = (i: number) => ({
      id: `nats-${tag}-${i}`,
      type: 'login.failed',
      at: new Date(Date.now() - 60_000).toISOString(),
      username: `user${i % 50}`,
      ip: `10.0.${i % 250}.1`,
    });
    // half one event per message, half arrays of ten; one bad event inside an array
    const messages: unknown[] = [];
    for (let i = 0; i < TOTAL / 2; i++) messages.push(ev(i));
    for (let i = TOTAL / 2; i < TOTAL; i += 10) messages.push(Array.from({ length: 10 }, (_, k) => ev(i + k)));
    (messages[messages.length - 1] as unknown[]).push({ id: `bad-${tag}`, type: 'order.teleported', at: new Date().toISOString() });
    messages.push('not json {');
    for (let i = 0; i < messages.length; i += 500) {
      await Promise.all(messages.slice(i, i + 500).map((m) => js.publish(subject, typeof m === 'string' ? m : JSON.stringify(m))));
    }

    const opts: NatsConnectorOptions = { url: NATS_URL, stream, subject, durable: `fz${tag}`, deadLetter: dead, batchSize: 1000, ackWaitMs: 1500 };
    const runUntil = async (c: NatsConnector, stop: () => boolean | Promise<boolean>) => {
      const ac = new AbortController();
      const running = c.run(ac.signal);
      const end = Date.now() + 60_000;
      while (!(await stop()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      ac.abort();
      await running;
    };

    // 1. a consumer stopped after two batches
    let batches = 0;
    const first = new NatsConnector(t.ctx.services.events, { ...opts, onBatch: () => batches++ });
    await runUntil(first, () => batches >= 2);
    const afterFirst = await stored();
    assert.ok(afterFirst >= 2000 && afterFirst < TOTAL, `stopped part way (${afterFirst})`);

    // 2. a consumer that crashes once its batch is committed, before acking it
    const real = t.ctx.services.events;
    const crashing = {
      ingest: async (b: readonly unknown[]) => Promise.reject(Object.assign(new Error('crash after commit'), { stored: await real.ingest(b) })),
    } as unknown as EventsService;
    await assert.rejects(new NatsConnector(crashing, opts).run(new AbortController().signal), /crash after commit/);
    const afterCrash = await stored();
    assert.ok(afterCrash > afterFirst, 'the crashed batch was committed');

    // 3. restarted: the rest, and the unacked batch again once its ack wait is over
    const last = new NatsConnector(t.ctx.services.events, opts);
    const dlq: unknown[] = [];
    const sub = nc.subscribe(dead);
    void (async () => {
      for await (const m of sub) dlq.push(m.json());
    })();
    await runUntil(last, async () => (await stored()) >= TOTAL && last.sink.totals.duplicates > 0 && dlq.length >= 2);
    sub.unsubscribe();

    assert.equal(await stored(), TOTAL, 'every event stored, none twice');
    assert.ok(last.sink.totals.duplicates >= 1, 'the redelivered batch came again and was recognised');
    assert.equal(first.sink.totals.accepted + last.sink.totals.accepted + (afterCrash - afterFirst), TOTAL);
    const info = await jsm.consumers.info(stream, opts.durable!);
    assert.equal(info.num_pending, 0);
    assert.equal(info.num_ack_pending, 0, 'every message acked');

    // dead letters: the bad event with its problem, and the message that was not JSON
    const bad = dlq.find((d) => (d as { event?: { id?: string } }).event?.id === `bad-${tag}`) as { problem: { title: string }; subject: string; seq: number };
    assert.equal(bad.problem.title, 'Unknown event type');
    assert.equal(bad.subject, subject);
    assert.ok(dlq.some((d) => (d as { problem: { title: string }; text?: string }).problem.title === 'Invalid JSON'));
    // and they are kept by the dead-letter stream
    assert.equal((await jsm.streams.info(`${stream}_DLQ`)).state.messages, 2);
  });
});
