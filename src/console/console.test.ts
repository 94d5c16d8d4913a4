import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { testDialects, tempDir } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { ConsoleSessionService } from './session.service.ts';
import { SessionRepository } from './session.repository.ts';
import { consoleStatic } from './console.static.ts';
import { featuresOf } from './features.ts';
import { Value } from '@sinclair/typebox/value';
import { FormatRegistry, TypeRegistry } from '@sinclair/typebox';
import type { TSchema } from '@sinclair/typebox';
import { FIXTURES } from './fixtures.test-helper.ts';
import type { RouteInfo } from '../http/app.types.ts';

/** Fixture endpoints of areas not merged yet: their shapes are the console's assumption (none now). */
const ASSUMED_ENDPOINTS = new Set<string>();

/** The registered route serving a concrete path; a static segment beats a parameter. */
function routeFor(routes: readonly RouteInfo[], method: string, pathname: string): RouteInfo | undefined {
  const segs = pathname.split('/');
  const candidates = routes.filter((r) => {
    if (r.method !== method) return false;
    const rs = r.url.split('/');
    return rs.length === segs.length && rs.every((s, i) => s.startsWith(':') || s === segs[i]);
  });
  const params = (r: RouteInfo) => r.url.split('/').filter((s) => s.startsWith(':')).length;
  return candidates.sort((a, b) => params(a) - params(b))[0];
}

const signInHeaders = { 'x-requested-with': 'fanzha-console' };

function sessionCookie(setCookie: string | string[] | undefined): { value: string; raw: string } {
  const raw = [setCookie ?? []].flat().find((c) => c.startsWith('fanzha_session='));
  assert.ok(raw, 'a session cookie is set');
  return { value: raw.split(';')[0]!.slice('fanzha_session='.length), raw };
}

for (const dialect of testDialects()) {
  describe(`console sessions (${dialect.name})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t.close());

    async function signIn(key: string) {
      const r = await t.app.inject({ method: 'POST', url: '/v1/console/session', headers: signInHeaders, payload: { key } });
      assert.equal(r.statusCode, 201, r.body);
      const c = sessionCookie(r.headers['set-cookie']);
      return { cookie: `fanzha_session=${c.value}`, raw: c.raw, body: r.json() };
    }

    it('exchanges an admin or analyst key for an HttpOnly, SameSite=Strict cookie that never holds the key', async () => {
      const s = await signIn(t.keys.analyst);
      assert.match(s.raw, /HttpOnly/);
      assert.match(s.raw, /SameSite=Strict/);
      assert.match(s.raw, /Path=\//);
      assert.doesNotMatch(s.raw, /Secure/, 'plain http: no Secure flag');
      assert.ok(!s.raw.includes(t.keys.analyst));
      assert.equal(s.body.role, 'analyst');
      assert.equal(typeof s.body.csrfToken, 'string');
      const me = await t.app.inject({ url: '/v1/console/session', headers: { cookie: s.cookie } });
      assert.deepEqual({ ...(me.json() as object), expiresAt: undefined }, { ...(s.body as object), expiresAt: undefined });
      const anon = await t.app.inject({ url: '/v1/console/session' });
      assert.deepEqual(anon.json(), { signedIn: false });
    });

    it('marks the cookie Secure behind https, believing X-Forwarded-Proto only from a configured proxy', async () => {
      // no trusted proxy: a client's own header cannot claim https
      const direct = await t.app.inject({
        method: 'POST',
        url: '/v1/console/session',
        headers: { ...signInHeaders, 'x-forwarded-proto': 'https' },
        payload: { key: t.keys.admin },
      });
      assert.doesNotMatch(sessionCookie(direct.headers['set-cookie']).raw, /Secure/);
      const proxied = await createTestApp(dialect, { env: { FANZHA_TRUSTED_PROXIES: '127.0.0.1' } });
      try {
        const r = await proxied.app.inject({
          method: 'POST',
          url: '/v1/console/session',
          headers: { ...signInHeaders, 'x-forwarded-proto': 'https' },
          payload: { key: proxied.keys.admin },
        });
        assert.match(sessionCookie(r.headers['set-cookie']).raw, /Secure/);
      } finally {
        await proxied.close();
      }
    });

    it('refuses agent and ingest keys, unknown keys, and sign-in without the console header', async () => {
      for (const role of ['agent', 'ingest'] as const) {
        const r = await t.app.inject({ method: 'POST', url: '/v1/console/session', headers: signInHeaders, payload: { key: t.keys[role] } });
        assert.equal(r.statusCode, 403);
        assert.equal(r.headers['set-cookie'], undefined);
      }
      const bogus = await t.app.inject({ method: 'POST', url: '/v1/console/session', headers: signInHeaders, payload: { key: 'fz_admin_nope' } });
      assert.equal(bogus.statusCode, 401);
      assert.equal(bogus.json().type, 'https://fanzha.dev/problems/sign-in-failed');
      assert.ok(!bogus.body.includes('fz_admin_nope'));
      const forged = await t.app.inject({ method: 'POST', url: '/v1/console/session', payload: { key: t.keys.admin } });
      assert.equal(forged.statusCode, 400);
      assert.equal(forged.headers['set-cookie'], undefined);
    });

    it('authenticates /v1 calls by cookie with the role of the key, and requires the CSRF header on unsafe methods', async () => {
      const analyst = await signIn(t.keys.analyst);
      const denied = await t.app.inject({ url: '/v1/keys', headers: { cookie: analyst.cookie } });
      assert.equal(denied.statusCode, 403);
      const log = await t.app.inject({ url: '/v1/audit/entries', headers: { cookie: analyst.cookie } });
      assert.equal(log.statusCode, 200, 'another area’s endpoint accepts the console session');
      const admin = await signIn(t.keys.admin);
      const list = await t.app.inject({ url: '/v1/keys', headers: { cookie: admin.cookie } });
      assert.equal(list.statusCode, 200);
      const noCsrf = await t.app.inject({ method: 'POST', url: '/v1/keys', headers: { cookie: admin.cookie }, payload: { role: 'agent' } });
      assert.equal(noCsrf.statusCode, 403);
      assert.equal(noCsrf.json().type, 'https://fanzha.dev/problems/csrf');
      const wrongCsrf = await t.app.inject({
        method: 'POST',
        url: '/v1/keys',
        headers: { cookie: admin.cookie, 'x-fanzha-csrf': analyst.body.csrfToken },
        payload: { role: 'agent' },
      });
      assert.equal(wrongCsrf.statusCode, 403);
      const ok = await t.app.inject({
        method: 'POST',
        url: '/v1/keys',
        headers: { cookie: admin.cookie, 'x-fanzha-csrf': admin.body.csrfToken },
        payload: { role: 'agent', name: 'desk' },
      });
      assert.equal(ok.statusCode, 201);
    });

    it('ends the session at sign-out and when its key is revoked', async () => {
      const s = await signIn(t.keys.admin);
      const out = await t.app.inject({ method: 'DELETE', url: '/v1/console/session', headers: { cookie: s.cookie, 'x-fanzha-csrf': s.body.csrfToken } });
      assert.equal(out.statusCode, 204);
      assert.match(String(out.headers['set-cookie']), /fanzha_session=;/);
      assert.equal((await t.app.inject({ url: '/v1/keys', headers: { cookie: s.cookie } })).statusCode, 401);

      const { key, info } = await t.ctx.services.apiKeys.create({ role: 'analyst', name: 'temp' });
      const s2 = await signIn(key);
      assert.equal((await t.app.inject({ url: '/v1/console/session', headers: { cookie: s2.cookie } })).json().signedIn, true);
      await t.ctx.services.apiKeys.revoke(info.id);
      assert.equal((await t.app.inject({ url: '/v1/console/session', headers: { cookie: s2.cookie } })).json().signedIn, false);
    });

    it('expires idle and old sessions', async () => {
      let now = Date.now();
      const svc = new ConsoleSessionService(
        new SessionRepository(t.database.db),
        t.ctx.services.apiKeys,
        { idleMs: 60_000 * 10, absoluteMs: 3600_000 },
        () => now,
      );
      const a = await svc.signIn(t.keys.analyst);
      now += 9 * 60_000;
      assert.ok(await svc.resolve(a.token), 'still alive after 9 idle minutes');
      now += 9 * 60_000;
      assert.ok(await svc.resolve(a.token), 'activity keeps it alive');
      now += 11 * 60_000;
      assert.equal(await svc.resolve(a.token), null, 'idle too long');
      const b = await svc.signIn(t.keys.analyst);
      for (let i = 0; i < 7; i++) {
        now += 9 * 60_000;
        await svc.resolve(b.token);
      }
      assert.equal(await svc.resolve(b.token), null, 'past the absolute lifetime');
    });

    it('serves the pages under a CSP that allows scripts from self only and works on plain http', async () => {
      const r = await t.app.inject('/console');
      assert.ok([200, 503].includes(r.statusCode));
      const csp = String(r.headers['content-security-policy']);
      assert.match(csp, /script-src 'self';/);
      assert.doesNotMatch(csp, /upgrade-insecure-requests/);
    });

    it('lists the features this server has', async () => {
      const r = await t.app.inject({ url: '/v1/console/features' });
      assert.equal(r.statusCode, 200);
      assert.equal(r.json().features.keys, true);
      assert.equal(typeof r.json().features.cases, 'boolean');
    });
  });
}

describe('console pages', () => {
  it('serves the app shell for every /console path, the public pages, and hashed assets with long caching', async () => {
    const dist = tempDir();
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(path.join(dist, 'report.html'), '<!doctype html><title>report</title>');
    writeFileSync(path.join(dist, 'check.html'), '<!doctype html><title>check</title>');
    writeFileSync(path.join(dist, 'assets', 'app-abc.js'), 'console.log(1)');
    const app = Fastify();
    await consoleStatic(app as never, dist);
    for (const [url, title] of [
      ['/console', 'console'],
      ['/console/cases/case_1', 'console'],
      ['/report', 'report'],
      ['/check', 'check'],
    ]) {
      const r = await app.inject(url!);
      assert.equal(r.statusCode, 200, url);
      assert.match(r.body, new RegExp(`<title>${title}</title>`));
      assert.equal(r.headers['cache-control'], 'no-cache');
    }
    const js = await app.inject('/console/assets/app-abc.js');
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers['cache-control']), /immutable/);
    assert.equal((await app.inject('/console/assets/missing.js')).statusCode, 404);
    await app.close();
  });

  it('says plainly when the console is not built', async () => {
    const app = Fastify();
    await consoleStatic(app as never, tempDir());
    const r = await app.inject('/console');
    assert.equal(r.statusCode, 503);
    assert.match(r.body, /build:console/);
    await app.close();
  });

  it('derives features from registered routes', () => {
    const f = featuresOf([
      { method: 'GET', url: '/v1/cases', auth: {} },
      { method: 'POST', url: '/v1/reports', auth: 'public' },
    ]);
    assert.equal(f.cases, true);
    assert.equal(f.reports, true);
    assert.equal(f.incidents, false);
  });

  it("serves the browser test's fixtures in the merged areas' real response shapes", async () => {
    // The formats the response schemas use (Fastify's Ajv knows them; TypeBox's checker needs them told).
    if (!FormatRegistry.Has('date-time'))
      FormatRegistry.Set('date-time', (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)));
    // Type.Unsafe (plain JSON schema inside TypeBox): the schemas use it for string enums.
    if (!TypeRegistry.Has('Unsafe'))
      TypeRegistry.Set(
        'Unsafe',
        (schema: { type?: string; enum?: unknown[] }, value) =>
          (schema.type !== 'string' || typeof value === 'string') && (!schema.enum || schema.enum.includes(value)),
      );
    const t = await createTestApp(testDialects()[0]!);
    try {
      const checked: string[] = [];
      for (const [key, body] of Object.entries(FIXTURES)) {
        if (key === 'GET /v1/console/features') continue;
        const [method, pathname] = key.split(' ') as [string, string];
        const route = routeFor(t.app.routeList, method, pathname);
        if (!route) {
          assert.ok(ASSUMED_ENDPOINTS.has(key), `${key} is neither a registered route nor a known not-yet-merged endpoint`);
          continue;
        }
        const response = (route.schema as { response?: Record<string, TSchema> } | undefined)?.response?.['200'];
        assert.ok(response, `${route.method} ${route.url} declares its 200 response`);
        const errors = [...Value.Errors(response, body)].slice(0, 3).map((e) => `${e.path}: ${e.message}`);
        assert.deepEqual(errors, [], `${key} fixture matches the response schema of ${route.url}`);
        checked.push(key);
      }
      assert.ok(checked.length >= 12, `most fixtures are checked against real schemas (${checked.length})`);
    } finally {
      await t.close();
    }
  });
});
