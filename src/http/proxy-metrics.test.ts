// Regressions (issue #21 items 5 and 7): X-Forwarded-For is believed only from configured proxies,
// so per-IP limits (console sign-in here) cannot be dodged by inventing addresses; /metrics is not
// public (a token when configured, otherwise direct loopback peers only).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp } from '../testing/test-app.ts';
import { parseProxies, ConfigError } from '../config/config.ts';

const dialect = testDialects()[0]!;
const signIn = (t: Awaited<ReturnType<typeof createTestApp>>, xff: string, remoteAddress = '203.0.113.9') =>
  t.app.inject({
    method: 'POST',
    url: '/v1/console/session',
    remoteAddress,
    headers: { 'x-forwarded-for': xff, 'x-requested-with': 'fanzha-console' },
    payload: { key: 'fz_admin_wrong' },
  });

describe('client addresses and /metrics', () => {
  it('without trusted proxies, a forged X-Forwarded-For does not escape the sign-in limit', async () => {
    const t = await createTestApp(dialect);
    try {
      const codes: number[] = [];
      for (let i = 0; i < 30; i++) codes.push((await signIn(t, `198.51.100.${i}`)).statusCode);
      assert.ok(codes.includes(429), `codes: ${codes.join(',')}`);
      assert.ok(codes.slice(0, 20).every((c) => c === 401));
    } finally {
      await t.close();
    }
  });

  it('behind a configured proxy, the forwarded client address is used (each client its own limit)', async () => {
    const t = await createTestApp(dialect, { env: { FANZHA_TRUSTED_PROXIES: '10.0.0.0/8' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 30; i++) codes.push((await signIn(t, `198.51.100.${i}`, '10.1.2.3')).statusCode);
      assert.ok(
        codes.every((c) => c === 401),
        `codes: ${codes.join(',')}`,
      );
      // a peer that is not the proxy is limited by its own address whatever it forwards
      const other: number[] = [];
      for (let i = 0; i < 25; i++) other.push((await signIn(t, `198.51.100.${i}`, '192.0.2.1')).statusCode);
      assert.ok(other.includes(429));
    } finally {
      await t.close();
    }
    assert.throws(() => parseProxies('loopback'), ConfigError);
    assert.deepEqual(parseProxies('10.0.0.1, 192.168.0.0/16'), ['10.0.0.1', '192.168.0.0/16']);
  });

  it('/metrics: loopback only without a token; with a token, only with the token', async () => {
    const open = await createTestApp(dialect);
    try {
      assert.equal((await open.app.inject({ url: '/metrics' })).statusCode, 200);
      const far = await open.app.inject({ url: '/metrics', remoteAddress: '203.0.113.7' });
      assert.equal(far.statusCode, 404);
      assert.match(String(far.headers['content-type']), /problem\+json/);
      assert.equal((await open.app.inject({ url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.7' } })).statusCode, 404);
    } finally {
      await open.close();
    }
    const token = 'metrics-token-0123456789';
    const locked = await createTestApp(dialect, { env: { FANZHA_METRICS_TOKEN: token } });
    try {
      assert.equal((await locked.app.inject({ url: '/metrics' })).statusCode, 404);
      assert.equal((await locked.app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-token-wrong-token' } })).statusCode, 404);
      const ok = await locked.app.inject({ url: '/metrics', remoteAddress: '203.0.113.7', headers: { authorization: `Bearer ${token}` } });
      assert.equal(ok.statusCode, 200);
      assert.match(ok.body, /fanzha_http_request_duration_seconds/);
    } finally {
      await locked.close();
    }
  });
});
