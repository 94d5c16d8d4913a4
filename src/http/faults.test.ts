// Database faults answered properly, on the real PostgreSQL behind a TCP proxy the test controls
// (refuse, hold, drop) and on SQLite (another process holding the write lock): 503 problem+json
// with Retry-After where the database is needed, personal data withheld, /readyz within a second,
// nothing acknowledged lost, and service back when the database is.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { tempDir, type TestDialect, describePostgres } from '../testing/dialects.ts';
import { sharedPostgresSchema, type SharedSchema } from '../testing/shared-postgres.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { TcpProxy, type ProxyMode } from '../testing/tcp-proxy.ts';
import { openDatabase, migrateToLatest } from '../db/database.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import type { Role } from './roles.ts';

const T0 = Date.UTC(2026, 6, 14, 2, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const PHONE = '13812345678';
let seq = 0;
const batch = (n = 5) =>
  Array.from({ length: n }, () => {
    const i = seq++;
    return { id: `f-${i}`, type: 'data.accessed', at: iso(T0 + i * 1000), principalId: 'p1', orderId: 'o1', fields: ['name'], channel: 'console' };
  });

async function seed(t: TestApp) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: t.auth('ingest'),
    payload: [
      {
        id: 'c1',
        type: 'customer.upserted',
        at: iso(T0),
        customerId: 'c1',
        name: '刘小明',
        phone: PHONE,
        address: { province: '广东省', city: '深圳市', line: '南山区科技园1号' },
      },
      {
        id: 'o1',
        type: 'order.placed',
        at: iso(T0),
        orderId: 'o1',
        customerId: 'c1',
        items: [{ sku: 'A1', title: '空气净化器', price: 1999, quantity: 1 }],
        total: 1999,
      },
    ],
  });
  assert.equal(r.statusCode, 200, r.body);
}

function assertUnavailable(r: { statusCode: number; headers: Record<string, unknown>; body: string }, what: string) {
  assert.equal(r.statusCode, 503, `${what}: ${r.statusCode} ${r.body}`);
  assert.match(String(r.headers['content-type']), /application\/problem\+json/, what);
  assert.match(String(r.headers['retry-after']), /^\d+$/, `${what}: Retry-After`);
  const p = JSON.parse(r.body);
  assert.ok(
    ['database-unavailable', 'access-log-unavailable'].some((s) => p.type.endsWith(s)),
    `${what}: ${p.type}`,
  );
  assert.ok(!r.body.includes('刘') && !r.body.includes('5678'), `${what}: no personal data`);
}

async function readyWithinASecond(t: TestApp, expect: number) {
  const start = performance.now();
  const r = await t.app.inject({ url: '/readyz' });
  const ms = performance.now() - start;
  assert.equal(r.statusCode, expect, r.body);
  assert.ok(ms < 1000, `/readyz answered in ${Math.round(ms)} ms`);
  return r;
}

/** Every /v1 route, called with a role it allows and placeholder params: none may answer 500. */
async function everyRouteAnswers(t: TestApp) {
  const counts = { unavailable: 0, other: 0 };
  for (const r of t.app.routeList.filter((x) => x.url.startsWith('/v1/'))) {
    const role = r.auth === 'public' ? undefined : ((r.auth as { roles: Role[] }).roles[0] as Role);
    const url = r.url.replace(/:(\w+)/g, 'x-$1');
    const res = await t.app.inject({
      method: r.method as 'GET',
      url,
      headers: role ? t.auth(role) : {},
      payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
    });
    assert.notEqual(res.statusCode, 500, `${r.method} ${r.url}: ${res.body}`);
    if (res.statusCode === 503) {
      assert.match(String(res.headers['retry-after']), /^\d+$/, `${r.method} ${r.url}: Retry-After`);
      counts.unavailable++;
    } else counts.other++;
  }
  return counts;
}

describe('database errors that mean "unavailable"', () => {
  it('classifies connection failures, shutdowns, time limits and SQLite busy; not bugs or bad input', () => {
    for (const e of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Query read timeout'),
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('x'), { code: '08006' }),
      Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
      new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]),
      new Error('wrapped', { cause: Object.assign(new Error('x'), { code: '57P03' }) }),
    ]) {
      assert.ok(isDatabaseUnavailable(e), e.message);
    }
    for (const e of [
      new Error('boom'),
      Object.assign(new Error('dup'), { code: '23505' }),
      Object.assign(new Error('syntax'), { code: '42601' }),
      null,
      'text',
    ]) {
      assert.ok(!isDatabaseUnavailable(e), String(e));
    }
  });
});

describePostgres('PostgreSQL faults through a TCP proxy', (url) => {
  let proxy: TcpProxy;
  let shared: SharedSchema;
  let t: TestApp;
  const acked = new Set<string>();
  before(async () => {
    const target = new URL(url);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    shared = await sharedPostgresSchema(url);
    // short limits so the test runs in seconds; the defaults are minutes-safe for production
    const tuning = { connectTimeoutMs: 300, statementTimeoutMs: 400, idleInTransactionTimeoutMs: 2_000, queryTimeoutMs: 600, poolMax: 4 };
    t = await createTestApp(shared.dialect(tuning, proxy.url(url)), { logLevel: 'info' });
    await seed(t);
  });
  after(async () => {
    await proxy?.setMode('pass');
    await t?.close();
    await proxy?.close();
    await shared?.drop();
  });

  const ingest = async () => {
    const evs = batch();
    const r = await t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth('ingest'), payload: evs });
    if (r.statusCode === 200) for (const e of evs) acked.add(e.id);
    return r;
  };
  const read = () => t.app.inject({ url: '/v1/customers/c1', headers: t.auth('agent') });

  async function recover() {
    await proxy.setMode('pass');
    // the pool replaces dead connections on demand: the first request after may still see one
    let r = await ingest();
    for (let i = 0; i < 5 && r.statusCode !== 200; i++) r = await ingest();
    assert.equal(r.statusCode, 200, r.body);
    assert.equal((await read()).statusCode, 200);
    await readyWithinASecond(t, 200);
  }

  it('works through the proxy when it passes', async () => {
    assert.equal((await ingest()).statusCode, 200);
    const r = await read();
    assert.equal(r.statusCode, 200, r.body);
    await readyWithinASecond(t, 200);
  });

  for (const mode of ['refuse', 'hold', 'drop'] as ProxyMode[]) {
    it(`${mode}: 503 with Retry-After for ingest and reads (no data), /readyz within a second, then recovers`, async () => {
      await proxy.setMode(mode);
      assertUnavailable(await ingest(), `${mode} ingest`);
      assertUnavailable(await read(), `${mode} customer view`);
      assertUnavailable(await t.app.inject({ url: '/v1/audit/entries?limit=5', headers: t.auth('analyst') }), `${mode} audit entries`);
      const ready = await readyWithinASecond(t, 503);
      assert.equal(ready.json().checks.database, 'unavailable');
      if (mode === 'refuse') {
        const c = await everyRouteAnswers(t);
        assert.ok(c.unavailable >= 10, `routes answering 503: ${c.unavailable}`);
        console.log(
          `database refused: ${c.unavailable} routes answered 503 with Retry-After, ${c.other} answered without the database (validation, public pages)`,
        );
      }
      await recover();
    });
  }

  it('lost nothing it acknowledged, and the chain verifies', async () => {
    const ids = new Set((await t.database.db.selectFrom('events').select('id').execute()).map((r) => r.id));
    for (const id of acked) assert.ok(ids.has(id), id);
    const v = await t.app.inject({ url: '/v1/audit/verify', headers: t.auth('analyst') });
    assert.equal(v.json().intact, true, v.body);
    assert.ok(!t.logs().includes(PHONE) && !t.logs().includes('刘小明'));
  });
});

describe('SQLite: another process holding the write lock', () => {
  let t: TestApp;
  let file: string;
  before(async () => {
    file = path.join(tempDir(), 'f.db');
    const dialect: TestDialect = {
      name: 'sqlite',
      async open() {
        const db = openDatabase({ kind: 'sqlite', path: file, busyTimeoutMs: 100 });
        await migrateToLatest(db);
        return db;
      },
    };
    t = await createTestApp(dialect);
    await seed(t);
  });
  after(async () => t?.close());

  it('answers 503 with Retry-After while locked (reads withheld), and 200 once released', async () => {
    const other = new BetterSqlite3(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      const r = await t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth('ingest'), payload: batch() });
      assertUnavailable(r, 'locked ingest');
      assertUnavailable(await t.app.inject({ url: '/v1/customers/c1', headers: t.auth('agent') }), 'locked customer view');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const ok = await t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth('ingest'), payload: batch() });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal((await t.app.inject({ url: '/v1/customers/c1', headers: t.auth('agent') })).statusCode, 200);
  });
});
