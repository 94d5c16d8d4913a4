// The public endpoints as a browser and a fleet of nodes see them: CORS for configured origins
// only (preflight answered before authentication), keyed callers with their own range limit,
// and one rate limit shared by every node on the same Redis (real Redis, FANZHA_TEST_REDIS).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { testDialects, REDIS_URL } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const SHOP = 'https://shop.example';
const dialect = testDialects()[0]!;

describe('CORS on the public endpoints', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect, {
      env: { FANZHA_CORS_ORIGINS: `${SHOP}, https://m.shop.example` },
      areas: { passwords: { rangePerMinute: 3, rangePerMinuteKeyed: 5 } },
    });
  });
  after(async () => t.close());
  const req = (method: 'GET' | 'OPTIONS', url: string, headers: Record<string, string> = {}, remoteAddress = '198.51.100.7') =>
    t.app.inject({ method, url, headers, remoteAddress });

  for (const url of ['/v1/passwords/range/21BD1', '/v1/check?domain=shop.example']) {
    it(`answers a preflight for ${url.split('?')[0]} from an allowed origin, without a key`, async () => {
      const r = await req('OPTIONS', url, { origin: SHOP, 'access-control-request-method': 'GET', 'access-control-request-headers': 'add-padding' });
      assert.equal(r.statusCode, 204, r.body);
      assert.equal(r.headers['access-control-allow-origin'], SHOP);
      assert.match(String(r.headers['access-control-allow-methods']), /GET/);
      assert.match(String(r.headers['access-control-allow-headers']), /add-padding/i);
      assert.equal(r.headers['access-control-max-age'], '600');
    });

    it(`sends CORS headers on ${url.split('?')[0]} to allowed origins only`, async () => {
      const ok = await req('GET', url, { origin: SHOP });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.headers['access-control-allow-origin'], SHOP);
      assert.match(String(ok.headers.vary), /origin/i);
      const other = await req('GET', url, { origin: 'https://evil.example' });
      assert.equal(other.statusCode, 200);
      assert.equal(other.headers['access-control-allow-origin'], undefined);
      const pre = await req('OPTIONS', url, { origin: 'https://evil.example', 'access-control-request-method': 'GET' });
      assert.equal(pre.headers['access-control-allow-origin'], undefined);
    });
  }

  it('keeps CORS off the authenticated API', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/logins/evaluate',
      headers: { origin: SHOP, ...t.auth('ingest') },
      payload: { username: 'a', ip: '10.0.0.1' },
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['access-control-allow-origin'], undefined);
    const pre = await req('OPTIONS', '/v1/logins/evaluate', { origin: SHOP, 'access-control-request-method': 'POST' });
    assert.notEqual(pre.statusCode, 204);
    assert.equal(pre.headers['access-control-allow-origin'], undefined);
  });

  it('gives keyed callers their own, higher range limit (also as hibp-api-key)', async () => {
    const statuses = async (headers: Record<string, string>, n: number) => {
      const out: number[] = [];
      // an address of its own: the other tests' anonymous calls do not count here
      for (let i = 0; i < n; i++) out.push((await req('GET', '/v1/passwords/range/ABCDE', headers, '198.51.100.8')).statusCode);
      return out;
    };
    assert.deepEqual(await statuses({}, 4), [200, 200, 200, 429]);
    // the anonymous limit of this address does not touch the key's allowance, and vice versa
    assert.deepEqual(await statuses({ 'hibp-api-key': t.keys.ingest }, 6), [200, 200, 200, 200, 200, 429]);
    assert.equal((await statuses({ ...t.auth('analyst') }, 1))[0], 200);
    assert.equal((await statuses({ 'hibp-api-key': 'not-a-key' }, 1))[0], 429, 'an unknown key counts as anonymous');
  });
});

if (REDIS_URL) {
  describe('public rate limits shared through Redis', () => {
    const apps: TestApp[] = [];
    before(async () => {
      const env = { FANZHA_REDIS: REDIS_URL!, FANZHA_RATE_LIMIT_NAMESPACE: `fzt:rl:${randomBytes(4).toString('hex')}:` };
      for (let i = 0; i < 2; i++) apps.push(await createTestApp(dialect, { env, areas: { passwords: { rangePerMinute: 4 } } }));
    });
    after(async () => {
      for (const t of apps) await t.close();
    });

    it('counts one allowance across two app instances', async () => {
      const get = (t: TestApp) => t.app.inject({ method: 'GET', url: '/v1/passwords/range/00000', remoteAddress: '203.0.113.50' });
      const seen: number[] = [];
      for (let i = 0; i < 6; i++) seen.push((await get(apps[i % 2]!)).statusCode);
      assert.deepEqual(seen, [200, 200, 200, 200, 429, 429]);
      // another address has its own allowance on both nodes
      const other = await apps[1]!.app.inject({ method: 'GET', url: '/v1/passwords/range/00000', remoteAddress: '203.0.113.51' });
      assert.equal(other.statusCode, 200);
    });
  });
} else {
  console.log('# SKIPPED: shared public rate limit across two app instances (set FANZHA_TEST_REDIS=redis://… to run it on a real Redis)');
}
