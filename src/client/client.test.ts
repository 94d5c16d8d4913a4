// The typed client against a real listening fanzha (app.listen on port 0): batched ingestion with
// ids kept across retries (a batch whose answer was lost is stored once), backoff honouring
// Retry-After on 429/503, the overflow policies of the bounded queue, and the other calls.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { FanzhaClient, FanzhaProblem, FanzhaUnreachable, QueueFullError, backoffDelay, parseRetryAfter, type EventInput } from './index.ts';

const [sqlite] = testDialects();
const iso = () => new Date().toISOString();

describe('fanzha/client', () => {
  let t: TestApp;
  let baseUrl: string;
  before(async () => {
    t = await createTestApp(sqlite!, { logLevel: 'warn' });
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => t.close());

  const fixtures: EventInput[] = [
    { type: 'principal.upserted', at: iso(), principalId: 'staff-1', kind: 'staff', name: '王芳', team: '售后' },
    { type: 'customer.upserted', at: iso(), customerId: 'c1', name: '刘小明', phone: '13812345678' },
    { type: 'order.placed', at: iso(), orderId: 'o1', customerId: 'c1', items: [{ sku: 'A', title: 'x', price: 1, quantity: 1 }], total: 1 },
  ];

  it('batches events in the background and stores a retried batch once', async () => {
    const seen: number[] = [];
    let lostAnswers = 1;
    // the first answer is lost after the server stored the batch (a timeout on the way back)
    const flaky: typeof fetch = async (url, init) => {
      const r = await fetch(url, init);
      seen.push(r.status);
      if (String(url).endsWith('/v1/events') && lostAnswers-- > 0) throw new TypeError('fetch failed: socket hang up');
      return r;
    };
    const client = new FanzhaClient({ baseUrl, apiKey: t.keys.ingest, fetch: flaky, retry: { baseDelayMs: 1 } });
    const results: number[] = [];
    const q = client.eventQueue({ maxBatch: 2, flushIntervalMs: 20, onIngested: (r) => results.push(r.accepted + r.duplicates) });
    const ids = await q.add(...fixtures, {
      type: 'data.accessed',
      at: iso(),
      principalId: 'staff-1',
      orderId: 'o1',
      fields: ['name', 'phone'],
      channel: 'console',
    });
    assert.equal(new Set(ids).size, 4);
    await q.close();
    assert.equal(q.stats.sent, 4);
    assert.deepEqual(results, [2, 2]);
    const stored = await t.database.db
      .selectFrom('events')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(stored.n), 4, 'the batch sent twice is stored once');
    assert.ok(seen.length >= 3);
  });

  it('reports rejected events instead of retrying them', async () => {
    const client = new FanzhaClient({ baseUrl, apiKey: t.keys.ingest });
    const rejected: string[] = [];
    const q = client.eventQueue({ flushIntervalMs: 10, onRejected: (r) => rejected.push(...r.map((x) => `${x.event.type}:${x.problem.title}`)) });
    await q.add({ type: 'data.accessed', at: iso(), principalId: 'staff-1', fields: ['name'], channel: 'console' } as EventInput);
    await q.flush();
    assert.equal(rejected.length, 1);
    assert.match(rejected[0]!, /^data\.accessed:/);
  });

  it('backs off on 429/503 honouring Retry-After, then gives up with FanzhaUnreachable', async () => {
    const at: number[] = [];
    const busy: typeof fetch = async () => (
      at.push(Date.now()),
      new Response('{"type":"x","title":"busy","status":503}', { status: 503, headers: { 'retry-after': '1' } })
    );
    const client = new FanzhaClient({ baseUrl, apiKey: t.keys.ingest, fetch: busy, retry: { attempts: 2, baseDelayMs: 1 } });
    await assert.rejects(client.ingest(fixtures), (e) => e instanceof FanzhaUnreachable && e.lastStatus === 503);
    assert.equal(at.length, 2);
    assert.ok(at[1]! - at[0]! >= 950, `waited ${at[1]! - at[0]!} ms for Retry-After: 1`);
    assert.equal(parseRetryAfter('7'), 7);
    assert.equal(parseRetryAfter(new Date(Date.now() + 5000).toUTCString()), 5);
    const d = backoffDelay({ attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 }, 10, undefined, () => 0.999);
    assert.ok(d <= 1000 && d >= 990, 'capped exponential');
    assert.equal(
      backoffDelay({ attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 }, 0, undefined, () => 0),
      0,
      'full jitter',
    );
  });

  it('keeps a bounded queue with its declared overflow policy while fanzha is unreachable', async () => {
    const down = new FanzhaClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'x', retry: { attempts: 1 } });
    const errors: unknown[] = [];
    const reject = down.eventQueue({ maxQueue: 3, maxBatch: 3, flushIntervalMs: 60_000, overflow: 'reject', onError: (e) => errors.push(e) });
    await reject.add(...fixtures);
    await assert.rejects(reject.batcher.add({ ...fixtures[0]!, id: 'x' } as never), QueueFullError);
    const left = await reject.close();
    assert.equal(left.length, 3, 'a failed send keeps the batch');
    assert.ok(errors[0] instanceof FanzhaUnreachable);
    const drop = down.eventQueue({ maxQueue: 2, maxBatch: 2, flushIntervalMs: 60_000, overflow: 'drop-oldest' });
    await drop.add(...fixtures.map((f, i) => ({ ...f, id: `d${i}` })));
    assert.equal(drop.stats.dropped, 1);
    assert.deepEqual(
      (await drop.close()).map((e) => e.id),
      ['d1', 'd2'],
    );
  });

  it('opens contact sessions, evaluates logins, submits reports and runs investigations', async () => {
    const agentKey = (await t.ctx.services.apiKeys.create({ role: 'agent', name: 'desk', principalId: 'staff-1' })).key;
    const agent = new FanzhaClient({ baseUrl, apiKey: agentKey });
    const s = await agent.contacts.open({ customerId: 'c1', orderId: 'o1', channel: 'phone', reason: '退款核实' });
    assert.equal(s.status, 'open');
    assert.equal((await agent.contacts.update(s.id, 'ringing')).status, 'ringing');
    const ingest = new FanzhaClient({ baseUrl, apiKey: t.keys.ingest });
    assert.equal((await ingest.contacts.status('c1')).customerId, 'c1');
    assert.equal((await ingest.logins.evaluate({ username: 'a@example.cn', ip: '198.51.100.1' })).decision, 'allow');
    assert.equal((await ingest.logins.result({ username: 'a@example.cn', ip: '198.51.100.1', outcome: 'success', attemptId: 'a1' })).recorded, true);
    const ack = await agent.reports.submit({ contactAt: iso(), channel: 'call', callerNumbers: ['+8613900000000'], orderIds: ['o1'], clientId: 'r-1' });
    assert.ok('reportId' in ack);
    const analyst = new FanzhaClient({ baseUrl, apiKey: t.keys.analyst });
    assert.equal((await analyst.reports.get(ack.reportId)).id, ack.reportId);
    const inv = await analyst.investigations.create({ victims: [{ orderId: 'o1', contactAt: iso(), knewFields: ['name', 'items'] }] });
    assert.equal((await analyst.investigations.get(inv.id)).id, inv.id);
    assert.ok((await analyst.investigations.list(5)).some((x) => x.id === inv.id));
    await assert.rejects(analyst.contacts.open({ customerId: 'c1', channel: 'phone', reason: 'x' }), (e) => e instanceof FanzhaProblem && e.status === 403);
  });
});
