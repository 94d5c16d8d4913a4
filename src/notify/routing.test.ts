// Per-customer routing: each fallback of the route (language, phone, e-mail, channel not
// configured), and on each backend an incident whose notices go SMS-like (log) to Chinese
// customers, e-mail to English ones, and are flagged unreachable — on the incident's progress and
// in /metrics — for an English customer without an e-mail address.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { chooseChannel, type Routes } from './routing.ts';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { notifyConfig } from './notify.config.ts';
import { loadConfig } from '../config/config.ts';

const channels = new Map([
  ['aliyun', { needs: 'phone' as const }],
  ['twilio', { needs: 'phone' as const }],
  ['webhook', { needs: 'none' as const }],
  ['smtp', { needs: 'email' as const }],
]);
const routes: Routes = {
  'refund.requested': [{ channel: 'aliyun', langs: ['zh-CN'] }, { channel: 'twilio', langs: ['en'] }, 'smtp'],
  default: ['tencent', 'aliyun', 'webhook'],
};

describe('channel routing', () => {
  it('takes the first channel whose language and contact data fit, falling back in order', () => {
    const zh = { lang: 'zh-CN' as const, hasPhone: true, hasEmail: false };
    const en = { lang: 'en' as const, hasPhone: true, hasEmail: true };
    assert.deepEqual(chooseChannel(routes, 'refund.requested', zh, channels), { channel: 'aliyun' });
    // language: the Chinese SMS provider is not for English customers
    assert.deepEqual(chooseChannel(routes, 'refund.requested', en, channels), { channel: 'twilio' });
    // contact data: no phone → e-mail
    assert.deepEqual(chooseChannel(routes, 'refund.requested', { ...zh, hasPhone: false, hasEmail: true }, channels), { channel: 'smtp' });
    // nothing fits: unreachable, with every reason
    const none = chooseChannel(routes, 'refund.requested', { ...zh, hasPhone: false }, channels);
    assert.deepEqual(none, { channel: null, reason: 'no-reachable-channel: aliyun needs a phone; twilio not for zh-CN; smtp needs an e-mail address' });
    // the default route; a channel that is not configured is skipped; no phone → the app push webhook
    assert.deepEqual(chooseChannel(routes, 'login.new_device', zh, channels), { channel: 'aliyun' });
    assert.deepEqual(chooseChannel(routes, 'login.new_device', { ...zh, hasPhone: false }, channels), { channel: 'webhook' });
    assert.deepEqual(chooseChannel({}, 'login.new_device', zh, channels), { channel: null, reason: 'no-reachable-channel: empty route' });
  });

  it('defaults requests to the route once routes are configured', () => {
    const base = loadConfig({ FANZHA_DATA_DIR: '/tmp/x' });
    assert.equal(notifyConfig(base).defaultChannel, 'log');
    assert.equal(notifyConfig({ ...base, areas: { notify: { routes: { default: ['log'] } } } }).defaultChannel, 'route');
  });
});

for (const dialect of testDialects()) {
  describe(`routed incident notices on ${dialect.name}`, () => {
    let t: TestApp;
    let smtp: SMTPServer;
    const mails: string[] = [];
    before(async () => {
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, session, cb) {
          stream.on('data', () => undefined);
          stream.on('end', () => {
            mails.push(session.envelope.rcptTo.map((r) => r.address).join(','));
            cb();
          });
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      const port = (smtp.server.address() as AddressInfo).port;
      t = await createTestApp(dialect, {
        logLevel: 'warn',
        areas: {
          notify: {
            quietHours: null,
            channels: { smtp: { host: '127.0.0.1', port, from: 'shop@shop.example' } },
            routes: { 'incident.notice': [{ channel: 'log', langs: ['zh-CN'] }, 'smtp'] },
          },
        },
      });
    });
    after(async () => {
      await t.close();
      await new Promise<void>((r) => smtp.close(() => r()));
    });

    it('routes each customer, and flags the unreachable one on the progress and in /metrics', async () => {
      const at = Date.now() - 3_600_000;
      const iso = (ms: number) => new Date(ms).toISOString();
      const r = await t.ctx.services.events.ingest([
        { id: 'c-zh', type: 'customer.upserted', at: iso(at), customerId: 'cz', name: '刘小明', phone: '13812345678', lang: 'zh-CN' },
        { id: 'c-en', type: 'customer.upserted', at: iso(at), customerId: 'ce', name: 'Ann Lee', phone: '+14155550100', email: 'ann@example.com', lang: 'en' },
        { id: 'c-none', type: 'customer.upserted', at: iso(at), customerId: 'cn', name: 'Bob Ray', phone: '+14155550101', lang: 'en' },
        ...['cz', 'ce', 'cn'].map((c, i) => ({
          id: `a-${c}`,
          type: 'data.accessed',
          at: iso(at + 1000 + i),
          principalId: 'agent-9',
          customerId: c,
          fields: ['name', 'phone'],
          channel: 'console',
        })),
      ]);
      assert.equal(r.rejected.length, 0, JSON.stringify(r.rejected));
      const created = await t.app.inject({
        method: 'POST',
        url: '/v1/incidents',
        headers: t.auth('analyst'),
        payload: { title: 'Agent 9 leak', principalIds: ['agent-9'], fields: ['name', 'phone'], from: iso(at - 1000), to: iso(Date.now()) },
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id;
      assert.equal(created.json().affected, 3);
      assert.equal((await t.app.inject({ method: 'POST', url: `/v1/incidents/${id}/contain`, headers: t.auth('analyst') })).statusCode, 200);
      assert.equal((await t.app.inject({ method: 'POST', url: `/v1/incidents/${id}/notify?wait=true`, headers: t.auth('admin') })).statusCode, 200);
      for (let i = 0; i < 5; i++) await t.ctx.services.notify.worker.runOnce();
      const rows = await t.database.db
        .selectFrom('notices')
        .select(['customer_id', 'channel', 'status', 'last_error'])
        .where('idempotency_key', 'like', `incident:${id}:%`)
        .orderBy('customer_id')
        .execute();
      const by = Object.fromEntries(rows.map((x) => [x.customer_id, x]));
      assert.equal(by.cz!.channel, 'log');
      assert.equal(by.cz!.status, 'delivered');
      assert.equal(by.ce!.channel, 'smtp');
      assert.equal(by.ce!.status, 'sent');
      assert.deepEqual(mails, ['ann@example.com']);
      assert.equal(by.cn!.status, 'unreachable');
      assert.equal(by.cn!.last_error, 'no-reachable-channel: log not for en; smtp needs an e-mail address');
      const progress = (await t.app.inject({ method: 'GET', url: `/v1/incidents/${id}/notify`, headers: t.auth('analyst') })).json();
      assert.equal(progress.unreachable, 1);
      assert.match((await t.app.inject({ method: 'GET', url: '/metrics' })).body, /fanzha_notices_unreachable\{template="incident.notice"\} 1/);
      assert.match((await t.app.inject({ method: 'GET', url: '/metrics' })).body, /fanzha_notices_total\{outcome="unreachable",channel="route"\} 1/);
    });
  });
}
