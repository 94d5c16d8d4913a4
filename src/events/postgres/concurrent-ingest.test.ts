// Two app instances on one PostgreSQL schema, batches in flight at once that share customers,
// orders and principals in different orders (and repeat each other's events): every request
// succeeds, every event is stored once, every row keeps its newest version, the chain verifies.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describePostgres } from '../../testing/dialects.ts';
import { sharedPostgresSchema, type SharedSchema } from '../../testing/shared-postgres.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { lockOrderedRounds } from '../../shop/shop.ingest.ts';

const T0 = Date.UTC(2026, 6, 14, 2, 0);
const iso = (ms: number) => new Date(ms).toISOString();

function shuffled<T>(xs: T[], seed: number): T[] {
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const CUSTOMERS = 150;
const ORDERS = 300;
const PRINCIPALS = 30;

/** Batch b of round r: versions of every customer, order and principal, accesses, and a share of the round's common events. */
function batch(r: number, b: number): Record<string, unknown>[] {
  const v = r * 4 + b; // version: later batches carry newer states
  const at = iso(T0 + v * 60_000);
  const evs: Record<string, unknown>[] = [];
  for (let c = 0; c < CUSTOMERS; c++)
    evs.push({
      id: `cu-${c}-${v}`,
      type: 'customer.upserted',
      at,
      customerId: `c${c}`,
      name: '刘小明',
      phone: `1381234${String(c).padStart(4, '0')}`,
      lang: v % 2 ? 'en' : 'zh-CN',
    });
  for (let o = 0; o < ORDERS; o++)
    evs.push({
      id: `or-${o}-${v}`,
      type: 'order.placed',
      at,
      orderId: `o${o}`,
      customerId: `c${o % CUSTOMERS}`,
      items: [{ sku: 'A1', title: '空气净化器', price: 1999 + v, quantity: 1 }],
      total: 1999 + v,
    });
  for (let p = 0; p < PRINCIPALS; p++)
    evs.push({ id: `pr-${p}-${v}`, type: 'principal.upserted', at, principalId: `p${p}`, kind: 'staff', name: `agent ${v}`, team: '售后' });
  for (let i = 0; i < 200; i++)
    evs.push({
      id: `ac-${r}-${b}-${i}`,
      type: 'data.accessed',
      at,
      principalId: `p${i % PRINCIPALS}`,
      orderId: `o${(i * 7) % ORDERS}`,
      fields: ['name', 'phone'],
      channel: 'console',
    });
  // events every batch of the round also sends: stored once, the other copies are duplicates
  for (let i = 0; i < 100; i++)
    evs.push({ id: `common-${r}-${i}`, type: 'data.accessed', at, principalId: `p${i % PRINCIPALS}`, orderId: `o${i}`, fields: ['address'], channel: 'api' });
  for (let i = 0; i < 20; i++) evs.push({ id: `rf-${r}-${b}-${i}`, type: 'refund.requested', at, refundId: `rf${i}`, orderId: `o${i}` });
  return shuffled(evs, 1 + v * 7919);
}

describe('lock-ordered rounds', () => {
  it('sorts by key, puts repeats in later rounds in batch order, and every later key is in round 0', () => {
    const rows = [
      { id: 'b', n: 1 },
      { id: 'a', n: 2 },
      { id: 'b', n: 3 },
      { id: 'c', n: 4 },
      { id: 'b', n: 5 },
      { id: 'a', n: 6 },
    ];
    const r = lockOrderedRounds(rows);
    assert.deepEqual(
      r.map((x) => x.map((y) => `${y.id}${y.n}`)),
      [['a2', 'b1', 'c4'], ['a6', 'b3'], ['b5']],
    );
  });
});

describePostgres('concurrent ingest on two instances of one PostgreSQL', (url) => {
  let shared: SharedSchema;
  let a: TestApp;
  let b: TestApp;
  before(async () => {
    shared = await sharedPostgresSchema(url);
    const masterKey = randomBytes(32);
    a = await createTestApp(shared.dialect(), { masterKey, logLevel: 'info' });
    b = await createTestApp(shared.dialect(), { masterKey, logLevel: 'info' });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await shared?.drop();
  });

  it('four overlapping batches at once, three rounds: no failure, each event once, newest state kept', async () => {
    const ROUNDS = 3;
    let accepted = 0;
    const sent = new Set<string>();
    for (let r = 0; r < ROUNDS; r++) {
      const batches = [0, 1, 2, 3].map((k) => batch(r, k));
      for (const bt of batches) for (const e of bt) sent.add(e.id as string);
      const results = await Promise.all(
        batches.map((body, k) => {
          const t = k % 2 ? b : a;
          return t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth('ingest'), payload: body });
        }),
      );
      for (const res of results) {
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().rejected.length, 0);
        accepted += res.json().accepted;
      }
    }
    const db = a.database.db;
    const count = async (t: 'events' | 'access_log' | 'customers' | 'orders') =>
      Number(
        (
          await db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    assert.equal(accepted, sent.size, 'each distinct event accepted exactly once over all requests');
    assert.equal(await count('events'), sent.size);
    assert.equal(await count('access_log'), ROUNDS * (4 * 200 + 100));
    assert.equal(await count('customers'), CUSTOMERS);
    // the newest version (round 2, batch 3 → v = 11) wins, whichever request committed last
    const newest = iso(T0 + 11 * 60_000);
    const cs = await db.selectFrom('customers').select(['updated_at', 'lang']).execute();
    assert.ok(cs.every((c) => c.updated_at === Date.parse(newest) && c.lang === 'en'));
    const os = await db.selectFrom('orders').select('total_minor').execute();
    assert.ok(os.length === ORDERS && os.every((o) => o.total_minor === (1999 + 11) * 100));
    const ps = await db.selectFrom('principals').select('name').execute();
    assert.ok(ps.every((p) => p.name === 'agent 11'));
    const v = await a.app.inject({ url: '/v1/audit/verify', headers: a.auth('analyst') });
    assert.equal(v.json().intact, true, v.body);
    assert.equal(v.json().size, ROUNDS * (4 * 200 + 100));
    const retries = (a.logs() + b.logs()).split('\n').filter((l) => l.includes('ingest transaction retried')).length;
    console.log(`concurrent ingest: ${ROUNDS * 4} requests, ${sent.size} events, ${retries} transaction retries`);
  });
});
