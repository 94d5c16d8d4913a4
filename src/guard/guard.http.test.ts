import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import type { NoticeRequest } from '../notify/notifier.port.ts';

const USER = 'zhang.wei.secret@example.cn';

for (const dialect of testDialects()) {
  describe(`login decisions over HTTP on ${dialect.name}`, () => {
    let t: TestApp;
    const sent: NoticeRequest[] = [];
    before(async () => {
      t = await createTestApp(dialect);
      t.ctx.services.notifier = {
        async send(r) {
          sent.push(r);
          return { noticeId: `ntc_${sent.length}`, duplicate: false };
        },
      };
    });
    after(async () => t.close());

    const post = (url: string, payload: object, role: 'ingest' | 'admin' | 'analyst' = 'ingest') =>
      t.app.inject({ method: 'POST', url, headers: t.auth(role), payload });

    it('answers allow with reasons, and the same shape for an unknown username', async () => {
      const a = await post('/v1/logins/evaluate', { username: USER, ip: '198.51.100.1', deviceId: 'dev-1' });
      assert.equal(a.statusCode, 200, a.body);
      assert.deepEqual(a.json(), { decision: 'allow', reasons: [] });
      const b = await post('/v1/logins/evaluate', { username: 'nobody-here@example.cn', ip: '198.51.100.1', deviceId: 'dev-1' });
      assert.deepEqual(Object.keys(b.json()), Object.keys(a.json()));
      const r1 = await post('/v1/logins/result', { username: USER, ip: '198.51.100.1', deviceId: 'dev-1', outcome: 'failure' });
      const r2 = await post('/v1/logins/result', { username: 'nobody-here@example.cn', ip: '198.51.100.1', deviceId: 'dev-1', outcome: 'unknown_user' });
      assert.deepEqual(r1.json(), r2.json());
    });

    it('moves to challenge and deny as failures pile up, with retryAfter on deny', async () => {
      for (let i = 0; i < 10; i++) await post('/v1/logins/result', { username: `t${i}@x.cn`, ip: '203.0.113.5', outcome: 'failure' });
      const c = (await post('/v1/logins/evaluate', { username: USER, ip: '203.0.113.5' })).json();
      assert.equal(c.decision, 'challenge');
      assert.ok(c.reasons.includes('ip_failures'));
      for (let i = 0; i < 100; i++) await post('/v1/logins/result', { username: `t${i % 9}@x.cn`, ip: '203.0.113.5', outcome: 'failure' });
      const d = (await post('/v1/logins/evaluate', { username: USER, ip: '203.0.113.5' })).json();
      assert.equal(d.decision, 'deny');
      assert.equal(typeof d.retryAfter, 'number');
    });

    it('asks for a password reset and tells the owner after a breached-password success', async () => {
      const r = await post('/v1/logins/result', {
        username: USER,
        customerId: 'c-42',
        ip: '198.51.100.1',
        deviceId: 'dev-1',
        passwordBreached: true,
        outcome: 'success',
        attemptId: 'att-1',
      });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json().requirePasswordReset, true);
      assert.ok(r.json().notices.includes('login.breached_password'));
      const n = sent.find((s) => s.template === 'login.breached_password')!;
      assert.equal(n.customerId, 'c-42');
      assert.match(n.idempotencyKey, /^guard:login\.breached_password:/);
      // the same attempt reported twice gives the same idempotency key (one notice)
      await post('/v1/logins/result', {
        username: USER,
        customerId: 'c-42',
        ip: '198.51.100.1',
        deviceId: 'dev-1',
        passwordBreached: true,
        outcome: 'success',
        attemptId: 'att-1',
      });
      const keys = sent.filter((s) => s.template === 'login.breached_password').map((s) => s.idempotencyKey);
      assert.equal(new Set(keys).size, 1);
    });

    it('tells the owner about a new-device sign-in after failures', async () => {
      for (let i = 0; i < 4; i++) await post('/v1/logins/result', { username: 'li.na@example.cn', ip: '192.0.2.10', outcome: 'failure' });
      const r = await post('/v1/logins/result', { username: 'li.na@example.cn', customerId: 'c-7', ip: '192.0.2.10', deviceId: 'strange', outcome: 'success' });
      assert.deepEqual(r.json().notices, ['login.new_device']);
    });

    it('rejects bad input with a problem that does not echo it, and never logs usernames', async () => {
      const r = await post('/v1/logins/evaluate', { username: USER, ip: 'not-an-ip' });
      assert.equal(r.statusCode, 400);
      assert.ok(!r.body.includes(USER));
      const none = await post('/v1/logins/evaluate', { ip: '192.0.2.1' });
      assert.equal(none.statusCode, 400);
      const bad = await post('/v1/logins/result', { username: USER, ip: '192.0.2.1', outcome: 'maybe' });
      assert.equal(bad.statusCode, 400);
      assert.ok(!t.logs().includes(USER));
      assert.ok(!t.logs().includes('zhang.wei'));
    });

    it('serves decisions over time and top failing prefixes to analysts', async () => {
      const r = await t.app.inject({ method: 'GET', url: '/v1/logins/stats?bucket=hour', headers: t.auth('analyst') });
      assert.equal(r.statusCode, 200, r.body);
      const s = r.json();
      const total = s.buckets.reduce((n: number, b: { allow: number; challenge: number; deny: number }) => n + b.allow + b.challenge + b.deny, 0);
      assert.ok(total >= 4);
      assert.ok(s.buckets.some((b: { deny: number }) => b.deny > 0));
      assert.equal(s.topPrefixes[0].prefix, '203.0.113.0/24');
      assert.ok(s.topPrefixes[0].failures >= 110);
      const m = await t.app.inject({ method: 'GET', url: '/metrics' });
      assert.match(m.body, /fanzha_guard_decisions_total\{decision="deny"\} [1-9]/);
    });
  });
}

describe('owner notices by signed webhook when the shop configures one', () => {
  let t: TestApp;
  let server: Server;
  const got: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const secret = 'test-webhook-secret-123456';
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        got.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    t = await createTestApp(testDialects()[0]!, { areas: { guard: { webhook: { url: `http://127.0.0.1:${port}/hook`, secret } } } });
  });
  after(async () => {
    await t.close();
    server.close();
  });

  it('POSTs a notice signed with HMAC-SHA256 over timestamp and body', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/logins/result',
      headers: t.auth('ingest'),
      payload: { username: 'w@example.cn', customerId: 'c-9', ip: '192.0.2.3', passwordBreached: true, outcome: 'success' },
    });
    assert.deepEqual(r.json().notices, ['login.breached_password']);
    assert.equal(got.length, 1);
    const h = got[0]!.headers;
    const expected = createHmac('sha256', secret).update(`${h['x-fanzha-timestamp']}.${got[0]!.body}`).digest('hex');
    assert.equal(h['x-fanzha-signature'], `sha256=${expected}`);
    const body = JSON.parse(got[0]!.body);
    assert.equal(body.customerId, 'c-9');
    assert.ok(!got[0]!.body.includes('w@example.cn'));
  });
});
