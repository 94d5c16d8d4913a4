import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { ROLES } from './roles.ts';

const [sqlite] = testDialects();

describe('HTTP service', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(sqlite!);
  });
  after(async () => t.close());

  it('serves health, readiness, metrics, OpenAPI and docs', async () => {
    assert.deepEqual((await t.app.inject('/healthz')).json(), { status: 'ok' });
    const ready = await t.app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().checks.database, 'ok');
    const metrics = await t.app.inject('/metrics');
    assert.match(metrics.body, /fanzha_process_cpu_user_seconds_total/);
    const spec = (await t.app.inject('/openapi.json')).json();
    assert.equal(spec.openapi, '3.0.3');
    assert.ok(spec.paths['/v1/events'].post);
    const docs = await t.app.inject('/docs/');
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
  });

  it('answers unknown paths with problem+json', async () => {
    const r = await t.app.inject('/v1/nope');
    assert.equal(r.statusCode, 404);
    assert.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(r.json().type, 'https://fanzha.dev/problems/not-found');
  });

  it('every /v1 endpoint declares its roles and refuses a missing, unknown or wrong-role key', async () => {
    const routes = t.app.routeList.filter((r) => r.url.startsWith('/v1/'));
    assert.ok(routes.length >= 4);
    for (const r of routes) {
      assert.ok(r.auth !== undefined, `${r.method} ${r.url} declares auth`);
      if (r.auth === 'public') continue;
      const url = r.url.replace(/:(\w+)/g, 'x-$1');
      const none = await t.app.inject({ method: r.method as 'GET', url, payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      assert.equal(none.statusCode, 401, `${r.method} ${r.url} without key`);
      assert.equal(none.json().type, 'https://fanzha.dev/problems/unauthorized');
      const bogus = await t.app.inject({ method: r.method as 'GET', url, headers: { authorization: 'Bearer fz_admin_not-a-real-key' } });
      assert.equal(bogus.statusCode, 401, `${r.method} ${r.url} with unknown key`);
      const allowed = (r.auth as { roles: string[] }).roles;
      for (const role of ROLES.filter((x) => !allowed.includes(x))) {
        const wrong = await t.app.inject({ method: r.method as 'GET', url, headers: t.auth(role) });
        assert.equal(wrong.statusCode, 403, `${r.method} ${r.url} as ${role}`);
      }
    }
  });

  it('manages API keys: create, use, list without secrets, revoke', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: t.auth('admin'),
      payload: { role: 'agent', name: 'CS desk 3', principalId: 'staff-42' },
    });
    assert.equal(created.statusCode, 201);
    const { key, info } = created.json();
    assert.match(key, /^fz_agent_/);
    const list = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: t.auth('admin') });
    assert.ok(!list.body.includes(key));
    assert.ok(list.json().items.some((k: { id: string; principalId: string }) => k.id === info.id && k.principalId === 'staff-42'));
    const use = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: { authorization: `Bearer ${key}` } });
    assert.equal(use.statusCode, 403);
    const rev = await t.app.inject({ method: 'DELETE', url: `/v1/keys/${info.id}`, headers: t.auth('admin') });
    assert.equal(rev.statusCode, 204);
    const after = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: { authorization: `Bearer ${key}` } });
    assert.equal(after.statusCode, 401);
    const badRole = await t.app.inject({ method: 'POST', url: '/v1/keys', headers: t.auth('admin'), payload: { role: 'root' } });
    assert.equal(badRole.statusCode, 400);
    assert.equal(badRole.json().type, 'https://fanzha.dev/problems/validation');
  });
});
