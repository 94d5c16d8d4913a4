// The worker pipeline (SQLite, large batches) must store exactly what the in-thread path stores:
// same rejections with batch-wide indexes, same dedup within a batch, across batches and across
// concurrent batches, an access-log chain that verifies, and encrypted fields that decrypt.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { testDialects } from '../../testing/dialects.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { EventNormalizer } from '../events.normalize.ts';
import { EventsService } from '../events.service.ts';
import { SqliteEventStore } from './sqlite-event.store.ts';
import { ingestWorker } from '../pipeline/ingest-worker.ts';
import { verifyStoredLog } from '../../audit/verify.ts';
import { chainKeyOf } from '../../audit/append.ts';

const at = (i: number) => new Date(Date.UTC(2026, 6, 14, 2, 0, i)).toISOString();

/** A mixed batch: every event type the store writes, invalid events and an in-batch repeat across chunks. */
function batch(tag: string, n: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const id = `${tag}-${i}`;
    const k = i % 10;
    if (k === 0)
      out.push({ id, type: 'customer.upserted', at: at(i), customerId: `c-${tag}-${i}`, name: '刘小明', phone: '13812345678', email: `A${i}@Example.com` });
    else if (k === 1)
      out.push({
        id,
        type: 'order.placed',
        at: at(i),
        orderId: `o-${tag}-${i}`,
        customerId: `c-${tag}-${i - 1}`,
        items: [{ sku: 'A1', title: '净化器', price: 10, quantity: 1 }],
        total: 10,
      });
    else if (k === 2)
      out.push({
        id,
        type: 'export.created',
        at: at(i),
        exportId: `x-${tag}-${i}`,
        principalId: 'p1',
        customerIds: [`c-${tag}-${i - 2}`, `c-${tag}-${i - 2}`, 'c-other'],
        fields: ['name', 'phone'],
      });
    else if (k === 3) out.push({ id, type: 'login.failed', at: at(i), username: ` User${i} `, ip: '203.0.113.9' });
    else if (k === 4) out.push({ id, type: 'refund.requested', at: at(i), refundId: `r-${tag}-${i}`, orderId: `o-${tag}-${i - 3}` });
    else if (k === 5 && i % 50 === 5)
      out.push({ id, type: 'data.accessed', at: 'yesterday', principalId: 'p1', orderId: 'o1', fields: ['name'], channel: 'console' });
    else
      out.push({
        id,
        type: 'data.accessed',
        at: at(i),
        principalId: `p${i % 7}`,
        orderId: `o-${tag}-${i - k + 1}`,
        fields: ['name', 'phone'],
        channel: 'console',
      });
  }
  out.push({ ...out[7]!, principalId: 'p-repeat' }); // repeats event 7's id several chunks later: the first copy wins
  return out;
}

const [sqlite] = testDialects();

describe('event ingestion through the worker pipeline (SQLite)', () => {
  let t: TestApp;
  let piped: EventsService;
  let inThread: EventsService;
  before(async () => {
    t = await createTestApp(sqlite!);
    // pipelineMin 1: every batch goes through the worker; the default store keeps small batches in-thread.
    piped = new EventsService(new EventNormalizer(t.ctx.cipher), new SqliteEventStore(t.database, 1));
    inThread = new EventsService(new EventNormalizer(t.ctx.cipher), new SqliteEventStore(t.database, Infinity));
    assert.ok(await ingestWorker.whenAvailable(), 'the ingest worker starts');
  });
  after(async () => t.close());

  const count = async (table: 'events' | 'customers' | 'orders' | 'access_log' | 'refunds' | 'exports' | 'logins') =>
    Number(
      (
        await t.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const verify = () => verifyStoredLog(t.database, chainKeyOf(t.database));

  it('stores a batch like the in-thread path: rejections, repeats, rows, ciphertexts and chain', async () => {
    const a = batch('a', 1_300);
    const b = batch('b', 1_300);
    const ra = await piped.ingest(a);
    const rb = await inThread.ingest(b);
    assert.equal(ra.rejected.length, 26);
    assert.deepEqual(
      ra.rejected.map((r) => r.index),
      rb.rejected.map((r) => r.index),
    );
    assert.ok(ra.rejected.every((r) => a[r.index]!.at === 'yesterday' && r.id === a[r.index]!.id));
    assert.deepEqual({ accepted: ra.accepted, duplicates: ra.duplicates }, { accepted: 1_300 - 26, duplicates: 1 });
    assert.deepEqual({ accepted: rb.accepted, duplicates: rb.duplicates }, { accepted: ra.accepted, duplicates: 1 });
    for (const table of ['customers', 'orders', 'refunds', 'exports', 'logins'] as const) {
      const n = await t.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 2 * 130, table);
    }
    const access = await t.database.db
      .selectFrom('access_log')
      .select(['event_id', 'customer_id', 'fields', 'recorded_at'])
      .where('event_id', 'like', 'a-%')
      .execute();
    assert.equal(access.length, 130 * 2 + (1_300 - 130 * 5 - 26));
    const c = await t.database.db.selectFrom('customers').selectAll().where('id', '=', 'c-a-10').executeTakeFirstOrThrow();
    assert.equal(t.ctx.cipher.decrypt(c.phone_enc!, 'customers/c-a-10/phone'), '+8613812345678');
    assert.equal(t.ctx.cipher.decrypt(c.email_enc!, 'customers/c-a-10/email'), 'a10@example.com');
    assert.equal(c.phone_bidx, t.ctx.cipher.blindIndex('phone', '+8613812345678'));
    const login = await t.database.db.selectFrom('logins').selectAll().where('event_id', '=', 'a-3').executeTakeFirstOrThrow();
    assert.equal(login.username_bidx, t.ctx.cipher.blindIndex('username', 'user3'));
    const first = await t.database.db.selectFrom('access_log').select('principal_id').where('event_id', '=', 'a-7').execute();
    assert.deepEqual(first, [{ principal_id: 'p0' }]);
    const v = await verify();
    assert.equal(v.intact, true, JSON.stringify(v));
  });

  it('counts events stored by an earlier batch as duplicates and still chains the new ones', async () => {
    const before = await count('access_log');
    const events = await count('events');
    const mixed = [...batch('a', 1_300).slice(0, 600), ...batch('d', 900)];
    const r = await piped.ingest(mixed);
    assert.equal(r.duplicates, 600 - 12 + 1);
    assert.equal(r.accepted, 900 - 18);
    assert.equal((await count('events')) - events, 900 - 18);
    assert.equal((await count('access_log')) - before, 90 * 2 + (900 - 90 * 5 - 18));
    const v = await verify();
    assert.equal(v.intact, true, JSON.stringify(v));
  });

  it('stores the same id once across concurrent batches on both paths', async () => {
    const events = await count('events');
    const shared = batch('e', 1_000);
    const results = await Promise.all([piped.ingest(shared), piped.ingest(shared), inThread.ingest(shared), piped.ingest(batch('f', 700))]);
    assert.equal(results[0]!.accepted + results[1]!.accepted + results[2]!.accepted, 1_000 - 20);
    assert.equal(results[3]!.accepted, 700 - 14);
    assert.equal((await count('events')) - events, 1_000 - 20 + 700 - 14);
    const v = await verify();
    assert.equal(v.intact, true, JSON.stringify(v));
  });

  it('rolls the whole batch back when a hook fails', async () => {
    const events = await count('events');
    const head = await t.database.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    const failing = new SqliteEventStore(t.database, 1);
    failing.addHook({
      sqlite: () => {
        throw new Error('hook failed');
      },
      postgres: async () => {},
    });
    const svc = new EventsService(new EventNormalizer(t.ctx.cipher), failing);
    await assert.rejects(svc.ingest(batch('g', 1_200)), /hook failed/);
    assert.equal(await count('events'), events);
    assert.deepEqual(await t.database.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow(), head);
    const r = await piped.ingest(batch('g', 1_200));
    assert.equal(r.accepted, 1_200 - 24);
    const v = await verify();
    assert.equal(v.intact, true, JSON.stringify(v));
  });

  it('parses large NDJSON bodies on the way: the first bad line fails the whole request, a good body is stored', async () => {
    const events = await count('events');
    const head = await t.database.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    const post = (payload: string) =>
      t.app.inject({ method: 'POST', url: '/v1/events', headers: { ...t.auth('ingest'), 'content-type': 'application/x-ndjson' }, payload });
    const lines = batch('h', 2_400).map((e) => JSON.stringify(e));
    // Blank lines shift line numbers; two bad lines, the first of them (line 1,803) is reported.
    const bad = [...lines.slice(0, 900), '', '\r', ...lines.slice(900, 1_800), '{"id":', ...lines.slice(1_800, 2_300), 'nope', ...lines.slice(2_300)];
    const r1 = await post(bad.join('\n'));
    assert.equal(r1.statusCode, 400, r1.body);
    assert.equal(r1.json().line, 1_803);
    assert.equal(await count('events'), events, 'nothing stored');
    assert.deepEqual(await t.database.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow(), head);
    const r2 = await post([...lines.slice(0, 5), '', ...lines.slice(5)].join('\r\n') + '\n');
    assert.equal(r2.statusCode, 200, r2.body);
    const out = r2.json();
    assert.equal(out.accepted, 2_400 - 48);
    assert.equal(out.duplicates, 1);
    assert.deepEqual(
      out.rejected.map((x: { index: number }) => x.index),
      batch('h', 2_400).flatMap((e, i) => (e.at === 'yesterday' ? [i] : [])),
    );
    const v = await verify();
    assert.equal(v.intact, true, JSON.stringify(v));
  });
  it('accepts an event the thread cannot take (too deeply nested to copy) like the in-thread path does', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const events = batch('n', 2_500);
    events[1_700] = { id: 'n-deep', type: 'principal.upserted', at: at(1), principalId: 'p-deep', kind: 'staff', name: 'deep', extra: deep };
    const r = await piped.ingest(events);
    const alone = await inThread.ingest([{ ...events[1_700]!, id: 'n-deep-alone' }]);
    assert.equal(alone.accepted, 1, 'the in-thread path accepts it');
    assert.equal(r.rejected.length, 50);
    assert.equal(r.accepted, 2_500 - 50);
    assert.equal((await count('events')) >= 2_450, true);
    assert.ok(await t.database.db.selectFrom('events').select('id').where('id', '=', 'n-deep').executeTakeFirst());
    const v = await verify();
    assert.equal(v.intact, true, JSON.stringify(v));
  });

  it('finishes every queued batch on this thread when the worker dies, then starts a new one', async () => {
    assert.ok(await ingestWorker.whenAvailable(), 'the ingest worker starts');
    const batches = ['k1', 'k2', 'k3'].map((tag) => batch(tag, 5_000));
    const running = batches.map((b) => piped.ingest(b));
    await sleep(5);
    await ingestWorker.stop();
    const results = await Promise.all(running);
    for (const r of results)
      assert.deepEqual(
        { accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected.length },
        { accepted: 5_000 - 100, duplicates: 1, rejected: 100 },
      );
    for (const tag of ['k1', 'k2', 'k3']) {
      const n = await t.database.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('id', 'like', `${tag}-%`)
        .executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 5_000 - 100, tag);
    }
    const v = await verify();
    assert.equal(v.intact, true, JSON.stringify(v));
    // a new thread serves the next batches
    assert.ok(await ingestWorker.whenAvailable(), 'the worker starts again');
    const after = await piped.ingest(batch('k4', 2_000));
    assert.equal(after.accepted, 2_000 - 40);
  });
});
