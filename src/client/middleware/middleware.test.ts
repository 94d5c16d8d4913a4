// The staff-tool middleware against a real listening fanzha: an Express, a Fastify and a Koa app
// record the reads their declared routes make, as data.accessed with the signed-in principal; with
// fanzha unreachable (a TCP proxy refusing connections) the reads wait on disk and are replayed,
// stored once, when it is back; with the buffer full, 'fail-closed' answers 503 and 'fail-open'
// serves and stops recording.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Koa from 'koa';
import Fastify from 'fastify';
import { testDialects, tempDir } from '../../testing/dialects.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { TcpProxy } from '../../testing/tcp-proxy.ts';
import { AccessRecorder, fanzhaExpress, fanzhaFastify, fanzhaKoa, type AccessRule } from './index.ts';

const [sqlite] = testDialects();
const iso = () => new Date().toISOString();
const RULES: AccessRule[] = [
  { path: '/admin/orders/:orderId', fields: ['name', 'phone', 'address', 'items'], orderId: 'orderId', purpose: 'order detail' },
  { path: '/admin/customers/:customerId', fields: ['name', 'phone'], customerId: 'customerId' },
];

describe('staff-tool middleware', () => {
  let t: TestApp;
  let fanzhaUrl: string;
  before(async () => {
    t = await createTestApp(sqlite!, { logLevel: 'warn' });
    fanzhaUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: t.auth('ingest'),
      payload: [
        { id: 'p1', type: 'principal.upserted', at: iso(), principalId: 'staff-1', kind: 'staff', name: '王芳' },
        { id: 'c1', type: 'customer.upserted', at: iso(), customerId: 'c1', name: '刘小明', phone: '13812345678' },
        { id: 'o1', type: 'order.placed', at: iso(), orderId: 'o1', customerId: 'c1', items: [{ sku: 'A', title: 'x', price: 1, quantity: 1 }], total: 1 },
      ],
    });
    assert.equal(r.json().accepted, 3);
  });
  after(async () => t.close());

  const reads = async () =>
    (await t.database.db.selectFrom('events').select(['id', 'subject']).where('type', '=', 'data.accessed').execute()).map((r) => r.subject);
  const recorder = (over: Partial<ConstructorParameters<typeof AccessRecorder>[0]> = {}) =>
    new AccessRecorder({
      fanzha: { baseUrl: fanzhaUrl, apiKey: t.keys.ingest },
      rules: RULES,
      bufferFile: path.join(tempDir(), 'reads.ndjson'),
      whenFull: 'fail-open',
      flushIntervalMs: 10,
      ...over,
    });
  const staff = (req: { headers: Record<string, string | string[] | undefined> }) => req.headers['x-staff'] as string | undefined;
  const get = (base: string, p: string) => fetch(base + p, { headers: { 'x-staff': 'staff-1' } });

  async function withExpress(rec: AccessRecorder, fn: (base: string) => Promise<void>) {
    const app = express();
    app.use(fanzhaExpress(rec, { principal: staff }));
    app.get('/admin/orders/:orderId', (req, res) => void res.json({ order: req.params.orderId }));
    app.get('/admin/customers/:customerId', (_req, res) => void res.status(404).json({}));
    app.get('/health', (_req, res) => void res.send('ok'));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
      server.close();
    }
  }

  it('Express: records a declared read with the signed-in principal, not failed or undeclared ones', async () => {
    const before = (await reads()).length;
    const rec = recorder();
    await withExpress(rec, async (base) => {
      assert.equal((await get(base, '/admin/orders/o1?tab=items')).status, 200);
      assert.equal((await get(base, '/admin/customers/c1')).status, 404, 'a failed read is not recorded');
      assert.equal((await get(base, '/health')).status, 200);
    });
    await rec.close();
    assert.deepEqual((await reads()).slice(before), ['o1']);
    assert.equal(rec.stats.sent, 1);
  });

  it('Fastify and Koa: record declared reads', async () => {
    const before = (await reads()).length;
    const rec = recorder();
    const f = Fastify();
    await f.register(fanzhaFastify(rec, { principal: staff }));
    f.get('/admin/customers/:customerId', async () => ({ ok: true }));
    const fBase = await f.listen({ port: 0, host: '127.0.0.1' });
    assert.equal((await get(fBase, '/admin/customers/c1')).status, 200);
    await f.close();

    const k = new Koa();
    k.use(fanzhaKoa(rec, { principal: staff }));
    k.use(async (ctx) => {
      if (ctx.path === '/admin/orders/o1') ctx.body = { order: 'o1' };
    });
    const server = k.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    assert.equal((await get(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, '/admin/orders/o1')).status, 200);
    server.close();
    await rec.close();
    assert.deepEqual((await reads()).slice(before).sort(), ['c1', 'o1']);
  });

  it('buffers to disk while fanzha is unreachable and replays once, when it is back', async () => {
    const proxy = await TcpProxy.start('127.0.0.1', Number(new URL(fanzhaUrl).port));
    try {
      await proxy.setMode('refuse');
      const before = (await reads()).length;
      const rec = recorder({ fanzha: { baseUrl: proxy.url(fanzhaUrl), apiKey: t.keys.ingest, retry: { attempts: 1 } }, replayIntervalMs: 60_000 });
      await withExpress(rec, async (base) => {
        for (let i = 0; i < 5; i++) assert.equal((await get(base, '/admin/orders/o1')).status, 200, 'reads go on while fanzha is down');
      });
      await rec.flush();
      assert.equal(rec.stats.buffered, 5);
      assert.ok(statSync(rec.buffer.file).size > 0);
      assert.equal((await reads()).length, before, 'nothing reached fanzha');
      await proxy.setMode('pass');
      assert.equal(await rec.replay(), 5);
      assert.equal(await rec.replay(), 0, 'a second replay sends nothing');
      assert.equal((await reads()).length, before + 5);
      assert.ok(!existsSync(`${rec.buffer.file}.replaying`));
      await rec.close();
    } finally {
      await proxy.close();
    }
  });

  it("with the buffer full, 'fail-closed' answers 503 and 'fail-open' serves without recording", async () => {
    const down = { baseUrl: 'http://127.0.0.1:9', apiKey: 'x', retry: { attempts: 1 } };
    for (const whenFull of ['fail-closed', 'fail-open'] as const) {
      const rec = recorder({ fanzha: down, maxBufferBytes: 600, whenFull, replayIntervalMs: 60_000 });
      await withExpress(rec, async (base) => {
        for (let i = 0; i < 4; i++) {
          await get(base, '/admin/orders/o1');
          await rec.flush();
        }
        assert.ok(rec.buffer.full, `buffer full (${rec.buffer.size} bytes)`);
        const r = await get(base, '/admin/orders/o1');
        if (whenFull === 'fail-closed') {
          assert.equal(r.status, 503);
          assert.equal(((await r.json()) as { type: string }).type, 'https://fanzha.dev/problems/access-log-unavailable');
          assert.equal((await get(base, '/health')).status, 200, 'routes that read no customer data still work');
        } else {
          assert.equal(r.status, 200);
          assert.ok(rec.stats.dropped >= 1);
        }
      });
      await rec.close();
    }
  });
});
