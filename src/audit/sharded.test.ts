// The access log as several hash chains (areas.audit.shards): appends spread over the shards,
// checkpoints sign every shard head, verification and tamper detection as strong as on one chain
// (the 1,000-tampering property, including entries moved between shards), and on PostgreSQL two
// app instances appending at once without losing or forking anything.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { testDialects, describePostgres } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { sharedPostgresSchema, type SharedSchema } from '../testing/shared-postgres.ts';
import { openCheckpoint, parseVerifierKey } from './signed-note.ts';
import { combineHeads } from './heads.ts';
import { assertEveryTamperingDetected } from './tamper.test-helper.ts';

const T0 = Date.UTC(2026, 6, 14, 2, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const SHARDS = 3;
const access = (tag: string, i: number) => ({
  id: `${tag}-${i}`,
  type: 'data.accessed',
  at: iso(T0 + i * 60_000),
  principalId: `p-${i % 4}`,
  orderId: `o${i % 9}`,
  fields: ['name', 'phone'],
  channel: 'console',
});

async function ingest(t: TestApp, tag: string, n: number) {
  const r = await t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth('ingest'), payload: Array.from({ length: n }, (_, i) => access(tag, i)) });
  assert.equal(r.statusCode, 200, r.body);
  return r.json();
}

for (const dialect of testDialects()) {
  describe(`sharded access log (${SHARDS} chains) on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { areas: { audit: { shards: SHARDS } } });
      await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: t.auth('ingest'),
        payload: [{ id: 'c1', type: 'customer.upserted', at: iso(T0), customerId: 'c1', name: '刘小明', phone: '13812345678' }],
      });
      // several batches and vault reads: on SQLite each transaction takes the next shard in turn
      for (let b = 0; b < 6; b++) await ingest(t, `b${b}`, 7);
      for (const role of ['agent', 'analyst'] as const) assert.equal((await t.app.inject({ url: '/v1/customers/c1', headers: t.auth(role) })).statusCode, 200);
    });
    after(async () => t.close());

    it('spreads appends over the shards, each a chain from 0, and verifies', async () => {
      const rows = await t.database.db.selectFrom('access_log').select(['shard', 'pos']).orderBy('shard').orderBy('pos').execute();
      assert.equal(rows.length, 6 * 7 + 2);
      const by = new Map<number, number[]>();
      for (const r of rows) (by.get(Number(r.shard)) ?? by.set(Number(r.shard), []).get(Number(r.shard))!).push(Number(r.pos));
      if (dialect.name === 'sqlite') assert.equal(by.size, SHARDS, 'every shard used');
      for (const [, pos] of by) assert.deepEqual(pos, [...pos.keys()]);
      const v = await t.ctx.services.audit.verify();
      assert.deepEqual(
        { intact: v.intact, size: (v as { size: number }).size, shards: (v as { shards: number }).shards },
        { intact: true, size: rows.length, shards: SHARDS },
      );
    });

    it('signs one checkpoint over every shard head; a verifier outside checks it and refuses altered heads', async () => {
      const cp = await t.app.inject({ method: 'POST', url: '/v1/audit/checkpoints', headers: t.auth('admin') });
      assert.equal(cp.statusCode, 201);
      const { note } = cp.json();
      const vkey = (await t.app.inject({ url: '/v1/audit/checkpoints', headers: t.auth('analyst') })).json().verifierKey as string;
      const opened = openCheckpoint(note, parseVerifierKey(vkey));
      const heads = await t.ctx.services.audit.heads();
      assert.deepEqual(opened.shards, heads);
      assert.deepEqual({ size: opened.size, hash: opened.hash }, combineHeads(heads));
      assert.equal((await t.ctx.services.audit.verify({ notes: note, verifierKey: vkey })).intact, true);
      // a shard line changed after signing does not verify
      const lines = note.split('\n');
      const i = lines.findIndex((l: string) => l.startsWith('shard 1 '));
      lines[i] = lines[i]!.replace(/^shard 1 (\d+)/, (_m: string, n: string) => `shard 1 ${Number(n) + 1}`);
      assert.throws(() => openCheckpoint(lines.join('\n'), parseVerifierKey(vkey)), /signature/);
    });

    it('detects each of 1,000 random tamperings at its shard and position (edit, delete, insert, swap, truncate, move between shards)', async () => {
      const seen = await assertEveryTamperingDetected(t, 1000);
      assert.ok(seen.move! > 0, JSON.stringify(seen));
    });
  });
}

describePostgres('sharded access log, two instances appending at once on PostgreSQL', (url) => {
  let shared: SharedSchema;
  let a: TestApp;
  let b: TestApp;
  before(async () => {
    shared = await sharedPostgresSchema(url);
    const masterKey = randomBytes(32);
    const areas = { audit: { shards: 4 } };
    a = await createTestApp(shared.dialect(), { masterKey, areas });
    b = await createTestApp(shared.dialect(), { masterKey, areas });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await shared?.drop();
  });

  it('appends in parallel to different shards; every entry once, every shard a chain, the log verifies', async () => {
    const jobs = Array.from({ length: 8 }, (_, k) => ingest(k % 2 ? b : a, `par${k}`, 50));
    const results = await Promise.all(jobs);
    assert.equal(
      results.reduce((n, r) => n + r.accepted, 0),
      400,
    );
    const per = await a.database.db
      .selectFrom('access_log')
      .select(['shard'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy('shard')
      .execute();
    assert.ok(per.length >= 2, `appends spread over ${per.length} shard(s)`);
    const v = await a.ctx.services.audit.verify();
    assert.equal(v.intact, true, JSON.stringify(v));
    assert.equal((v as { size: number }).size, 400);
    await a.ctx.services.audit.checkpoint();
    assert.equal((await b.ctx.services.audit.verify()).intact, true);
  });
});
