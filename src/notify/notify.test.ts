import { FIELD_BIT } from '../lib/fields.ts';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { startStub, startWebhookReceiver, type Stub, type WebhookReceiver } from './receivers.test-helper.ts';
import { OutboxWorker } from './outbox.worker.ts';
import type { NotifyConfig } from './notify.config.ts';
import { twilioSignature } from './channels/twilio.channel.ts';

const SECRET = 'whsec_test_0123456789';
const PHONE = '13812345678';
const TOKEN = 'receipt-token-0123456789';
const silent = pino({ level: 'silent' });

const iso = (ms = Date.now()) => new Date(ms).toISOString();
const customer = (id: string, extra: Record<string, unknown> = {}) => ({
  id: `ev-c-${id}`,
  type: 'customer.upserted',
  at: iso(),
  customerId: id,
  name: '刘小明',
  phone: PHONE,
  ...extra,
});
const order = (id: string, customerId: string) => ({
  id: `ev-o-${id}`,
  type: 'order.placed',
  at: iso(),
  orderId: id,
  customerId,
  items: [{ sku: 'A1', title: '净化器', price: 10, quantity: 1 }],
  total: 10,
});
const refund = (id: string, orderId: string, at = iso()) => ({ id: `ev-r-${id}`, type: 'refund.requested', at, refundId: id, orderId });

// An independent implementation of Aliyun's RPC signature v1, as the stand-in server checks it.
function aliyunExpected(secret: string, form: URLSearchParams): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/!/g, '%21').replace(/'/g, '%27').replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\*/g, '%2A');
  const pairs = [...form.entries()].filter(([k]) => k !== 'Signature').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canon = pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  return createHmac('sha1', `${secret}&`)
    .update(`POST&%2F&${enc(canon)}`)
    .digest('base64');
}

// An independent check of Tencent's TC3-HMAC-SHA256 from what arrived on the wire.
function tencentExpected(secretId: string, secretKey: string, headers: Record<string, unknown>, body: string): string {
  const ts = Number(headers['x-tc-timestamp']);
  const date = new Date(ts * 1000).toISOString().slice(0, 10);
  const h = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
  const canonical = `POST\n/\n\ncontent-type:${headers['content-type']}\nhost:${headers.host}\n\ncontent-type;host\n${h(body)}`;
  const sts = `TC3-HMAC-SHA256\n${ts}\n${date}/sms/tc3_request\n${h(canonical)}`;
  let k: Buffer = createHmac('sha256', 'TC3' + secretKey)
    .update(date)
    .digest();
  k = createHmac('sha256', k).update('sms').digest();
  k = createHmac('sha256', k).update('tc3_request').digest();
  const sig = createHmac('sha256', k).update(sts).digest('hex');
  return `TC3-HMAC-SHA256 Credential=${secretId}/${date}/sms/tc3_request, SignedHeaders=content-type;host, Signature=${sig}`;
}

for (const dialect of testDialects()) {
  describe(`notifications on ${dialect.name}`, () => {
    let t: TestApp;
    let rx: WebhookReceiver;
    let aliyun: Stub, tencent: Stub, twilio: Stub;
    let smtp: SMTPServer;
    const mails: { to: string; data: string }[] = [];
    const failures = new Map<string, (n: number) => number | null>();
    let cfg: NotifyConfig;

    before(async () => {
      rx = await startWebhookReceiver(SECRET, { fail: (key, n) => failures.get(key)?.(n) ?? null });
      aliyun = await startStub((r, res) => {
        const form = new URLSearchParams(r.body);
        const ok =
          r.headers['content-type'] === 'application/x-www-form-urlencoded' &&
          form.get('Signature') === aliyunExpected('aliyun-secret', form) &&
          form.get('SignatureMethod') === 'HMAC-SHA1' &&
          form.get('SignatureVersion') === '1.0' &&
          form.get('Action') === 'SendSms' &&
          form.get('Version') === '2017-05-25' &&
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(form.get('Timestamp') ?? '');
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(ok ? { Code: 'OK', BizId: `biz-${aliyun.requests.length}`, RequestId: 'x' } : { Code: 'SignatureDoesNotMatch', RequestId: 'x' }));
      });
      tencent = await startStub((r, res) => {
        const ok =
          r.headers.authorization === tencentExpected('tc-id', 'tc-key', r.headers, r.body) &&
          r.headers['x-tc-action'] === 'SendSms' &&
          r.headers['x-tc-version'] === '2021-01-11';
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(
            JSON.stringify(
              ok
                ? { Response: { SendStatusSet: [{ SerialNo: `serial-${tencent.requests.length}`, Code: 'Ok', Message: 'send success' }], RequestId: 'x' } }
                : { Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'bad' }, RequestId: 'x' } },
            ),
          );
      });
      twilio = await startStub((r, res) => {
        const form = new URLSearchParams(r.body);
        const ok =
          r.url === '/2010-04-01/Accounts/AC123/Messages.json' &&
          r.headers.authorization === 'Basic ' + Buffer.from('AC123:tw-token').toString('base64') &&
          !!form.get('To') &&
          !!form.get('Body') &&
          form.get('From') === '+15005550006';
        res
          .writeHead(ok ? 201 : 401, { 'content-type': 'application/json' })
          .end(JSON.stringify(ok ? { sid: `SM${twilio.requests.length}`, status: 'queued' } : { code: 20003, message: 'auth' }));
      });
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, session, cb) {
          let data = '';
          stream.on('data', (c) => (data += c.toString()));
          stream.on('end', () => {
            mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), data });
            cb();
          });
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      const smtpPort = (smtp.server.address() as AddressInfo).port;
      t = await createTestApp(dialect, {
        areas: {
          notify: {
            quietHours: null,
            backoffBaseMs: 1,
            backoffMaxMs: 4,
            maxAttempts: 4,
            officialDomain: 'shop.example.com',
            receiptToken: TOKEN,
            channels: {
              webhook: { url: rx.url, secret: SECRET },
              smtp: { host: '127.0.0.1', port: smtpPort, from: 'Shop <notice@shop.example.com>' },
              aliyun: {
                endpoint: aliyun.url,
                accessKeyId: 'AK1',
                accessKeySecret: 'aliyun-secret',
                signName: '本店',
                templateCodes: { 'refund.requested': 'SMS_100', 'login.new_device': 'SMS_101' },
              },
              tencent: {
                endpoint: tencent.url,
                secretId: 'tc-id',
                secretKey: 'tc-key',
                sdkAppId: '1400000000',
                signName: '本店',
                templateIds: { 'refund.requested': '2000' },
              },
              twilio: {
                endpoint: twilio.url,
                accountSid: 'AC123',
                authToken: 'tw-token',
                from: '+15005550006',
                statusCallback: 'https://fanzha.example/v1/notifications/receipts/twilio',
              },
            },
          },
        },
      });
      cfg = t.ctx.services.notify.config;
      const r = await ingest([
        customer('c1', { email: 'liu@example.com' }),
        customer('c-en', { lang: 'en', email: 'en@example.com' }),
        order('o1', 'c1'),
        order('o-en', 'c-en'),
      ]);
      assert.equal(r.accepted, 4);
    });
    after(async () => {
      await t.close();
      await Promise.all([rx.close(), aliyun.close(), tencent.close(), twilio.close(), new Promise<void>((r) => smtp.close(() => r()))]);
    });

    async function ingest(events: unknown[]) {
      const r = await t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth('ingest'), payload: events as any });
      assert.equal(r.statusCode, 200, r.body);
      return r.json();
    }
    const notices = () => t.database.db.selectFrom('notices').selectAll().execute();
    const byKey = (key: string) => t.database.db.selectFrom('notices').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();
    const worker = () => t.ctx.services.notify.worker;
    /** Runs the worker until nothing is due (retries are due within a few ms in this config). */
    async function drain(w: OutboxWorker = worker(), rounds = 20) {
      for (let i = 0; i < rounds; i++) {
        const n = await w.runOnce();
        if (n === 0) {
          await new Promise((r) => setTimeout(r, 10));
          if ((await w.runOnce()) === 0) return;
        }
      }
    }
    const send = (body: Record<string, unknown>, role: 'ingest' | 'admin' | 'analyst' = 'ingest') =>
      t.app.inject({ method: 'POST', url: '/v1/notifications', headers: t.auth(role), payload: body });

    it('queues the refund warning in the ingest transaction, once per refund, and delivers it', async () => {
      await ingest([refund('r1', 'o1'), { ...refund('r1', 'o1'), id: 'ev-r-r1-again' }]);
      const n = await byKey('refund.requested:r1');
      assert.equal(n.customer_id, 'c1');
      assert.equal(n.urgent, 1);
      assert.equal(n.status, 'pending');
      assert.equal((await notices()).filter((x) => x.template === 'refund.requested' && x.order_id === 'o1').length, 1);
      await drain();
      const done = await byKey('refund.requested:r1');
      assert.equal(done.status, 'delivered');
      const file = readFileSync(cfg.logFile, 'utf8');
      const line = file.split('\n').find((l) => l.includes(done.id))!;
      assert.ok(line, 'written to the log channel');
      assert.match(line, /\+86138\*\*\*\*5678/);
      assert.ok(!file.includes(PHONE), 'the log channel masks the phone');
      assert.match(line, /绝不会来电/);
      assert.match(line, /银行卡号、身份证号或验证码/);
      assert.match(line, /官方联系状态/);
      assert.ok(!t.logs().includes(PHONE) && !t.logs().includes('liu@example.com'), 'no contact data in server logs');
      // Reading the contact data to deliver it is an access-log entry like any other read.
      const reads = await t.database.db
        .selectFrom('access_log')
        .selectAll()
        .where('principal_id', '=', 'system:notify')
        .where('customer_id', '=', 'c1')
        .execute();
      assert.ok(reads.some((e) => e.purpose === 'notice:refund.requested' && (e.fields & FIELD_BIT.phone) !== 0));
      assert.equal((await t.ctx.services.audit.verify()).intact, true);
    });

    it('does not read contact data while the access log cannot record it (fail closed), and sends later', async () => {
      await ingest([refund('r-audit', 'o-en')]);
      const audit = t.ctx.services.audit;
      const original = audit.record.bind(audit);
      audit.record = async () => {
        throw new Error('log down');
      };
      try {
        await worker().runOnce();
        const held = await byKey('refund.requested:r-audit');
        assert.equal(held.status, 'pending');
        assert.equal(held.attempts, 0, 'not counted as a delivery attempt');
      } finally {
        audit.record = original;
      }
      await t.database.db.updateTable('notices').set({ next_attempt_at: 0 }).where('idempotency_key', '=', 'refund.requested:r-audit').execute();
      await drain();
      assert.equal((await byKey('refund.requested:r-audit')).status, 'delivered');
    });

    it('never contacts a canary customer: its notices are suppressed and its contact data not read', async () => {
      await ingest([customer('c-canary'), order('o-canary', 'c-canary')]);
      await t.database.db.updateTable('customers').set({ canary: 1 }).where('id', '=', 'c-canary').execute();
      await ingest([refund('r-canary', 'o-canary')]);
      await drain();
      const n = await byKey('refund.requested:r-canary');
      assert.equal(n.status, 'suppressed');
      const reads = await t.database.db
        .selectFrom('access_log')
        .select('seq')
        .where('principal_id', '=', 'system:notify')
        .where('customer_id', '=', 'c-canary')
        .execute();
      assert.equal(reads.length, 0);
    });

    it('resolves the customer when order and refund arrive in the same batch', async () => {
      await ingest([customer('c3'), order('o3', 'c3'), refund('r4', 'o3')]);
      assert.equal((await byKey('refund.requested:r4')).customer_id, 'c3');
    });

    it('warns for a late refund event within the window; records and counts a skip outside it', async () => {
      // the shop's feed lags 3 hours: the warning is still queued, urgent
      await ingest([customer('c-late'), order('o-late', 'c-late'), refund('r-late', 'o-late', iso(Date.now() - 3 * 3_600_000))]);
      const late = await byKey('refund.requested:r-late');
      assert.equal(late.status, 'pending');
      assert.equal(late.urgent, 1);
      // 10 days old (a history import): not sent, but recorded with its reason
      await ingest([refund('r-old', 'o1', iso(Date.now() - 10 * 86_400_000))]);
      const old = await byKey('refund.requested:r-old');
      assert.equal(old.status, 'skipped');
      assert.match(old.last_error!, /^late-event: arrived 240 h after it happened; the warning window is 72 h$/);
      await drain();
      assert.equal((await byKey('refund.requested:r-old')).status, 'skipped', 'a skipped notice is never claimed');
      const listed = (await t.app.inject({ method: 'GET', url: '/v1/notifications?status=skipped', headers: t.auth('analyst') })).json();
      assert.ok(
        listed.items.some(
          (n: { idempotencyKey: string; lastError: string }) => n.idempotencyKey === 'refund.requested:r-old' && n.lastError.startsWith('late-event'),
        ),
      );
      const metrics = (await t.app.inject({ method: 'GET', url: '/metrics', headers: t.auth('admin') })).body;
      assert.match(metrics, /fanzha_notices_skipped\{template="refund.requested",reason="late-event"\} 1/);
    });

    it('handles a refund that arrives before its order and customer; dead-letters it if they never come', async () => {
      await ingest([refund('r2', 'o2')]);
      let n = await byKey('refund.requested:r2');
      assert.equal(n.customer_id, null);
      await drain();
      n = await byKey('refund.requested:r2');
      assert.equal(n.status, 'pending');
      assert.equal(n.attempts, 0, 'waiting for the order is not a delivery attempt');
      assert.equal(n.last_error, 'recipient-pending');
      await ingest([customer('c2'), order('o2', 'c2')]);
      await t.database.db.updateTable('notices').set({ next_attempt_at: 0 }).where('id', '=', n.id).execute();
      await drain();
      n = await byKey('refund.requested:r2');
      assert.equal(n.status, 'delivered');
      assert.equal(n.customer_id, 'c2');

      await ingest([refund('r3', 'o-never')]);
      const w = new OutboxWorker({
        database: t.database,
        recipients: t.ctx.services.notify.recipients,
        channels: t.ctx.services.notify.channels,
        config: { ...cfg, unresolvedTtlMs: -1 },
        logger: silent,
      });
      await drain(w);
      const dead = await byKey('refund.requested:r3');
      assert.equal(dead.status, 'dead');
      assert.equal(dead.last_error, 'recipient-unresolved');
    });

    it('POST /v1/notifications queues idempotently and rejects bad requests; GET shows status', async () => {
      const body = {
        customerId: 'c-en',
        template: 'login.new_device',
        vars: { device: 'iPhone', city: 'Shenzhen' },
        idempotencyKey: 'login-1',
        channel: 'webhook',
      };
      const a = await send(body);
      assert.equal(a.statusCode, 202, a.body);
      const b = await send(body, 'admin');
      assert.equal(b.json().id, a.json().id);
      assert.equal(b.json().duplicate, true);
      assert.equal((await send({ ...body, template: 'nope', idempotencyKey: 'x1' })).statusCode, 400);
      const card = await send({ ...body, idempotencyKey: 'x2', vars: { note: '4111 1111 1111 1111' } });
      assert.equal(card.statusCode, 400);
      assert.ok(!card.body.includes('4111'), 'the problem does not echo the value');
      assert.equal((await send({ ...body, idempotencyKey: 'x3', vars: { smsCode: 'abc' } })).statusCode, 400);
      assert.equal((await send({ ...body, idempotencyKey: 'x4', channel: 'pigeon' })).statusCode, 400);
      assert.equal((await send(body, 'analyst')).statusCode, 403);
      await drain();
      const got = await t.app.inject({ method: 'GET', url: `/v1/notifications/${a.json().id}`, headers: t.auth('analyst') });
      assert.equal(got.statusCode, 200);
      assert.equal(got.json().status, 'delivered');
      const payload = rx.accepted.get('login-1') as { lang: string; text: string; customerId: string };
      assert.equal(payload.lang, 'en');
      assert.equal(payload.customerId, 'c-en');
      assert.match(payload.text, /new device \(iPhone\) near Shenzhen/);
      assert.ok(!JSON.stringify(payload).includes(PHONE), 'the webhook carries no contact data');
      const list = await t.app.inject({ method: 'GET', url: '/v1/notifications?status=delivered&limit=2', headers: t.auth('admin') });
      assert.equal(list.json().items.length, 2);
      assert.ok(list.json().next);
      assert.equal((await t.app.inject({ method: 'GET', url: '/v1/notifications/ntc_nope', headers: t.auth('admin') })).statusCode, 404);
    });

    it('retries a webhook that fails, with the same idempotency key, until it is accepted', async () => {
      failures.set('retry-1', (n) => (n <= 2 ? 500 : null));
      await send({ customerId: 'c1', template: 'account.password_changed', idempotencyKey: 'retry-1', channel: 'webhook' });
      await drain();
      const n = await byKey('retry-1');
      assert.equal(n.status, 'delivered');
      assert.equal(n.attempts, 3);
      assert.equal(rx.deliveries.get('retry-1'), 3);
      assert.equal(rx.rejected, 0, 'every request carried a valid signature');
    });

    it('dead-letters on a permanent error at once, and after maxAttempts on persistent errors', async () => {
      failures.set('perm-1', () => 400);
      failures.set('down-1', () => 503);
      await send({ customerId: 'c1', template: 'account.phone_changed', idempotencyKey: 'perm-1', channel: 'webhook' });
      await send({ customerId: 'c1', template: 'account.address_changed', idempotencyKey: 'down-1', channel: 'webhook' });
      await drain();
      const perm = await byKey('perm-1');
      assert.equal(perm.status, 'dead');
      assert.equal(perm.attempts, 1);
      assert.match(perm.last_error!, /HTTP 400/);
      const down = await byKey('down-1');
      assert.equal(down.status, 'dead');
      assert.equal(down.attempts, 4);
      assert.equal(rx.deliveries.get('down-1'), 4);
    });

    it('sends mail to a local SMTP server', async () => {
      await send({ customerId: 'c-en', template: 'refund.completed', vars: { orderId: 'o-en' }, idempotencyKey: 'mail-1', channel: 'smtp' });
      await drain();
      const n = await byKey('mail-1');
      assert.equal(n.status, 'sent', n.last_error ?? '');
      const mail = mails.find((m) => m.data.includes('mail-1'))!;
      assert.ok(mail, 'received by the SMTP server');
      assert.equal(mail.to, 'en@example.com');
      assert.match(mail.data, /Subject: \[Our shop\] Refund completed/);
      assert.match(mail.data, /X-Fanzha-Idempotency-Key: mail-1/);
    });

    it('sends SMS through Aliyun with a valid RPC v1 signature and takes its receipt', async () => {
      await send({ customerId: 'c1', template: 'refund.requested', vars: { orderId: 'o1' }, idempotencyKey: 'ali-1', channel: 'aliyun', urgent: true });
      await drain();
      const n = await byKey('ali-1');
      assert.equal(n.status, 'sent', n.last_error ?? '');
      const form = new URLSearchParams(aliyun.requests.at(-1)!.body);
      assert.equal(form.get('PhoneNumbers'), PHONE);
      assert.equal(form.get('TemplateCode'), 'SMS_100');
      assert.deepEqual(JSON.parse(form.get('TemplateParam')!), { orderId: 'o1' });
      assert.equal(form.get('OutId'), n.id);
      const bizId = n.provider_ref!.replace('aliyun:', '');
      const bad = await t.app.inject({
        method: 'POST',
        url: '/v1/notifications/receipts/aliyun/wrong-token-000000000',
        payload: [{ biz_id: bizId, success: true }],
      });
      assert.equal(bad.statusCode, 404);
      const r = await t.app.inject({
        method: 'POST',
        url: `/v1/notifications/receipts/aliyun/${TOKEN}`,
        payload: [{ biz_id: bizId, success: true, phone_number: PHONE }],
      });
      assert.equal(r.statusCode, 200);
      assert.equal((await byKey('ali-1')).status, 'delivered');
      // No template registered for this type: a configuration error, not worth retrying.
      await send({ customerId: 'c1', template: 'account.password_changed', idempotencyKey: 'ali-2', channel: 'aliyun' });
      await drain();
      assert.equal((await byKey('ali-2')).status, 'dead');
    });

    it('sends SMS through Tencent Cloud with a valid TC3-HMAC-SHA256 signature and takes its receipt', async () => {
      await send({ customerId: 'c1', template: 'refund.requested', vars: { orderId: 'o1' }, idempotencyKey: 'tc-1', channel: 'tencent', urgent: true });
      await drain();
      const n = await byKey('tc-1');
      assert.equal(n.status, 'sent', n.last_error ?? '');
      const body = JSON.parse(tencent.requests.at(-1)!.body);
      assert.deepEqual(body.PhoneNumberSet, ['+86' + PHONE]);
      assert.deepEqual(body.TemplateParamSet, ['o1']);
      assert.equal(body.SessionContext, n.id);
      const r = await t.app.inject({
        method: 'POST',
        url: `/v1/notifications/receipts/tencent/${TOKEN}`,
        payload: [{ sid: n.provider_ref!.replace('tencent:', ''), report_status: 'FAIL', errmsg: 'MK:0001' }],
      });
      assert.equal(r.json().updated, 1);
      const after = await byKey('tc-1');
      assert.equal(after.status, 'failed');
      assert.match(after.last_error!, /MK:0001/);
    });

    it('sends SMS through Twilio (Basic auth, form body) and verifies its signed status callback', async () => {
      await send({ customerId: 'c1', template: 'login.breached_password', idempotencyKey: 'tw-1', channel: 'twilio' });
      await drain();
      const n = await byKey('tw-1');
      assert.equal(n.status, 'sent', n.last_error ?? '');
      const form = new URLSearchParams(twilio.requests.at(-1)!.body);
      assert.equal(form.get('To'), '+86' + PHONE);
      assert.match(form.get('Body')!, /泄露的密码库/);
      const params = { MessageSid: n.provider_ref!.replace('twilio:', ''), MessageStatus: 'delivered', AccountSid: 'AC123' };
      const url = 'https://fanzha.example/v1/notifications/receipts/twilio';
      const post = (sig: string) =>
        t.app.inject({
          method: 'POST',
          url: '/v1/notifications/receipts/twilio',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig },
          payload: new URLSearchParams(params).toString(),
        });
      assert.equal((await post('bogus')).statusCode, 403);
      assert.equal((await byKey('tw-1')).status, 'sent');
      const ok = await post(twilioSignature('tw-token', url, params));
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal((await byKey('tw-1')).status, 'delivered');
    });

    it('generic receipts update a notice by provider reference', async () => {
      const n = await byKey('mail-1');
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/notifications/receipts',
        headers: t.auth('ingest'),
        payload: { providerRef: n.provider_ref, status: 'delivered' },
      });
      assert.equal(r.json().updated, 1);
      assert.equal((await byKey('mail-1')).status, 'delivered');
    });

    it('holds non-urgent notices in quiet hours and over the rate limit; urgent warnings go at once', async () => {
      await ingest([customer('c-q')]);
      const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
      const quiet = new OutboxWorker({
        database: t.database,
        recipients: t.ctx.services.notify.recipients,
        channels: t.ctx.services.notify.channels,
        config: { ...cfg, quietHours: { start: hour, end: (hour + 1) % 24, timeZone: 'UTC' } },
        logger: silent,
      });
      await send({ customerId: 'c-q', template: 'account.password_changed', idempotencyKey: 'quiet-1' });
      await send({ customerId: 'c-q', template: 'refund.requested', vars: { orderId: 'o9' }, idempotencyKey: 'quiet-urgent', urgent: true });
      await drain(quiet);
      const held = await byKey('quiet-1');
      assert.equal(held.status, 'pending');
      assert.equal(held.last_error, 'quiet-hours');
      assert.ok(held.next_attempt_at > Date.now() && held.next_attempt_at <= Date.now() + 3_600_000);
      assert.equal((await byKey('quiet-urgent')).status, 'delivered', 'urgent warnings ignore quiet hours');

      await ingest([customer('c-rl')]);
      const limited = new OutboxWorker({
        database: t.database,
        recipients: t.ctx.services.notify.recipients,
        channels: t.ctx.services.notify.channels,
        config: { ...cfg, rateLimit: { max: 1, windowMs: 3_600_000 } },
        logger: silent,
      });
      await send({ customerId: 'c-rl', template: 'account.password_changed', idempotencyKey: 'rl-1' });
      await drain(limited);
      await send({ customerId: 'c-rl', template: 'account.phone_changed', idempotencyKey: 'rl-2' });
      await send({ customerId: 'c-rl', template: 'refund.requested', vars: { orderId: 'o9' }, idempotencyKey: 'rl-urgent', urgent: true });
      await drain(limited);
      assert.equal((await byKey('rl-1')).status, 'delivered');
      const second = await byKey('rl-2');
      assert.equal(second.status, 'pending');
      assert.equal(second.last_error, 'rate-limited');
      assert.equal((await byKey('rl-urgent')).status, 'delivered');
    });

    it('several workers claiming at once deliver each notice once', async () => {
      const keys = Array.from({ length: 40 }, (_, i) => `multi-${i}`);
      const r = await t.ctx.services.notify.service.sendMany(
        keys.map((k) => ({ customerId: 'c1', template: 'incident.notice' as const, idempotencyKey: k, channel: 'webhook', urgent: true })),
        { source: 'incidents' },
      );
      assert.equal(r.filter((x) => !x.duplicate).length, 40);
      const workers = Array.from(
        { length: 4 },
        () =>
          new OutboxWorker({
            database: t.database,
            recipients: t.ctx.services.notify.recipients,
            channels: t.ctx.services.notify.channels,
            config: { ...cfg, batchSize: 5 },
            logger: silent,
          }),
      );
      await Promise.all(workers.map((w) => drain(w)));
      for (const k of keys) assert.equal(rx.deliveries.get(k), 1, k);
      assert.equal((await notices()).filter((n) => n.idempotency_key.startsWith('multi-') && n.status === 'delivered').length, 40);
      assert.ok(existsSync(cfg.logFile));
    });
  });
}
