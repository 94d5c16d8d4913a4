// Alerts pushed on-call, against local receivers that check each provider's documented payload and
// signature (computed here independently of oncall.robots.ts): DingTalk (timestamp + "\n" + secret
// signed with the secret, URL-encoded in the query), Feishu (the same string as the HMAC key over
// an empty message, in the body), WeCom (the key in the URL, no signature), the generic signed
// webhook and e-mail; per severity, de-duplicated, floods digested, counted in /metrics; and
// fanzha's own system principals audited but not scored.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { testDialects } from '../testing/dialects.ts';
import { startStub, type Stub, type RecordedRequest } from '../notify/receivers.test-helper.ts';
import { verifyWebhookSignature } from '../notify/channels/webhook-signature.ts';
import { OnCallService, type OnCallAlert } from './oncall.service.ts';
import { onCallConfig } from './oncall.config.ts';

const DING_SECRET = 'SEC0123456789abcdef0123456789abcdef';
const FEISHU_SECRET = 'feishu-secret-abcdef';
const HOOK_SECRET = 'oncall-hook-secret-0123';
const WECOM_KEY = '693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa';

/** DingTalk's receiver: the documented check of ?timestamp (ms) and ?sign, and errcode 0. */
function dingtalkValid(r: RecordedRequest): boolean {
  const u = new URL(r.url, 'http://x');
  const ts = u.searchParams.get('timestamp');
  const sign = u.searchParams.get('sign'); // URLSearchParams decodes the URL-encoded base64
  if (!ts || !sign || Math.abs(Date.now() - Number(ts)) > 3_600_000) return false;
  const expected = createHmac('sha256', DING_SECRET).update(`${ts}\n${DING_SECRET}`, 'utf8').digest('base64');
  const body = JSON.parse(r.body);
  return (
    sign === expected &&
    u.searchParams.get('access_token') === 'ding-token' &&
    body.msgtype === 'markdown' &&
    typeof body.markdown.title === 'string' &&
    typeof body.markdown.text === 'string'
  );
}

/** Feishu's receiver: timestamp (s) and sign in the body, the sign an HMAC keyed by "ts\nsecret" over "". */
function feishuValid(r: RecordedRequest): boolean {
  const body = JSON.parse(r.body);
  if (typeof body.timestamp !== 'string' || Math.abs(Date.now() / 1000 - Number(body.timestamp)) > 3600) return false;
  const expected = createHmac('sha256', `${body.timestamp}\n${FEISHU_SECRET}`).digest('base64');
  return body.sign === expected && body.msg_type === 'text' && typeof body.content.text === 'string';
}

function wecomValid(r: RecordedRequest): boolean {
  const body = JSON.parse(r.body);
  return new URL(r.url, 'http://x').searchParams.get('key') === WECOM_KEY && body.msgtype === 'markdown' && typeof body.markdown.content === 'string';
}

const alert = (i: number, severity: OnCallAlert['severity'] = 'high', kind = 'volume-spike'): OnCallAlert => ({
  kind,
  severity,
  key: `${kind}:p-${i}`,
  title: `${kind}: principal p-${i}`,
  text: `- reads: ${100 + i}`,
  data: { principalId: `p-${i}` },
});

describe('on-call push', () => {
  let ding: Stub, feishu: Stub, wecom: Stub, hook: Stub;
  let smtp: SMTPServer;
  let smtpPort: number;
  const mails: { to: string; data: string }[] = [];

  before(async () => {
    ding = await startStub((r, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(dingtalkValid(r) ? { errcode: 0, errmsg: 'ok' } : { errcode: 310000, errmsg: 'sign not match' })),
    );
    feishu = await startStub((r, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(
          JSON.stringify(
            feishuValid(r) ? { code: 0, msg: 'success' } : { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' },
          ),
        ),
    );
    wecom = await startStub((r, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(wecomValid(r) ? { errcode: 0, errmsg: 'ok' } : { errcode: 93000, errmsg: 'invalid webhook url' })),
    );
    hook = await startStub((r, res) => {
      const v = verifyWebhookSignature({
        secret: HOOK_SECRET,
        body: r.body,
        timestamp: r.headers['x-fanzha-timestamp'] as string,
        signature: r.headers['x-fanzha-signature'] as string,
      });
      res.writeHead(v.ok ? 200 : 401).end();
    });
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, cb) {
        let data = '';
        stream.on('data', (c) => (data += c.toString()));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((x) => x.address).join(','), data });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.server.address() as AddressInfo).port;
  });
  after(async () => {
    for (const s of [ding, feishu, wecom, hook]) await s.close();
    await new Promise<void>((r) => smtp.close(() => r()));
  });

  const targets = () => [
    { kind: 'dingtalk', url: `${ding.url}robot/send?access_token=ding-token`, secret: DING_SECRET, minSeverity: 'medium' },
    { kind: 'feishu', url: `${feishu.url}open-apis/bot/v2/hook/abc`, secret: FEISHU_SECRET, minSeverity: 'medium' },
    { kind: 'wecom', url: `${wecom.url}cgi-bin/webhook/send?key=${WECOM_KEY}`, minSeverity: 'medium' },
    { kind: 'webhook', name: 'soc', url: `${hook.url}fanzha`, secret: HOOK_SECRET, minSeverity: 'low' },
    { kind: 'email', to: ['oncall@shop.example'], minSeverity: 'high' },
  ];
  const service = (extra: Record<string, unknown> = {}, registry = new Registry()) =>
    new OnCallService(
      onCallConfig({ audit: { oncall: { targets: targets(), smtp: { host: '127.0.0.1', port: smtpPort, from: 'fanzha@shop.example' }, ...extra } } }),
      pino({ level: 'silent' }),
      registry,
    );
  const clear = () => {
    for (const s of [ding, feishu, wecom, hook]) s.requests.length = 0;
    mails.length = 0;
  };

  it("signs and shapes each provider's message as documented; every receiver accepts it", async () => {
    clear();
    const registry = new Registry();
    const s = service({}, registry);
    s.push(alert(1, 'high'));
    await s.flush();
    assert.equal(ding.requests.length, 1);
    assert.ok(dingtalkValid(ding.requests[0]!), ding.requests[0]!.url);
    assert.match(JSON.parse(ding.requests[0]!.body).markdown.text, /principal p-1/);
    assert.equal(feishu.requests.length, 1);
    assert.ok(feishuValid(feishu.requests[0]!), feishu.requests[0]!.body);
    assert.equal(wecom.requests.length, 1);
    assert.ok(wecomValid(wecom.requests[0]!));
    assert.equal(hook.requests.length, 1);
    assert.equal(JSON.parse(hook.requests[0]!.body).principalId, 'p-1');
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.to, 'oncall@shop.example');
    assert.match(mails[0]!.data, /principal p-1/);
    const m = await registry.metrics();
    for (const target of ['dingtalk-1', 'feishu-2', 'wecom-3', 'soc', 'email-5'])
      assert.match(m, new RegExp(`fanzha_alert_pushes_total\\{target="${target}",outcome="sent"\\} 1`));
    assert.match(m, /fanzha_alerts_total\{kind="volume-spike",severity="high"\} 1/);
    await s.close();
  });

  it('a wrong secret is refused by the receiver and counted as failed, not as sent', async () => {
    clear();
    const registry = new Registry();
    const bad = new OnCallService(
      onCallConfig({
        audit: {
          oncall: {
            targets: [
              { kind: 'dingtalk', url: `${ding.url}robot/send?access_token=ding-token`, secret: 'SECwrong' },
              { kind: 'feishu', url: `${feishu.url}hook`, secret: 'wrong' },
            ],
          },
        },
      }),
      pino({ level: 'silent' }),
      registry,
    );
    bad.push(alert(2));
    await bad.flush();
    const m = await registry.metrics();
    assert.match(m, /fanzha_alert_pushes_total\{target="dingtalk-1",outcome="failed"\} 1/);
    assert.match(m, /fanzha_alert_pushes_total\{target="feishu-2",outcome="failed"\} 1/);
  });

  it('routes by severity, pushes the same alert once per dedup period and digests a flood', async () => {
    clear();
    const registry = new Registry();
    const s = service({ flood: { max: 2, windowSeconds: 60 } }, registry);
    s.push(alert(10, 'low'));
    await s.flush();
    assert.equal(hook.requests.length, 1, 'low goes to the webhook only');
    assert.equal(ding.requests.length + feishu.requests.length + wecom.requests.length + mails.length, 0);
    s.push(alert(11, 'medium'));
    s.push(alert(11, 'medium'));
    await s.flush();
    assert.equal(ding.requests.length, 1, 'the repeat was dropped');
    assert.equal(mails.length, 0, 'medium is below the e-mail target');
    // a flood: 6 more distinct alerts; the DingTalk window (max 2) has 1 left, the rest are digested
    for (let i = 20; i < 26; i++) s.push(alert(i, 'high', i % 2 ? 'off-hours-bulk' : 'volume-spike'));
    assert.equal((await registry.metrics()).match(/outcome="held"/g)?.length ?? 0, 5, 'held on every target whose window is full');
    await s.flush();
    assert.equal(ding.requests.length, 3, 'one more alert, then one digest');
    const dig = JSON.parse(ding.requests[2]!.body);
    assert.ok(dingtalkValid(ding.requests[2]!));
    assert.match(dig.markdown.title, /^\[high\] 5 more alerts \(digest\)$/);
    assert.match(dig.markdown.text, /volume-spike \(high\): 2/);
    assert.match(dig.markdown.text, /off-hours-bulk \(high\): 3/);
    const m = await registry.metrics();
    assert.match(m, /fanzha_alerts_total\{kind="volume-spike",severity="high"\} 3/);
    assert.match(m, /fanzha_alerts_total\{kind="off-hours-bulk",severity="high"\} 3/);
    assert.match(m, /fanzha_alert_pushes_total\{target="dingtalk-1",outcome="digest"\} 1/);
    assert.match(m, /fanzha_alert_pushes_total\{target="all",outcome="duplicate"\} 1/);
    await s.close();
  });

  for (const dialect of testDialects()) {
    describe(`in the app on ${dialect.name}`, () => {
      let t: TestApp;
      before(async () => {
        t = await createTestApp(dialect, {
          logLevel: 'warn',
          areas: { audit: { oncall: { targets: [{ kind: 'wecom', url: `${wecom.url}cgi-bin/webhook/send?key=${WECOM_KEY}`, minSeverity: 'high' }] } } },
        });
      });
      after(async () => {
        await t.close();
      });

      it("pushes a staff member's enumeration, never fanzha's own system principals, and canary trips at once", async () => {
        clear();
        const at = Date.now() - 30 * 60_000;
        const reads = (principalId: string) =>
          Array.from({ length: 12 }, (_, i) => ({
            id: `acc-${principalId}-${i}`,
            type: 'data.accessed',
            at: new Date(at + i * 1000).toISOString(),
            principalId,
            orderId: `ORD${1000 + i}`,
            fields: ['name', 'phone'],
            channel: 'console',
          }));
        const r = await t.ctx.services.events.ingest([...reads('staff-7'), ...reads('system:notify')]);
        assert.equal(r.rejected.length, 0, JSON.stringify(r.rejected));
        const created = await t.ctx.services.alerts.scan(at - 3_600_000, Date.now());
        assert.ok(created >= 1);
        const listed = await t.ctx.services.alerts.list({ limit: 50 });
        assert.ok(listed.items.some((a) => a.principalId === 'staff-7' && a.rule === 'sequential-enumeration'));
        assert.ok(!listed.items.some((a) => a.principalId.startsWith('system:')), 'system principals are not scored');
        await t.ctx.services.oncall.flush();
        const texts = wecom.requests.map((x) => JSON.parse(x.body).markdown.content as string);
        assert.ok(
          texts.some((x) => x.includes('principal staff-7') && x.includes('Sequential enumeration')),
          texts.join('\n'),
        );
        assert.ok(!texts.some((x) => x.includes('system:')));
        const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
        assert.match(metrics, /fanzha_alerts_total\{kind="sequential-enumeration",severity="high"\} 1/);

        // a canary trip is pushed at once, naming the scope
        const made = await t.ctx.services.canaries.create({ scope: { kind: 'principal', id: 'staff-7' }, contacts: [{ phone: '+8613912345678' }] });
        await t.ctx.services.canaries.trip(made.canaries[0]!.id, { channel: 'call', from: '+8613700000000' });
        await t.ctx.services.oncall.flush();
        const last = JSON.parse(wecom.requests.at(-1)!.body).markdown.content as string;
        assert.match(last, /^### \[high\] Canary tripped: principal staff-7/);
        assert.ok(!last.includes('13912345678') && !last.includes('13700000000'), 'no contact data');
        assert.match((await t.app.inject({ method: 'GET', url: '/metrics' })).body, /fanzha_alerts_total\{kind="canary-trip",severity="high"\} 1/);
      });
    });
  }
});
